"""Integration events between contexts: pydantic contracts with a ``type`` and a ``version``.

A producer publishes to the events topic; the topic fans each event out to the queues that subscribe to its
type (see ``catalogue.QUEUES``). A consumer parses with ``parse_event`` and ignores types it does not know,
so producers can add events without breaking anyone.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError


def utcnow() -> datetime:
    return datetime.now(UTC)


# defer_build: a model's validator is built on its first use, not at import (a service's cold start).
_CONFIG = ConfigDict(populate_by_name=True, extra="ignore", frozen=True, defer_build=True)


class Event(BaseModel):
    model_config = _CONFIG

    type: str
    version: int = 1
    event_id: str = Field(default_factory=lambda: str(uuid.uuid4()), alias="eventId")
    occurred_at: datetime = Field(default_factory=utcnow, alias="occurredAt")

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)


# --- identity -----------------------------------------------------------------------------------
class UserRegistered(Event):
    """A user confirmed their email: they exist for the other contexts from now on."""

    type: Literal["user_registered"] = "user_registered"
    email: str
    name: str
    role: Literal["student", "tutor"]
    # A child (under the consent age): other contexts show tutors only the first name (see first_name) and,
    # instead of the email, the child's handle (see child_handle).
    is_minor: bool = Field(False, alias="isMinor")
    student_handle: str | None = Field(None, alias="studentHandle")


class UserProfileUpdated(Event):
    type: Literal["user_profile_updated"] = "user_profile_updated"
    email: str
    name: str
    role: Literal["student", "tutor"]
    intro: str | None = None
    is_minor: bool = Field(False, alias="isMinor")
    student_handle: str | None = Field(None, alias="studentHandle")


def first_name(name: str) -> str:
    """What a tutor sees of a child's name: its first word."""
    words = name.split()
    return words[0] if words else name


CHILD_HANDLE_PREFIX = "child-"


def child_handle(user_id: str) -> str:
    """What a tutor sees instead of a child's email: stable (derived from the account's id, which no tutor
    sees), opaque (a one-way hash) and never an email, so a tutor route tells the two apart."""
    return CHILD_HANDLE_PREFIX + hashlib.sha256(f"speaktracker/student-handle/{user_id}".encode()).hexdigest()[:24]


def is_child_handle(value: str) -> bool:
    return value.startswith(CHILD_HANDLE_PREFIX) and "@" not in value


def shown_to_tutor(email: str, handle: str | None) -> str:
    """How a tutor's payloads name a student: a child by their handle, an adult by their email."""
    return handle or email


class UserDeleted(Event):
    """An account was deleted (by its owner, or for a reason such as a guardian's withdrawn consent): every
    context erases what it holds of them. Identity has already erased its own rows and the Cognito user."""

    type: Literal["user_deleted"] = "user_deleted"
    email: str
    user_id: str = Field(alias="userId")
    role: Literal["student", "tutor"]
    reason: str = "user_request"


class ExportFileEntry(BaseModel):
    """One file of a data export: its path inside the ZIP, what it holds, its size."""

    model_config = _CONFIG

    path: str
    description: str
    size: int
    content_type: str = Field("application/json", alias="contentType")


class UserExportRequested(Event):
    """A user asked for a copy of everything we hold about them (GDPR art. 20): each context writes its
    part under ``exports/{exportId}/{context}/`` and answers with ``UserExportPartReady``."""

    type: Literal["user_export_requested"] = "user_export_requested"
    export_id: str = Field(alias="exportId")
    email: str
    role: Literal["student", "tutor"]


class UserExportPartReady(Event):
    type: Literal["user_export_part_ready"] = "user_export_part_ready"
    export_id: str = Field(alias="exportId")
    email: str
    context: str
    files: tuple[ExportFileEntry, ...] = ()


class UserExportReady(Event):
    """The export's ZIP is assembled; notifications tells the user (inbox and live push)."""

    type: Literal["user_export_ready"] = "user_export_ready"
    export_id: str = Field(alias="exportId")
    email: str
    available_until: str = Field(alias="availableUntil")


# --- matching -----------------------------------------------------------------------------------
# The ``endedBy`` of the links matching ends because an account was deleted: nobody is told, and no context keeps
# a marker of such an end (it would hold the deleted person's email).
ENDED_BY_DELETION = "account_deleted"


class TutorMatch(Event):
    """A match request changed: requested, approved, rejected, cancelled, or a link ended."""

    type: Literal["tutor_match"] = "tutor_match"
    action: Literal["requested", "approved", "rejected", "cancelled", "ended"]
    request_id: str | None = Field(None, alias="requestId")
    student_email: str = Field(alias="studentEmail")
    tutor_email: str = Field(alias="tutorEmail")
    student_name: str | None = Field(None, alias="studentName")
    tutor_name: str | None = Field(None, alias="tutorName")
    message: str | None = None
    reason: str | None = None
    ended_by: str | None = Field(None, alias="endedBy")
    # A child's handle: what the tutor's inbox, pushes and routes use instead of the email.
    student_handle: str | None = Field(None, alias="studentHandle")


class StudentStatusUpdate(Event):
    type: Literal["student_status_update"] = "student_status_update"
    student_email: str = Field(alias="studentEmail")
    tutor_email: str = Field(alias="tutorEmail")
    room: str
    is_learning: bool = Field(alias="isLearning")


# --- notifications ------------------------------------------------------------------------------
class FeedbackSent(Event):
    type: Literal["feedback"] = "feedback"
    feedback_id: str = Field(alias="feedbackId")
    tutor_email: str = Field(alias="tutorEmail")
    student_email: str = Field(alias="studentEmail")
    message: str
    message_type: str = Field("text", alias="messageType")
    timestamp: str  # the feedback message's own sort key, so the consumer can record websocketSent


# --- practice -----------------------------------------------------------------------------------
class TtsReady(Event):
    type: Literal["tts_ready"] = "tts_ready"
    job_id: str = Field(alias="jobId")
    owner_email: str = Field(alias="ownerEmail")
    status: Literal["COMPLETED", "FAILED"]
    session_id: str | None = Field(None, alias="sessionId")
    sentence_index: int | None = Field(None, alias="sentenceIndex")
    reason: str | None = None


class PracticeResult(Event):
    """A student's pronunciation was assessed; their tutor sees it live."""

    type: Literal["practice_result"] = "practice_result"
    student_email: str = Field(alias="studentEmail")
    result_id: str = Field(alias="resultId")
    original_text: str = Field(alias="originalText")
    overall_score: float = Field(alias="overallScore")
    grade: str
    # For learning analytics: the sentence's level when it came from a generated set, the recording's length.
    level: str | None = None
    session_id: str | None = Field(None, alias="sessionId")
    speaking_seconds: float = Field(0.0, alias="speakingSeconds")


class PracticeSessionEnded(Event):
    """A practice session ended: it counts in the day's sessions and minutes (learning analytics)."""

    type: Literal["practice_session_ended"] = "practice_session_ended"
    student_email: str = Field(alias="studentEmail")
    session_id: str = Field(alias="sessionId")
    session_type: str = Field(alias="sessionType")
    started_at: str = Field(alias="startedAt")
    duration_seconds: int = Field(alias="durationSeconds")
    speaking_seconds: int = Field(0, alias="speakingSeconds")
    evaluation_count: int = Field(0, alias="evaluationCount")


# --- conversation -------------------------------------------------------------------------------
class AiReplyReady(Event):
    type: Literal["ai_reply_ready"] = "ai_reply_ready"
    request_id: str = Field(alias="requestId")
    conversation_id: str = Field(alias="conversationId")
    student_email: str = Field(alias="studentEmail")
    status: Literal["COMPLETED", "FAILED"]
    ai_message: str | None = Field(None, alias="aiMessage")
    ai_message_ko: str | None = Field(None, alias="aiMessageKo")
    audio_job_id: str | None = Field(None, alias="audioJobId")
    heard_text: str | None = Field(None, alias="heardText")
    turn_count: int | None = Field(None, alias="turnCount")
    reason: str | None = None


class ConversationTurnCompleted(Event):
    """A learner's turn in an AI conversation was answered: practice counts it in the day's statistics."""

    type: Literal["conversation_turn_completed"] = "conversation_turn_completed"
    student_email: str = Field(alias="studentEmail")
    conversation_id: str = Field(alias="conversationId")
    request_id: str = Field(alias="requestId")
    turn_index: int = Field(alias="turnIndex")
    speaking_seconds: float = Field(0.0, alias="speakingSeconds")
    words: int = 0


class TurnFeedbackReady(Event):
    """A turn's feedback (corrections, new words, pronunciation) was saved, after its reply: notifications pushes
    it to the learner's open pages (``turn_feedback``), so the chat shows it without polling."""

    type: Literal["turn_feedback_ready"] = "turn_feedback_ready"
    request_id: str = Field(alias="requestId")
    conversation_id: str = Field(alias="conversationId")
    student_email: str = Field(alias="studentEmail")
    turn_index: int = Field(alias="turnIndex")
    feedback: dict[str, Any]  # the turn's feedback as the status and transcript routes answer it (FeedbackOut)


# The events this version knows, as one discriminated union (spelled out: a union cannot be built from a tuple
# in a way type checkers follow); _EVENTS is its members.
KnownEvent = Annotated[
    UserRegistered
    | UserProfileUpdated
    | UserDeleted
    | UserExportRequested
    | UserExportPartReady
    | UserExportReady
    | TutorMatch
    | StudentStatusUpdate
    | FeedbackSent
    | TtsReady
    | PracticeResult
    | PracticeSessionEnded
    | AiReplyReady
    | ConversationTurnCompleted
    | TurnFeedbackReady,
    Field(discriminator="type"),
]
_EVENTS: tuple[type[Event], ...] = get_args(get_args(KnownEvent)[0])
KNOWN_TYPES = frozenset(cls.model_fields["type"].default for cls in _EVENTS)
EVENT_CLASSES: dict[str, type[Event]] = {cls.model_fields["type"].default: cls for cls in _EVENTS}


@functools.cache
def _known() -> TypeAdapter[Event]:
    """The discriminated union's validator, built on the first parse rather than at import."""
    return TypeAdapter(KnownEvent)


class MalformedEvent(ValueError):
    """The message claims a known type but does not fit its contract: a poison message."""


def parse_event(body: str | bytes | dict[str, Any]) -> Event | None:
    """The event in a queue message, or None for a type this version does not know."""
    try:
        data = json.loads(body) if isinstance(body, (str, bytes)) else body
    except json.JSONDecodeError as exc:
        raise MalformedEvent("message body is not JSON") from exc
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise MalformedEvent("message has no event type")
    if data["type"] not in KNOWN_TYPES:
        return None
    try:
        return _known().validate_python(data)
    except ValidationError as exc:
        raise MalformedEvent(f"{data['type']} does not fit its contract: {exc.errors()[0]['msg']}") from exc


class EventPublisher(Protocol):
    def publish(self, event: Event) -> None: ...


class SnsEventPublisher:
    """Publishes to the events topic; the ``type`` attribute drives each queue's subscription filter."""

    def __init__(self, sns_client: Any, topic_arn: str) -> None:
        self._sns, self._topic_arn = sns_client, topic_arn

    def publish(self, event: Event) -> None:
        self._sns.publish(TopicArn=self._topic_arn, Message=event.to_json(), MessageAttributes=_attributes(event))

    def publish_all(self, events: Sequence[Event]) -> None:
        """PublishBatch, ten a call: one round trip for a request's events instead of one each. Raises if the
        topic refused any of them (the ones after a refused call are not sent)."""
        for start in range(0, len(events), 10):
            batch = events[start : start + 10]
            entries = [
                {"Id": str(i), "Message": event.to_json(), "MessageAttributes": _attributes(event)}
                for i, event in enumerate(batch)
            ]
            failed = self._sns.publish_batch(TopicArn=self._topic_arn, PublishBatchRequestEntries=entries).get("Failed")
            if failed:
                refused = ", ".join(f"{batch[int(f['Id'])].type} ({f.get('Code')})" for f in failed)
                raise RuntimeError(f"the events topic refused {refused}")


def _attributes(event: Event) -> dict[str, Any]:
    return {
        "type": {"DataType": "String", "StringValue": event.type},
        "version": {"DataType": "Number", "StringValue": str(event.version)},
    }


def publisher_from(clients: Any) -> SnsEventPublisher:
    """The events-topic publisher for a service's ``AwsClients``."""
    from .catalogue import EVENTS_TOPIC

    return SnsEventPublisher(clients.client("sns"), clients.topic_arn(EVENTS_TOPIC))
