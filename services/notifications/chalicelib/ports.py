"""What the notifications use cases need from the outside world."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from speaktracker.tutor_links import TutorLinks as TutorLinks

from .inbox import Notification


@dataclass(frozen=True)
class FeedbackMessage:
    feedback_id: str
    tutor_email: str
    student_email: str
    message: str
    message_type: str
    timestamp: str
    websocket_sent: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "feedbackId": self.feedback_id,
            "tutorEmail": self.tutor_email,
            "studentEmail": self.student_email,
            "message": self.message,
            "messageType": self.message_type,
            "timestamp": self.timestamp,
            "websocketSent": self.websocket_sent,
        }


@dataclass(frozen=True)
class Page:
    items: list[Any]
    cursor: str | None


class NotificationInbox(Protocol):
    def add(self, notification: Notification) -> bool:
        """Stores it unless a row with its id exists; True if this call stored it."""

    def get(self, user_email: str, notification_id: str) -> Notification | None: ...

    def mark_pushed(self, user_email: str, notification_id: str) -> None: ...

    def mark_read(self, user_email: str, notification_id: str) -> bool:
        """False if the user has no such notification."""

    def unread_ids(self, user_email: str) -> list[str]: ...

    def page(self, user_email: str, unread_only: bool, cursor: str | None, limit: int, caller: str) -> Page:
        """A page of the user's inbox, newest first; its cursor opens only for ``caller`` (a user id)."""


class FeedbackLog(Protocol):
    def add(self, feedback: FeedbackMessage) -> None: ...

    def mark_sent(self, tutor_email: str, student_email: str, timestamp: str) -> None: ...

    def remove(self, tutor_email: str, student_email: str, timestamp: str) -> None: ...

    def for_student(self, student_email: str, cursor: str | None, limit: int, caller: str) -> Page: ...

    def from_tutor(
        self, tutor_email: str, student_email: str | None, cursor: str | None, limit: int, caller: str
    ) -> Page: ...


class LivePush(Protocol):
    def push(self, user_email: str, frame: dict[str, Any]) -> int:
        """Sends the frame to every live connection of the user; returns how many received it."""


class PushReceipts(Protocol):
    def claim(self, user_email: str, event_id: str, expires_at: int) -> bool:
        """Records that this event's live frame goes to this user; False if it was claimed before."""


class Publisher(Protocol):
    def publish(self, event: Any) -> None: ...


class ConnectionLookup(Protocol):
    """Live WebSocket connections of a user (expired ones are not returned)."""

    def for_user(self, user_email: str) -> list[str]: ...

    def remove(self, connection_id: str) -> None: ...


class Erasure(Protocol):
    def erase_user(self, email: str) -> None:
        """Deletes the user's inbox, connections, feedback sent and received, their tutor link and every
        notification about them in someone else's inbox; raises if anything is left."""
