"""Text-to-speech jobs: one per sentence, processed asynchronously from the TTS queue.

The queue message is self-contained (other contexts enqueue too: conversation sends the AI's replies), so
the worker can create the job's status row if the sender could not. Audio is keyed by a hash of
(voice, text): each pair is synthesised once and reused by every later job.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .days import iso_utc, parse_iso

JobStatus = Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED"]
VOICES = ("Matthew", "Joanna", "Joey", "Salli", "Kendra", "Justin", "Ivy", "Kimberly")
DEFAULT_VOICE = "Matthew"
# The bucket expires tts/ objects after 7 days: audio is reused for 5 days after it was made and a job's
# status (with its link to the audio) is kept for 2, so a completed job never points at deleted audio.
AUDIO_REUSE_DAYS = 5
# The daily warming (practice's warm_bank_audio schedule) makes again what stops being reusable within this:
# more than a day, so audio never lapses between two runs even when one run is cut short.
AUDIO_RENEW_WITHIN = timedelta(days=2)
JOB_KEEP_DAYS = 2
MAX_TTS_CHARS = 500


class TtsRequest(BaseModel):
    """The TTS queue message (seed: {jobId, text, voiceId, sessionId, index}) plus the job's owner."""

    model_config = ConfigDict(defer_build=True, populate_by_name=True, extra="ignore")

    job_id: str = Field(alias="jobId", min_length=1, max_length=100)
    owner_email: str = Field(alias="ownerEmail", min_length=3)
    text: str = Field(min_length=1, max_length=MAX_TTS_CHARS)
    voice_id: str = Field(DEFAULT_VOICE, alias="voiceId")
    session_id: str | None = Field(None, alias="sessionId")
    sentence_index: int | None = Field(None, alias="sentenceIndex")
    index: int | None = None
    korean: str | None = None

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("text is blank")
        return text.strip()

    @property
    def position(self) -> int | None:
        return self.sentence_index if self.sentence_index is not None else self.index


def new_job_id() -> str:
    return f"tts-{uuid.uuid4().hex}"


def audio_id(voice: str, text: str) -> str:
    return hashlib.sha256(f"{voice}\n{' '.join(text.split())}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class TtsJob:
    job_id: str
    owner_email: str
    text: str
    voice: str
    created_at: str
    status: JobStatus = "PENDING"
    session_id: str | None = None
    sentence_index: int | None = None
    korean: str | None = None
    audio_id: str | None = None
    audio_key: str | None = None
    duration_ms: int | None = None
    reason: str | None = None
    attempts: int = 0
    updated_at: str | None = None
    notified: bool = False

    @property
    def finished(self) -> bool:
        return self.status in ("COMPLETED", "FAILED")

    def expires_at(self) -> int:
        return int((parse_iso(self.created_at) + timedelta(days=JOB_KEEP_DAYS)).timestamp())

    def completed(self, audio: SentenceAudio, now: datetime) -> TtsJob:
        return replace(
            self,
            status="COMPLETED",
            audio_id=audio.audio_id,
            audio_key=audio.s3_key,
            duration_ms=audio.duration_ms,
            reason=None,
            updated_at=iso_utc(now),
        )

    def failed(self, reason: str, now: datetime) -> TtsJob:
        return replace(self, status="FAILED", reason=reason, updated_at=iso_utc(now))

    def as_seen_at(self, now: datetime, deadline: timedelta) -> TtsJob:
        """A job still unfinished long after every retry should have ended is reported as failed: the
        status route never leaves a client waiting forever, even if a message was lost."""
        if not self.finished and now - parse_iso(self.created_at) > deadline:
            return replace(self, status="FAILED", reason="Speech was not ready in time; generate it again.")
        return self


def job_for(request: TtsRequest, now: datetime) -> TtsJob:
    return TtsJob(
        job_id=request.job_id,
        owner_email=request.owner_email,
        text=request.text,
        voice=request.voice_id,
        created_at=iso_utc(now),
        session_id=request.session_id,
        sentence_index=request.position,
        korean=request.korean,
    )


def request_for(job: TtsJob) -> TtsRequest:
    return TtsRequest(
        job_id=job.job_id,
        owner_email=job.owner_email,
        text=job.text,
        voiceId=job.voice,
        sessionId=job.session_id,
        sentenceIndex=job.sentence_index,
        korean=job.korean,
    )


def processing_deadline(visibility_timeout: int, max_receive_count: int) -> timedelta:
    """Longest a job can legitimately stay unfinished: every receive timing out, plus a margin."""
    return timedelta(seconds=visibility_timeout * max_receive_count + 120)


@dataclass(frozen=True)
class SentenceAudio:
    audio_id: str
    voice: str
    text: str
    s3_key: str
    content_type: str
    duration_ms: int
    created_at: str

    def expires_at(self) -> int:
        return int((parse_iso(self.created_at) + timedelta(days=AUDIO_REUSE_DAYS)).timestamp())

    def reusable_at(self, now: datetime) -> bool:
        """DynamoDB deletes expired items lazily, so reads check the expiry themselves."""
        return now.timestamp() < self.expires_at()


def audio_key(audio: str, extension: str) -> str:
    return f"tts/{audio}.{extension}"
