"""Sessions, daily statistics and pronunciation results in DynamoDB. Counters move with ADD, and a write
that must agree with a counter (ending a session, keeping a result) shares one transaction with it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import (
    cancellation_reasons,
    decode_cursor,
    encode_cursor,
    from_item,
    is_condition_failure,
    is_transaction_cancelled,
    query_pages,
    to_item,
    to_values,
)
from speaktracker.errors import Conflict
from speaktracker.revocation import pseudonym

from ..domain.days import iso_utc
from ..domain.progress import DayStats, PhonemeScore, ResultDigest, StatsDelta, WordScore
from ..domain.sessions import LearningSession, SessionChanged, session_id_bound
from ..ports import Page, PronunciationResult


def stats_update(table: str, student_email: str, day: date, delta: StatsDelta) -> dict[str, Any]:
    """An Update that ADDs the delta's counters to the student's day (creating the day if new)."""
    counters = delta.counters()
    names = {f"#c{i}": name for i, name in enumerate(counters)}
    values = {f":c{i}": value for i, value in enumerate(counters.values())}
    adds = ", ".join(f"#c{i} :c{i}" for i in range(len(counters)))
    expression = "SET updatedAt = :now" + (f" ADD {adds}" if adds else "")
    return {
        "TableName": table,
        "Key": to_item({"studentEmail": student_email, "date": day.isoformat()}),
        "UpdateExpression": expression,
        "ExpressionAttributeNames": names or None,
        "ExpressionAttributeValues": to_values({**values, ":now": iso_utc(datetime.now(UTC))}),
    }


def _without_none(request: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in request.items() if v is not None}


class DynamoStatistics:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def add(self, student_email: str, day: date, delta: StatsDelta) -> None:
        self._db.update_item(**_without_none(stats_update(self._table, student_email, day, delta)))

    def days(self, student_email: str, start: date, end: date) -> list[DayStats]:
        items = query_pages(
            self._db,
            TableName=self._table,
            KeyConditionExpression="studentEmail = :s AND #d BETWEEN :a AND :b",
            ExpressionAttributeNames={"#d": "date"},
            ExpressionAttributeValues=to_values({":s": student_email, ":a": start.isoformat(), ":b": end.isoformat()}),
        )
        return [
            DayStats(
                day=date.fromisoformat(i["date"]),
                practice_count=i.get("practiceCount", 0),
                total_duration=i.get("totalDuration", 0),
                total_speaking_time=i.get("totalSpeakingTime", 0),
                evaluation_count=i.get("evaluationCount", 0),
                score_total=i.get("scoreTotal", 0.0),
                conversation_turns=i.get("conversationTurns", 0),
            )
            for i in items
        ]

    def add_conversation_turn(
        self, student_email: str, day: date, request_id: str, speaking_seconds: int, occurred_at: datetime
    ) -> bool:
        """Counts the turn and its speech once: the day keeps the ids of the turns it counted, so a
        redelivered event changes nothing. In the same transaction, the student's erasure marker must not be
        newer than the turn: a turn event delivered after its account was erased writes nothing. False if it was
        counted already or its account is gone."""
        try:
            self._db.transact_write_items(
                TransactItems=[
                    {
                        "ConditionCheck": {
                            "TableName": self._table,
                            "Key": to_item(_erasure_key(student_email)),
                            "ConditionExpression": "attribute_not_exists(erasedAt) OR erasedAt < :at",
                            "ExpressionAttributeValues": to_values({":at": iso_utc(occurred_at)}),
                        }
                    },
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": to_item({"studentEmail": student_email, "date": day.isoformat()}),
                            "UpdateExpression": "SET updatedAt = :now ADD conversationTurns :one, "
                            "totalSpeakingTime :speech, conversationRequests :ids",
                            "ConditionExpression": "attribute_not_exists(conversationRequests) OR "
                            "NOT contains(conversationRequests, :id)",
                            "ExpressionAttributeValues": {
                                **to_values(
                                    {
                                        ":now": iso_utc(datetime.now(UTC)),
                                        ":one": 1,
                                        ":speech": speaking_seconds,
                                        ":id": request_id,
                                    }
                                ),
                                ":ids": {"SS": [request_id]},
                            },
                        }
                    },
                ]
            )
        except ClientError as error:
            if is_transaction_cancelled(error) and "ConditionalCheckFailed" in cancellation_reasons(error):
                return False
            raise
        return True

    def mark_erased(self, student_email: str, erased_at: datetime) -> None:
        """The marker's key is a one-way pseudonym of the email and it holds only the time: the erasure that
        follows removes every row keyed by the email and leaves this one."""
        self._db.put_item(
            TableName=self._table,
            Item=to_item({**_erasure_key(student_email), "erasedAt": iso_utc(erased_at)}),
        )


ERASURE_DATE = "erased"


def _erasure_key(student_email: str) -> dict[str, str]:
    return {"studentEmail": f"erased#{pseudonym(student_email.strip().lower())}", "date": ERASURE_DATE}


class DynamoSessions:
    def __init__(self, client: Any, table: str, statistics_table: str) -> None:
        self._db, self._table, self._stats = client, table, statistics_table

    def add(self, session: LearningSession) -> None:
        item = {
            "studentEmail": session.student_email,
            "sessionId": session.session_id,
            "sessionType": session.session_type,
            "metadata": session.metadata or None,
            "startTime": session.start_time,
            "timestamp": session.start_time,
            "status": session.status,
            "duration": 0,
            "speakingMs": 0,
            "evaluationCount": 0,
        }
        self._db.put_item(
            TableName=self._table, Item=to_item(item), ConditionExpression="attribute_not_exists(sessionId)"
        )

    def get(self, student_email: str, session_id: str) -> LearningSession | None:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=self._key(student_email, session_id), ConsistentRead=True).get(
                "Item"
            )
        )
        return None if item is None else self._session(item)

    def close(self, session: LearningSession, day: date, delta: StatsDelta) -> None:
        end_session = {
            "TableName": self._table,
            "Key": self._key(session.student_email, session.session_id),
            "UpdateExpression": "SET #status = :ended, endTime = :end, #duration = :duration, "
            "speakingDuration = :speaking",
            "ConditionExpression": "#status = :open AND speakingMs = :ms",
            "ExpressionAttributeNames": {"#status": "status", "#duration": "duration"},
            "ExpressionAttributeValues": to_values(
                {
                    ":ended": "ENDED",
                    ":open": "OPEN",
                    ":end": session.end_time,
                    ":duration": session.duration,
                    ":speaking": session.speaking_duration,
                    ":ms": session.speaking_ms,
                }
            ),
        }
        add_to_day = _without_none(stats_update(self._stats, session.student_email, day, delta))
        try:
            self._db.transact_write_items(TransactItems=[{"Update": end_session}, {"Update": add_to_day}])
        except ClientError as error:
            if is_transaction_cancelled(error) and cancellation_reasons(error)[:1] == ["ConditionalCheckFailed"]:
                current = self.get(session.student_email, session.session_id)
                if current is None or current.status == "ENDED":
                    raise Conflict("This session has already ended.", "SESSION_ALREADY_ENDED") from error
                raise SessionChanged("The session changed while ending; try again.") from error
            raise

    def between(self, student_email: str, start: datetime, end: datetime) -> list[LearningSession]:
        items = query_pages(
            self._db,
            TableName=self._table,
            KeyConditionExpression="studentEmail = :s AND sessionId BETWEEN :a AND :b",
            ExpressionAttributeValues=to_values(
                {":s": student_email, ":a": session_id_bound(start), ":b": session_id_bound(end)}
            ),
        )
        return [self._session(i) for i in items if i["sessionId"] < session_id_bound(end)]

    def latest(self, student_email: str) -> LearningSession | None:
        page = self._db.query(
            TableName=self._table,
            Limit=1,
            ScanIndexForward=False,
            KeyConditionExpression="studentEmail = :s AND begins_with(sessionId, :p)",
            ExpressionAttributeValues=to_values({":s": student_email, ":p": "sess-"}),
        )
        items = page.get("Items", [])
        return self._session(from_item(items[0])) if items else None

    def add_speech(self, student_email: str, session_id: str, speaking_ms: int) -> bool:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=self._key(student_email, session_id),
                UpdateExpression="ADD speakingMs :ms, evaluationCount :one",
                ConditionExpression="#status = :open",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_values({":ms": speaking_ms, ":one": 1, ":open": "OPEN"}),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    @staticmethod
    def _key(student_email: str, session_id: str) -> dict[str, Any]:
        return to_item({"studentEmail": student_email, "sessionId": session_id})

    @staticmethod
    def _session(item: dict[str, Any]) -> LearningSession:
        return LearningSession(
            student_email=item["studentEmail"],
            session_id=item["sessionId"],
            session_type=item["sessionType"],
            start_time=item["startTime"],
            metadata=item.get("metadata") or {},
            status=item.get("status", "OPEN"),
            end_time=item.get("endTime"),
            duration=item.get("duration", 0),
            speaking_ms=item.get("speakingMs", 0),
            evaluation_count=item.get("evaluationCount", 0),
        )


class DynamoResults:
    def __init__(self, client: Any, table: str, statistics_table: str) -> None:
        self._db, self._table, self._stats = client, table, statistics_table

    def add(self, result: PronunciationResult, day: date, delta: StatsDelta) -> None:
        assessment = result.assessment
        item = {
            "studentEmail": result.student_email,
            "resultId": result.result_id,
            "timestamp": result.created_at,
            "originalText": result.original_text,
            "transcribedText": assessment.payload.get("transcribedText"),
            "overallScore": assessment.overall_score,
            "grade": assessment.grade,
            "feedback": assessment.payload.get("feedback"),
            "missedWords": list(assessment.digest.missed_words),
            "extraWords": assessment.payload.get("extraWords") or [],
            "audioDurationMs": assessment.audio_duration_ms,
            "audioKey": result.audio_key,
            "sessionId": result.session_id,
            "sentenceKey": result.sentence_key,
            "topic": result.topic,
            "level": result.level,
            "assessment": assessment.payload,
            "wordScores": _word_scores(assessment.digest),
        }
        put = {"TableName": self._table, "Item": to_item(item), "ConditionExpression": "attribute_not_exists(resultId)"}
        add_to_day = _without_none(stats_update(self._stats, result.student_email, day, delta))
        self._db.transact_write_items(TransactItems=[{"Put": put}, {"Update": add_to_day}])

    def page(self, student_email: str, cursor: str | None, limit: int, caller: str) -> Page:
        request: dict[str, Any] = {
            "TableName": self._table,
            "Limit": limit,
            "ScanIndexForward": False,
            "KeyConditionExpression": "studentEmail = :s",
            "ExpressionAttributeValues": to_values({":s": student_email}),
        }
        purpose = f"{self._table}#results"
        start = decode_cursor(cursor, {"studentEmail", "resultId"}, purpose, owner=student_email, caller=caller)
        if start:
            request["ExclusiveStartKey"] = start
        page = self._db.query(**request)
        items = [_result_json(from_item(i)) for i in page.get("Items", [])]
        return Page(items, encode_cursor(page.get("LastEvaluatedKey"), purpose, owner=student_email, caller=caller))

    def recent(self, student_email: str, limit: int) -> list[ResultDigest]:
        page = self._db.query(
            TableName=self._table,
            Limit=limit,
            ScanIndexForward=False,
            KeyConditionExpression="studentEmail = :s",
            ProjectionExpression="overallScore, wordScores, missedWords, topic, #level",
            ExpressionAttributeNames={"#level": "level"},
            ExpressionAttributeValues=to_values({":s": student_email}),
        )
        return [_digest(from_item(i)) for i in page.get("Items", [])]


def _word_scores(digest: ResultDigest) -> list[dict[str, Any]]:
    return [
        {"word": w.word, "score": w.score, "phonemes": [{"phoneme": p.phoneme, "score": p.score} for p in w.phonemes]}
        for w in digest.words
    ]


def _digest(item: dict[str, Any]) -> ResultDigest:
    words = tuple(
        WordScore(
            w["word"],
            float(w["score"]),
            tuple(PhonemeScore(p["phoneme"], float(p["score"])) for p in w.get("phonemes", [])),
        )
        for w in item.get("wordScores", [])
    )
    return ResultDigest(
        overall_score=float(item.get("overallScore", 0)),
        words=words,
        missed_words=tuple(item.get("missedWords", [])),
        topic=item.get("topic"),
        level=item.get("level"),
    )


def _result_json(item: dict[str, Any]) -> dict[str, Any]:
    shown = (
        "resultId",
        "timestamp",
        "originalText",
        "transcribedText",
        "overallScore",
        "grade",
        "feedback",
        "missedWords",
        "extraWords",
        "audioDurationMs",
        "sessionId",
        "topic",
        "level",
    )
    body = {k: item[k] for k in shown if k in item}
    body["createdAt"] = body.pop("timestamp", None)
    body["assessment"] = item.get("assessment", {})
    return body
