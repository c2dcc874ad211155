"""Learning sessions: started, spoken in, ended. Duration is wall time, capped so a forgotten tab does not
record a three-day session; speaking time is the sum of the recordings assessed while it was open."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal

from speaktracker.errors import Conflict, Invalid

from .days import iso_utc, kst_day, parse_iso, sortable_stamp

SessionStatus = Literal["OPEN", "ENDED"]
SESSION_TYPES = ("practice", "conversation", "review", "test")
MAX_SESSION_SECONDS = 4 * 3600
MAX_METADATA_BYTES = 2048
# A session left open this long no longer collects speaking time: the next recording starts fresh.
OPEN_SESSION_RECENT_SECONDS = 6 * 3600


class SessionChanged(Conflict):
    """The session changed between reading and ending it (speech was added meanwhile): read it again."""

    default_code = "SESSION_CHANGED"


def new_session_id(now: datetime) -> str:
    """Time-ordered, so a date range is a key condition on the sort key."""
    return f"sess-{sortable_stamp(now)}-{secrets.token_hex(4)}"


def session_id_bound(instant: datetime, upper: bool = False) -> str:
    return f"sess-{sortable_stamp(instant)}" + ("~" if upper else "")


def check_session_type(raw: str) -> str:
    session_type = raw.strip().lower()
    if session_type not in SESSION_TYPES:
        raise Invalid(
            f"sessionType must be one of {', '.join(SESSION_TYPES)}.",
            "UNKNOWN_SESSION_TYPE",
            {"accepted": list(SESSION_TYPES)},
        )
    return session_type


def check_metadata(metadata: dict[str, Any] | None) -> dict[str, Any]:
    metadata = metadata or {}
    if not _named_everywhere(metadata):
        # An empty key inside a DynamoDB map is what the emulator cannot read back (found by the fuzzer).
        raise Invalid("Every key in metadata must be a non-empty name.", "INVALID_METADATA")
    if len(json.dumps(metadata, ensure_ascii=False).encode()) > MAX_METADATA_BYTES:
        raise Invalid(f"metadata must be at most {MAX_METADATA_BYTES} bytes of JSON.", "METADATA_TOO_LARGE")
    return metadata


def _named_everywhere(value: Any) -> bool:
    if isinstance(value, dict):
        return all(key and _named_everywhere(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_named_everywhere(item) for item in value)
    return True


@dataclass(frozen=True)
class LearningSession:
    student_email: str
    session_id: str
    session_type: str
    start_time: str
    metadata: dict[str, Any]
    status: SessionStatus = "OPEN"
    end_time: str | None = None
    duration: int = 0  # seconds
    speaking_ms: int = 0  # recordings assessed while open
    evaluation_count: int = 0

    @property
    def started_at(self) -> datetime:
        return parse_iso(self.start_time)

    @property
    def day(self) -> date:
        """A session counts on the KST day it started, even if it ends after midnight."""
        return kst_day(self.started_at)

    @property
    def speaking_duration(self) -> int:
        return round(self.speaking_ms / 1000)

    def collects_speech_at(self, now: datetime) -> bool:
        return self.status == "OPEN" and (now - self.started_at).total_seconds() <= OPEN_SESSION_RECENT_SECONDS

    def ended(self, now: datetime) -> LearningSession:
        if self.status == "ENDED":
            raise Conflict("This session has already ended.", "SESSION_ALREADY_ENDED")
        elapsed = max(0, int((now - self.started_at).total_seconds()))
        return replace(self, status="ENDED", end_time=iso_utc(now), duration=min(elapsed, MAX_SESSION_SECONDS))


def start_session(
    student_email: str, session_type: str, metadata: dict[str, Any] | None, now: datetime
) -> LearningSession:
    return LearningSession(
        student_email=student_email,
        session_id=new_session_id(now),
        session_type=check_session_type(session_type),
        start_time=iso_utc(now),
        metadata=check_metadata(metadata),
    )
