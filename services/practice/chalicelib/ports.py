"""What practice's use cases need from the outside world, as small protocols."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from speaktracker.events import Event
from speaktracker.tutor_links import TutorLinks as TutorLinks

from .domain.levels import Level
from .domain.mastery import SentenceRecord
from .domain.progress import DayStats, ResultDigest, StatsDelta
from .domain.sentences import Sentence
from .domain.sessions import LearningSession
from .domain.speech_jobs import SentenceAudio, TtsJob, TtsRequest


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    cursor: str | None


@dataclass(frozen=True)
class Speech:
    audio: bytes
    content_type: str
    extension: str
    duration_ms: int


@dataclass(frozen=True)
class Assessment:
    """The engine's assessment: its camelCase JSON as the client sees it, and what practice keeps of it."""

    payload: dict[str, Any]
    overall_score: float
    grade: str
    audio_duration_ms: int
    digest: ResultDigest


@dataclass(frozen=True)
class PronunciationResult:
    student_email: str
    result_id: str
    created_at: str
    original_text: str
    audio_key: str
    sentence_key: str
    assessment: Assessment
    session_id: str | None = None
    topic: str | None = None
    level: str | None = None


class SessionRepository(Protocol):
    def add(self, session: LearningSession) -> None: ...

    def get(self, student_email: str, session_id: str) -> LearningSession | None: ...

    def close(self, session: LearningSession, day: date, delta: StatsDelta) -> None:
        """Marks the open session ended and adds to the day's statistics in one transaction;
        Conflict if it was ended meanwhile."""

    def between(self, student_email: str, start: datetime, end: datetime) -> list[LearningSession]: ...

    def latest(self, student_email: str) -> LearningSession | None: ...

    def add_speech(self, student_email: str, session_id: str, speaking_ms: int) -> bool:
        """Adds speaking time to the session if it is still open; False if it is not."""


class Statistics(Protocol):
    def add(self, student_email: str, day: date, delta: StatsDelta) -> None: ...

    def days(self, student_email: str, start: date, end: date) -> list[DayStats]: ...

    def add_conversation_turn(
        self, student_email: str, day: date, request_id: str, speaking_seconds: int, occurred_at: datetime
    ) -> bool:
        """Counts an AI conversation turn once per request id; False if it was counted already, or if the account
        was erased after the turn happened (a late event must not bring a deleted student's day back)."""

    def mark_erased(self, student_email: str, erased_at: datetime) -> None:
        """Remembers when this student's account was erased, under a one-way key (no email is kept)."""


class ResultLog(Protocol):
    def add(self, result: PronunciationResult, day: date, delta: StatsDelta) -> None:
        """Stores the result and adds to the day's statistics in one transaction."""

    def page(self, student_email: str, cursor: str | None, limit: int, caller: str) -> Page:
        """A page of the student's results, newest first; its cursor opens only for ``caller`` (a user id)."""

    def recent(self, student_email: str, limit: int) -> list[ResultDigest]: ...


class MasteryRecords(Protocol):
    def all_for(self, student_email: str) -> list[SentenceRecord]: ...

    def get(self, student_email: str, sentence_key: str) -> SentenceRecord | None: ...

    def save(self, record: SentenceRecord) -> None: ...


class PracticeSets(Protocol):
    def add(self, jobs: list[TtsJob], served: list[SentenceRecord]) -> None:
        """A generated set's new speech jobs and the student's updated sentence records, in one batch write (a
        round trip the student waits for)."""


class JobStatusStore(Protocol):
    def add_if_absent(self, job: TtsJob) -> TtsJob:
        """The stored job: the given one if there was none, else the one already there."""

    def get(self, job_id: str) -> TtsJob | None: ...

    def start(self, job_id: str, now: datetime) -> bool:
        """PENDING/PROCESSING -> PROCESSING, counting the attempt; False if the job has finished."""

    def finish(self, job: TtsJob) -> bool:
        """Stores a COMPLETED or FAILED job unless it finished already; True if this call finished it."""

    def mark_notified(self, job_id: str) -> None: ...


class AudioLibrary(Protocol):
    def get(self, audio_id: str) -> SentenceAudio | None: ...

    def get_all(self, audio_ids: set[str]) -> dict[str, SentenceAudio]:
        """The stored audio among ``audio_ids``, by id (missing ids are left out)."""

    def add(self, audio: SentenceAudio, replacing_before: datetime | None = None) -> SentenceAudio:
        """Conditional put: if another worker stored this audio first, returns theirs. Stored audio that stops
        being reusable before ``replacing_before`` (default: now) is replaced."""


class FileStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def read(self, key: str, max_bytes: int) -> tuple[bytes, str] | None:
        """The object's bytes and content type, None if absent; PayloadTooLarge if over ``max_bytes``."""

    def presign_download(self, key: str) -> str: ...

    def presign_upload(self, key: str, content_type: str, max_bytes: int) -> dict[str, Any]: ...

    def erase_prefix(self, prefix: str) -> int:
        """Deletes every object (and every version) under ``prefix``; raises if any is left."""


class TtsQueue(Protocol):
    def enqueue(self, requests: list[TtsRequest], delay_seconds: int = 0) -> list[str]:
        """Sends one message per request, seen by workers after ``delay_seconds``; returns the job ids that could
        not be sent."""


class SpeechSynthesizer(Protocol):
    def synthesize(self, text: str, voice: str) -> Speech: ...


class PronunciationAssessor(Protocol):
    def assess(self, audio: bytes, original_text: str, content_type: str | None) -> Assessment: ...


class SentenceWriter(Protocol):
    name: str

    def write(self, level: Level, topic: str, count: int, avoid: list[str]) -> list[Sentence]:
        """Candidate sentences for the level and topic (the bank offers all it has, a model ``count``)."""


class Erasure(Protocol):
    def erase_user(self, email: str) -> None:
        """Deletes the student's sessions, results, statistics, mastery, jobs and tutor link; raises if any
        is left."""


class Publisher(Protocol):
    def publish(self, event: Event) -> None: ...

    def publish_all(self, events: Sequence[Event]) -> None:
        """Several events in as few calls as the topic allows; raises if any was refused."""
