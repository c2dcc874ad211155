"""Amazon Transcribe behind the ``Recognizer`` port: upload to S3, start a job, poll, read the transcript."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from ..errors import SpeechEngineError
from ..ports import RecognizedWord, Transcript

_FORMATS = {
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/webm": "webm",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/flac": "flac",
    "audio/mp4": "mp4",
    "audio/m4a": "m4a",
}


def media_format(audio: bytes, content_type: str | None) -> str:
    """From the content type, else from the container's magic bytes."""
    if content_type and content_type.split(";")[0].strip().lower() in _FORMATS:
        return _FORMATS[content_type.split(";")[0].strip().lower()]
    if audio[:4] == b"RIFF":
        return "wav"
    if audio[:4] == b"OggS":
        return "ogg"
    if audio[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if audio[:3] == b"ID3" or audio[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "mp3"
    if audio[:4] == b"fLaC":
        return "flac"
    return "wav"


class TranscribeRecognizer:
    def __init__(
        self,
        transcribe_client: Any,
        s3_client: Any,
        bucket: str,
        prefix: str = "transcribe/",
        language: str = "en-US",
        timeout_seconds: float = 120.0,
        poll_seconds: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self._transcribe, self._s3, self._bucket, self._prefix = transcribe_client, s3_client, bucket, prefix
        self._language, self._timeout, self._poll = language, timeout_seconds, poll_seconds
        self._sleep, self._new_id = sleep, new_id

    def recognize(self, audio: bytes, content_type: str | None = None) -> Transcript:
        job = f"speaktracker-{self._new_id()}"
        fmt = media_format(audio, content_type)
        media_key, output_key = f"{self._prefix}{job}.{fmt}", f"{self._prefix}{job}.json"
        try:
            self._s3.put_object(Bucket=self._bucket, Key=media_key, Body=audio)
            self._transcribe.start_transcription_job(
                TranscriptionJobName=job,
                LanguageCode=self._language,
                MediaFormat=fmt,
                Media={"MediaFileUri": f"s3://{self._bucket}/{media_key}"},
                OutputBucketName=self._bucket,
                OutputKey=output_key,
            )
            self._wait(job)
            body = self._s3.get_object(Bucket=self._bucket, Key=output_key)["Body"].read()
        except SpeechEngineError:
            raise
        except Exception as exc:  # botocore errors, without importing botocore outside the client
            raise SpeechEngineError(f"Transcribe failed: {exc}") from exc
        return parse_transcript(json.loads(body))

    def _wait(self, job: str) -> None:
        waited = 0.0
        while True:
            status = self._transcribe.get_transcription_job(TranscriptionJobName=job)["TranscriptionJob"]
            state = status["TranscriptionJobStatus"]
            if state == "COMPLETED":
                return
            if state == "FAILED":
                raise SpeechEngineError(f"Transcribe job failed: {status.get('FailureReason', 'unknown')}")
            if waited >= self._timeout:
                raise SpeechEngineError(f"Transcribe job did not finish within {self._timeout:.0f} s")
            self._sleep(self._poll)
            waited += self._poll


def parse_transcript(document: dict[str, Any]) -> Transcript:
    results = document["results"]
    words = [
        RecognizedWord(
            text=item["alternatives"][0]["content"],
            start=float(item["start_time"]),
            end=float(item["end_time"]),
            confidence=float(item["alternatives"][0].get("confidence", 0.0)),
        )
        for item in results.get("items", [])
        if item.get("type") == "pronunciation"
    ]
    text = results["transcripts"][0]["transcript"] if results.get("transcripts") else ""
    return Transcript(text=text, words=words)
