"""Text-to-speech job status and the synthesised-audio library in DynamoDB. Status moves by conditional
writes, so a redelivered message cannot undo a finished job and two workers cannot both finish one."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import from_item, is_condition_failure, to_item, to_values

from ..domain.days import iso_utc
from ..domain.speech_jobs import SentenceAudio, TtsJob

_JOB_FIELDS = {
    "job_id": "jobId",
    "owner_email": "ownerEmail",
    "text": "text",
    "voice": "voiceId",
    "created_at": "createdAt",
    "status": "status",
    "session_id": "sessionId",
    "sentence_index": "sentenceIndex",
    "korean": "korean",
    "audio_id": "audioId",
    "audio_key": "audioKey",
    "duration_ms": "durationMs",
    "reason": "reason",
    "attempts": "attempts",
    "updated_at": "updatedAt",
    "notified": "notified",
}
_UNFINISHED = "#status IN (:pending, :processing)"
_STATUS_VALUES = {":pending": "PENDING", ":processing": "PROCESSING"}


def job_item(job: TtsJob) -> dict[str, Any]:
    item = {attr: getattr(job, name) for name, attr in _JOB_FIELDS.items()}
    item["ttl"] = job.expires_at()
    return item


def _job(item: dict[str, Any]) -> TtsJob:
    return TtsJob(**{name: item[attr] for name, attr in _JOB_FIELDS.items() if item.get(attr) is not None})


class DynamoJobStatus:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def add_if_absent(self, job: TtsJob) -> TtsJob:
        try:
            self._db.put_item(
                TableName=self._table, Item=to_item(job_item(job)), ConditionExpression="attribute_not_exists(jobId)"
            )
            return job
        except ClientError as error:
            if not is_condition_failure(error):
                raise
        stored = self.get(job.job_id)
        assert stored is not None
        return stored

    def get(self, job_id: str) -> TtsJob | None:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=to_item({"jobId": job_id}), ConsistentRead=True).get("Item")
        )
        if item is None or item.get("ttl", float("inf")) < time.time():
            return None  # TTL deletion is lazy: an expired job is gone as far as anyone can tell
        return _job(item)

    def start(self, job_id: str, now: datetime) -> bool:
        return self._transition(
            job_id, "SET #status = :processing, updatedAt = :now ADD attempts :one", {":now": iso_utc(now), ":one": 1}
        )

    def finish(self, job: TtsJob) -> bool:
        values: dict[str, Any] = {":to": job.status, ":now": job.updated_at or iso_utc(datetime.now(UTC))}
        sets = ["#status = :to", "updatedAt = :now"]
        for name, attr in (
            ("audio_id", "audioId"),
            ("audio_key", "audioKey"),
            ("duration_ms", "durationMs"),
            ("reason", "reason"),
        ):
            value = getattr(job, name)
            if value is not None:
                sets.append(f"{attr} = :{attr}")
                values[f":{attr}"] = value
        return self._transition(job.job_id, "SET " + ", ".join(sets), values)

    def mark_notified(self, job_id: str) -> None:
        self._db.update_item(
            TableName=self._table,
            Key=to_item({"jobId": job_id}),
            UpdateExpression="SET notified = :yes",
            ExpressionAttributeValues=to_values({":yes": True}),
        )

    def _transition(self, job_id: str, update: str, values: dict[str, Any]) -> bool:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=to_item({"jobId": job_id}),
                UpdateExpression=update,
                ConditionExpression=f"attribute_exists(jobId) AND {_UNFINISHED}",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_values({**values, **_STATUS_VALUES}),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True


def _audio(item: dict[str, Any]) -> SentenceAudio:
    return SentenceAudio(
        audio_id=item["audioId"],
        voice=item["voiceId"],
        text=item["text"],
        s3_key=item["s3Key"],
        content_type=item["contentType"],
        duration_ms=item["durationMs"],
        created_at=item["createdAt"],
    )


class DynamoAudioLibrary:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def get(self, audio_id: str) -> SentenceAudio | None:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=to_item({"audioId": audio_id}), ConsistentRead=True).get(
                "Item"
            )
        )
        return None if item is None else _audio(item)

    def get_all(self, audio_ids: set[str]) -> dict[str, SentenceAudio]:
        """BatchGetItem, 100 keys a call; keys DynamoDB leaves unprocessed are asked again."""
        found: dict[str, SentenceAudio] = {}
        wanted = sorted(audio_ids)
        for start in range(0, len(wanted), 100):
            keys = [to_item({"audioId": audio}) for audio in wanted[start : start + 100]]
            for _attempt in range(5):
                if not keys:
                    break
                answer = self._db.batch_get_item(RequestItems={self._table: {"Keys": keys, "ConsistentRead": True}})
                for raw in answer.get("Responses", {}).get(self._table, []):
                    audio = _audio(from_item(raw))
                    found[audio.audio_id] = audio
                keys = answer.get("UnprocessedKeys", {}).get(self._table, {}).get("Keys", [])
        return found

    def add(self, audio: SentenceAudio, replacing_before: datetime | None = None) -> SentenceAudio:
        item = {
            "audioId": audio.audio_id,
            "voiceId": audio.voice,
            "text": audio.text,
            "s3Key": audio.s3_key,
            "contentType": audio.content_type,
            "durationMs": audio.duration_ms,
            "createdAt": audio.created_at,
            "ttl": audio.expires_at(),
        }
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(audioId) OR #ttl < :cutoff",
                ExpressionAttributeNames={"#ttl": "ttl"},
                ExpressionAttributeValues=to_values(
                    {":cutoff": int(replacing_before.timestamp() if replacing_before else time.time())}
                ),
            )
            return audio
        except ClientError as error:
            if not is_condition_failure(error):
                raise
        return self.get(audio.audio_id) or audio
