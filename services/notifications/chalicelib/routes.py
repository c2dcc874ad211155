"""Notifications' HTTP routes (inbox, tutor feedback) and its events consumer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from speaktracker import logging as slog
from speaktracker.auth import Principal
from speaktracker.events import UserExportRequested, parse_event
from speaktracker.http import ANY_ROLE, Routes
from speaktracker.lazy import lazy_module
from speaktracker.openapi import Answer
from speaktracker.settings import get_settings
from speaktracker.sqs import QueueMessage, process_batch

from .inbox import FEEDBACK_MAX_CHARS

if TYPE_CHECKING:
    from . import data_export, service
    from .ports import Page
else:  # the use cases load with the first request or message that calls one
    service = lazy_module(f"{__package__}.service")
    data_export = lazy_module(f"{__package__}.data_export")

_log = slog.get_logger("notifications.events")


class InboxQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    unread: Literal["true", "false"] = "false"
    cursor: str | None = Field(None, max_length=2048)
    limit: int = Field(20, ge=1, le=100)


class FeedbackQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", populate_by_name=True)
    student_email: str | None = Field(None, alias="studentEmail", max_length=254)
    cursor: str | None = Field(None, max_length=2048)
    limit: int = Field(20, ge=1, le=100)


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    student_email: str = Field(alias="studentEmail", min_length=3, max_length=254)
    message: str = Field(min_length=1, max_length=FEEDBACK_MAX_CHARS)
    message_type: str = Field("text", alias="messageType", max_length=20)


# --- answers (documented in GET /openapi.json; the web app's types come from them) ---------------------------
class NotificationAnswer(Answer):
    notification_id: str
    type: str
    title: str
    message: str
    data: dict[str, Any]
    created_at: str
    read: bool


class NotificationPage(Answer):
    notifications: list[NotificationAnswer]
    cursor: str | None


class MarkedRead(Answer):
    notification_id: str
    read: Literal[True]


class MarkedAll(Answer):
    marked: int


MessageType = Literal["text", "praise", "correction", "assignment"]


class FeedbackAnswer(Answer):
    feedback_id: str
    tutor_email: str
    student_email: str
    message: str
    message_type: MessageType
    timestamp: str
    websocket_sent: bool


class FeedbackSent(Answer):
    message: str
    feedback: FeedbackAnswer


class FeedbackPage(Answer):
    feedback: list[FeedbackAnswer]
    cursor: str | None


def register_routes(routes: Routes, notifications: Any) -> None:
    """``notifications`` is a zero-argument callable returning the wired ``service.Notifications``."""

    @routes.get("/api/notifications", query=InboxQuery, roles=ANY_ROLE, response=NotificationPage)
    def list_notifications(principal: Principal, query: InboxQuery) -> dict:
        page = service.list_notifications(notifications(), principal, query.unread == "true", query.cursor, query.limit)
        return _page("notifications", page)

    @routes.post("/api/notifications/{notification_id}/read", roles=ANY_ROLE, response=MarkedRead)
    def mark_read(principal: Principal, notification_id: str) -> dict:
        service.mark_read(notifications(), principal, notification_id)
        return {"notificationId": notification_id, "read": True}

    @routes.post("/api/notifications/read-all", roles=ANY_ROLE, response=MarkedAll)
    def mark_all_read(principal: Principal) -> dict:
        return {"marked": service.mark_all_read(notifications(), principal)}

    @routes.post(
        "/api/tutor/feedback", body=FeedbackRequest, roles=["tutor"], status=201, response=FeedbackSent, errors=[503]
    )
    def send_feedback(principal: Principal, body: FeedbackRequest) -> dict:
        feedback = service.send_feedback(
            notifications(), principal, body.student_email, body.message, body.message_type
        )
        shown = service.feedback_as_seen_by(notifications(), principal, feedback.as_json())
        return {"message": "피드백 전송 완료 / Feedback sent.", "feedback": shown}

    @routes.get("/api/feedback", query=FeedbackQuery, roles=ANY_ROLE, response=FeedbackPage)
    def list_feedback(principal: Principal, query: FeedbackQuery) -> dict:
        page = service.list_feedback(notifications(), principal, query.student_email, query.cursor, query.limit)
        return _page("feedback", page)


def register_events_consumer(app: Any, notifications: Any) -> Any:
    """Returns the handler: app.py binds it as a top-level name, which is what Lambda's handler resolves."""
    settings = get_settings()

    @app.on_sqs_message(queue=settings.name("notifications-events"), batch_size=10)
    def deliver_events(event: Any) -> dict:
        return process_batch(event, lambda message: _deliver(notifications(), message))

    return deliver_events


def _deliver(ctx: service.Notifications, message: QueueMessage) -> None:
    # A malformed event raises MalformedEvent: reported as failed, and after maxReceiveCount the queue
    # moves it to the DLQ instead of looping.
    event = parse_event(message.body)
    if event is None:
        slog.log(_log, 20, "ignored an event type this version does not know")
        return
    if isinstance(event, UserExportRequested):
        data_export.export_notifications_data(event)
        return
    service.deliver(ctx, event)


def _page(name: str, page: Page) -> dict:
    return {name: page.items, "cursor": page.cursor}
