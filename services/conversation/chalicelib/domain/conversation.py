"""A conversation, its turns and the reply requests between them.

One turn is one exchange: what the learner said (and what we heard of it), then the partner's answer. Turn 0
is the partner's opening line. Only one reply can be in the making at a time (the conversation holds the
pending request's id), a conversation has a turn limit, and an ended conversation takes no more turns.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from speaktracker.errors import Conflict, Invalid

from .scenarios import Level, Scenario, free_scenario, words_of

TURN_LIMIT = 10
MAX_MESSAGE_CHARS = 500
MAX_AUDIO_BYTES = 10 * 1024 * 1024  # one spoken turn
KEEP_DAYS = 90
RequestStatus = Literal["PROCESSING", "COMPLETED", "FAILED"]


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso_utc(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


def new_conversation_id(now: datetime) -> str:
    return f"conv-{now.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:12]}"


def new_request_id() -> str:
    return f"req-{uuid.uuid4().hex}"


def clean_message(raw: str | None) -> str:
    """The learner's typed text, whitespace folded; empty when they sent none."""
    text = " ".join((raw or "").split())
    if len(text) > MAX_MESSAGE_CHARS:
        raise Invalid(f"userMessage must be at most {MAX_MESSAGE_CHARS} characters.", "MESSAGE_TOO_LONG")
    if text and not re.search(r"[A-Za-z]", text):
        raise Invalid(
            "Write your message in English (Korean alone cannot be answered in the role-play).", "MESSAGE_NOT_ENGLISH"
        )
    return text


@dataclass(frozen=True)
class Conversation:
    conversation_id: str
    student_email: str
    scenario_id: str
    level: Level
    started_at: str
    topic: str = ""
    role: str | None = None
    situation: str | None = None
    turn_count: int = 0
    turn_limit: int = TURN_LIMIT
    status: Literal["ACTIVE", "ENDED"] = "ACTIVE"
    pending_request_id: str | None = None
    pending_since: str | None = None
    ended_at: str | None = None
    last_message: str = ""
    report: dict[str, Any] | None = None

    @property
    def ended(self) -> bool:
        return self.status == "ENDED"

    @property
    def turns_left(self) -> int:
        return max(0, self.turn_limit - self.turn_count)

    def scenario(self, catalogue: Any) -> Scenario:
        if self.scenario_id == "free":
            return free_scenario(self.topic, self.role, self.situation)
        found: Scenario = catalogue.get(self.scenario_id)
        return found

    def expires_at(self) -> int:
        return int((parse_iso(self.started_at) + timedelta(days=KEEP_DAYS)).timestamp())

    def check_can_take_message(self) -> None:
        """Before anything is written: an ended conversation or one at its limit takes no new message."""
        if self.ended:
            raise Conflict("This conversation has ended; start a new one.", "CONVERSATION_ENDED")
        if self.turns_left == 0:
            raise Conflict(
                f"This conversation reached its limit of {self.turn_limit} turns; end it for the report.",
                "TURN_LIMIT_REACHED",
            )

    def busy_at(self, now: datetime, stale_after: timedelta) -> bool:
        """A reply is being made. A request older than every retry could take is abandoned (its message was
        lost), so it can no longer block the learner."""
        if not self.pending_request_id or not self.pending_since:
            return False
        return now - parse_iso(self.pending_since) < stale_after


@dataclass(frozen=True)
class Pronunciation:
    overall_score: float
    accuracy_score: float
    fluency_score: float
    words: tuple[dict[str, Any], ...] = ()
    weakest_sounds: tuple[dict[str, Any], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "overallScore": self.overall_score,
            "accuracyScore": self.accuracy_score,
            "fluencyScore": self.fluency_score,
            "words": list(self.words),
            "weakestSounds": list(self.weakest_sounds),
        }


@dataclass(frozen=True)
class Turn:
    """``index`` 0 is the opener; learner fields are empty there."""

    conversation_id: str
    index: int
    ai_message: str
    ai_message_ko: str
    created_at: str
    request_id: str | None = None
    heard_text: str = ""
    typed_text: str = ""
    user_audio_key: str | None = None
    ai_audio_key: str | None = None
    ai_audio_id: str | None = None
    speaking_ms: int = 0
    feedback: dict[str, Any] | None = None

    @property
    def words(self) -> int:
        return len(words_of(self.heard_text))


@dataclass(frozen=True)
class ReplyRequest:
    request_id: str
    conversation_id: str
    student_email: str
    created_at: str
    status: RequestStatus = "PROCESSING"
    typed_text: str = ""
    audio_key: str | None = None
    audio_content_type: str | None = None
    turn_index: int | None = None
    reason: str | None = None
    reason_code: str | None = None
    notified: bool = False
    feedback_done: bool = False
    updated_at: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("COMPLETED", "FAILED")

    def failed(self, reason: str, code: str, now: datetime) -> ReplyRequest:
        return replace(self, status="FAILED", reason=reason, reason_code=code, updated_at=iso_utc(now))

    def as_seen_at(self, now: datetime, deadline: timedelta) -> ReplyRequest:
        """Never leave a client polling forever: a request unfinished long past its retries is FAILED."""
        if not self.finished and now - parse_iso(self.created_at) > deadline:
            return self.failed(
                "The reply was not made in time; please send your message again.", "REPLY_TIMED_OUT", now
            )
        return self


def processing_deadline(visibility_timeout: int, max_receive_count: int) -> timedelta:
    return timedelta(seconds=visibility_timeout * max_receive_count + 120)


def audio_id(voice: str, text: str) -> str:
    """Speech is cached by (voice, text): the same line in the same voice is made once."""
    return hashlib.sha256(f"{voice}\n{' '.join(text.split())}".encode()).hexdigest()[:32]


def recording_key(folder: str, now: datetime, extension: str) -> str:
    return f"user-audio/{folder}/conv-{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(6)}.{extension}"


@dataclass
class GoalProgress:
    met: dict[str, bool] = field(default_factory=dict)

    def all_met(self) -> bool:
        return bool(self.met) and all(self.met.values())


def goal_progress(scenario: Scenario, learner_texts: list[str]) -> GoalProgress:
    """A goal is met when the learner used one of its key words (a question mark counts as asking)."""
    said = set()
    asked = False
    for text in learner_texts:
        said.update(words_of(text))
        asked = asked or "?" in text or _is_question(text)
    met = {}
    for goal in scenario.goals:
        keys = set(goal.keywords)
        met[goal.goal_id] = bool(said & keys) or ("?" in keys and asked)
    return GoalProgress(met)


_QUESTION_STARTS = (
    "what",
    "where",
    "when",
    "why",
    "how",
    "who",
    "which",
    "do",
    "does",
    "did",
    "can",
    "could",
    "is",
    "are",
    "will",
    "would",
    "should",
    "may",
    "have",
    "was",
    "were",
)


def _is_question(text: str) -> bool:
    words = words_of(text)
    return text.strip().endswith("?") or (bool(words) and words[0] in _QUESTION_STARTS)


def is_question(text: str) -> bool:
    return _is_question(text)
