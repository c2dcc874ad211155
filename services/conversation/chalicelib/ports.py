"""What conversation's use cases need from the outside world, as small protocols."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from speaktracker.events import Event
from speaktracker.tutor_links import TutorLinks as TutorLinks

from .domain.conversation import Conversation, ReplyRequest, Turn
from .domain.feedback import Hint, PartnerReply, TurnFeedback
from .domain.images import GeneratedContent, ImageSpec
from .domain.scenarios import Level, Scenario


@dataclass(frozen=True)
class Page:
    items: list[Conversation]
    cursor: str | None


class ConversationStore(Protocol):
    def start(self, conversation: Conversation, opener: Turn) -> None:
        """The META item and the opening turn, in one transaction."""

    def get(self, conversation_id: str) -> Conversation | None: ...

    def turns(self, conversation_id: str) -> list[Turn]: ...

    def page(self, student_email: str, cursor: str | None, limit: int, caller: str) -> Page:
        """The student's conversations, newest first; the cursor opens only for ``caller`` (a user id)."""

    def open_request(self, conversation: Conversation, request: ReplyRequest, stale_before: datetime) -> None:
        """Marks the request pending on the conversation and stores it, in one transaction. Conflict if a
        reply is already being made, the conversation ended or reached its limit meanwhile."""

    def get_request(self, request_id: str) -> ReplyRequest | None: ...

    def complete_turn(self, request: ReplyRequest, turn: Turn, last_message: str) -> bool:
        """Adds the turn, counts it and releases the conversation, and marks the request COMPLETED, in one
        transaction; False if the request had finished already (a redelivery)."""

    def fail_request(self, request: ReplyRequest) -> bool:
        """Marks the request FAILED and releases the conversation; False if it had finished already."""

    def mark_notified(self, request_id: str) -> None: ...

    def save_feedback(self, request_id: str, conversation_id: str, index: int, feedback: dict[str, Any]) -> None: ...

    def end(self, conversation: Conversation, report: dict[str, Any], ended_at: str) -> Conversation:
        """Ends the conversation with its report unless it ended already; the stored conversation."""


class ReplyQueue(Protocol):
    def send(self, request: ReplyRequest, step: str = "reply") -> None:
        """Queues the request's reply (ai-chat) or, once it is out, its feedback (ai-feedback)."""


class RecordingStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def read(self, key: str, max_bytes: int) -> tuple[bytes, str] | None: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def presign_download(self, key: str) -> str: ...

    def erase_prefix(self, prefix: str) -> int:
        """Deletes every object (and every version) under ``prefix``; raises if any is left."""


class Erasure(Protocol):
    def erase_user(self, email: str) -> None:
        """Deletes the student's conversations, turns, reply requests and tutor record; raises if any is left."""


@dataclass(frozen=True)
class Heard:
    text: str
    duration_ms: int


class Ears(Protocol):
    """Speech to text for a learner's turn, with the checks practice applies to recordings."""

    def check(self, audio: bytes) -> int:
        """The recording's length in ms; a speech input error (undecodable, silent, too long...) otherwise."""

    def hear(self, audio: bytes, content_type: str | None) -> Heard: ...


@dataclass(frozen=True)
class Voice:
    audio: bytes
    content_type: str
    extension: str


class Mouth(Protocol):
    voice: str
    extension: str

    def speak(self, text: str) -> Voice: ...


class PronunciationScorer(Protocol):
    def score(self, audio: bytes, heard_text: str, content_type: str | None) -> dict[str, Any] | None:
        """Word scores and weakest sounds of the turn against what was heard; None if it cannot be scored."""


class Partner(Protocol):
    name: str

    def opening(self, scenario: Scenario, level: Level) -> PartnerReply: ...

    def reply(self, scenario: Scenario, level: Level, turns: list[Turn], heard: str, last: bool) -> PartnerReply: ...

    def hint(self, scenario: Scenario, level: Level, turns: list[Turn]) -> Hint: ...


class Coach(Protocol):
    def feedback(self, scenario: Scenario, level: Level, turns: list[Turn], heard: str) -> TurnFeedback: ...


class Publisher(Protocol):
    def publish(self, event: Event) -> None: ...


@dataclass(frozen=True)
class Image:
    data: bytes
    content_type: str


class ImageGenerator(Protocol):
    model: str  # names the engine in the picture's hash: another engine makes another picture

    def generate(self, spec: ImageSpec) -> Image:
        """The picture; ``Unavailable`` (503 IMAGE_UNAVAILABLE) once retries are spent or the output is unusable."""


class GeneratedContentStore(Protocol):
    def reuse(self, content_id: str, now: datetime) -> GeneratedContent | None:
        """The live record, its usage counted once more (atomically); None if there is none or it expired."""

    def record(self, content: GeneratedContent, now: datetime) -> GeneratedContent:
        """Stores the record unless a live one exists; the stored record either way (the winner's)."""
