"""Notifications use cases: deliver integration events, read the inbox, send and read tutor feedback."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from speaktracker.auth import Principal
from speaktracker.errors import Forbidden, Invalid, NotFound, Unavailable
from speaktracker.events import Event, FeedbackSent, TutorMatch, UserDeleted
from speaktracker.student_handles import StudentHandles, follow_link, shown_to, student_named_by_tutor
from speaktracker.tutor_links import follow_match

from . import inbox
from .ports import (
    Erasure,
    FeedbackLog,
    FeedbackMessage,
    LivePush,
    NotificationInbox,
    Page,
    Publisher,
    PushReceipts,
    TutorLinks,
)


@dataclass
class Notifications:
    inbox: NotificationInbox
    feedback: FeedbackLog
    links: TutorLinks
    live: LivePush
    events: Publisher
    erasure: Erasure
    receipts: PushReceipts
    handles: StudentHandles
    clock: Callable[[], float] = field(default=time.time)


# --- the events consumer ------------------------------------------------------------------------
def deliver(ctx: Notifications, event: Event) -> None:
    """Idempotent: a redelivered event finds its inbox rows and pushes only what was not pushed yet.
    A failed push never loses the notification: the row is written first."""
    if isinstance(event, UserDeleted):
        erase_user(ctx, event)
        return
    tutor = ctx.links.tutor_of(event.student_email) if event.type == "practice_result" else None
    meaning = inbox.interpret(event, tutor_of_student=tutor)
    if isinstance(event, TutorMatch):
        follow_match(ctx.links, event)
        follow_link(ctx.handles, event)
    expires = int(ctx.clock()) + inbox.INBOX_DAYS * 86_400
    for delivery in (_as_seen_by_recipient(ctx, event, d) for d in meaning.deliveries):
        if not delivery.keep:
            # A live-only frame (tts_ready, ai_reply, ...) has no inbox row to remember it was pushed: the receipt
            # does, so an event delivered again (SQS at least once, a worker's retry) is not pushed twice.
            if ctx.receipts.claim(delivery.recipient, event.event_id, int(ctx.clock()) + 86_400):
                ctx.live.push(delivery.recipient, delivery.frame)
            continue
        note = inbox.notification_for(event, delivery, expires)
        if not ctx.inbox.add(note):
            existing = ctx.inbox.get(note.user_email, note.notification_id)
            if existing is not None and existing.pushed:
                continue
        frame = {**delivery.frame, "notification": note.as_json()}
        if ctx.live.push(delivery.recipient, frame):
            ctx.inbox.mark_pushed(note.user_email, note.notification_id)
            if meaning.feedback_id and isinstance(event, FeedbackSent):
                ctx.feedback.mark_sent(event.tutor_email, event.student_email, event.timestamp)


def _as_seen_by_recipient(ctx: Notifications, event: Event, delivery: inbox.Delivery) -> inbox.Delivery:
    """A frame about a student that goes to someone else (their tutor) names a child by handle, never by email."""
    email = delivery.frame.get("studentEmail")
    if not email or email == delivery.recipient:
        return delivery
    handle = event.student_handle if isinstance(event, TutorMatch) else None
    handle = handle or ctx.handles.handle_of(email, delivery.recipient)
    return replace(delivery, frame={**delivery.frame, "studentEmail": handle}) if handle else delivery


def erase_user(ctx: Notifications, event: UserDeleted) -> None:
    """A deleted account leaves nothing here; a failure raises, and the redelivery erases the rest."""
    ctx.erasure.erase_user(event.email.strip().lower())


# --- inbox --------------------------------------------------------------------------------------
def list_notifications(
    ctx: Notifications, principal: Principal, unread_only: bool, cursor: str | None, limit: int
) -> Page:
    return ctx.inbox.page(principal.email, unread_only, cursor, limit, principal.user_id)


def mark_read(ctx: Notifications, principal: Principal, notification_id: str) -> None:
    if not ctx.inbox.mark_read(principal.email, notification_id):
        raise NotFound("You have no such notification.", "NOTIFICATION_NOT_FOUND")


def mark_all_read(ctx: Notifications, principal: Principal) -> int:
    ids = ctx.inbox.unread_ids(principal.email)
    for notification_id in ids:
        ctx.inbox.mark_read(principal.email, notification_id)
    return len(ids)


# --- tutor feedback -----------------------------------------------------------------------------
def send_feedback(
    ctx: Notifications, tutor: Principal, student: str, message: str, message_type: str
) -> FeedbackMessage:
    """``student`` is the student's email, or a child's handle (what the tutor's screens show)."""
    student_email = student_named_by_tutor(ctx.handles, tutor.email, student) or ""
    message = message.strip()
    if not message:
        raise Invalid("Write a message first.", "EMPTY_MESSAGE")
    if message_type not in inbox.FEEDBACK_TYPES:
        raise Invalid(f"messageType must be one of {', '.join(inbox.FEEDBACK_TYPES)}.", "INVALID_MESSAGE_TYPE")
    if not student_email or ctx.links.tutor_of(student_email) != tutor.email:
        raise Forbidden("You can send feedback only to your own students.", "NOT_YOUR_STUDENT")
    now = datetime.fromtimestamp(ctx.clock(), UTC)
    feedback = FeedbackMessage(
        feedback_id=str(uuid.uuid4()),
        tutor_email=tutor.email,
        student_email=student_email,
        message=message,
        message_type=message_type,
        timestamp=now.isoformat(timespec="milliseconds"),
    )
    ctx.feedback.add(feedback)
    # Stored first; the live push and the inbox entry follow through the events consumer, which retries. A
    # publish that fails takes the stored feedback back out, so the tutor never sees feedback "sent" that the
    # student will never hear of: the tutor is told to send it again.
    try:
        ctx.events.publish(
            FeedbackSent(
                eventId=str(uuid.uuid5(uuid.NAMESPACE_URL, f"feedback/{feedback.feedback_id}")),
                feedbackId=feedback.feedback_id,
                tutorEmail=tutor.email,
                studentEmail=student_email,
                message=message,
                messageType=message_type,
                timestamp=feedback.timestamp,
                occurredAt=now,
            )
        )
    except Exception as exc:
        ctx.feedback.remove(tutor.email, student_email, feedback.timestamp)
        raise Unavailable(
            "The feedback could not be delivered just now and was not saved: send it again.", "FEEDBACK_NOT_SENT"
        ) from exc
    return feedback


def list_feedback(
    ctx: Notifications, principal: Principal, student_email: str | None, cursor: str | None, limit: int
) -> Page:
    if principal.is_student:
        if student_email and student_email.lower() != principal.email:
            raise Forbidden("You can read only your own feedback.", "NOT_YOUR_FEEDBACK")
        return ctx.feedback.for_student(principal.email, cursor, limit, principal.user_id)
    wanted = student_named_by_tutor(ctx.handles, principal.email, student_email) if student_email else None
    if student_email and wanted is None:
        return Page([], None)  # a handle that names none of this tutor's students: nothing was sent to them
    page = ctx.feedback.from_tutor(principal.email, wanted, cursor, limit, principal.user_id)
    return Page([feedback_as_seen_by(ctx, principal, item) for item in page.items], page.cursor)


def feedback_as_seen_by(ctx: Notifications, principal: Principal, feedback: dict[str, Any]) -> dict[str, Any]:
    """A tutor's copy of a feedback message names a child by handle."""
    if principal.is_student:
        return feedback
    return {**feedback, "studentEmail": shown_to(ctx.handles, principal.email, feedback["studentEmail"])}
