"""Matching use cases, one function per user action. Ports come in through ``Matching``.

Roles are enforced by the routes; these functions check ownership (a tutor decides only requests made to
them, a student cancels only their own) and answer "not found" for what belongs to someone else, so
nobody learns that another student's request exists.

A ``TutorMatch`` event is staged in the outbox by the very transaction that makes the change it announces;
after the commit it is published and then removed. When publishing fails the staged copy stays, and
``relay_outbox`` (run every minute) publishes it later: at least once, and consumers dedupe by event id.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from speaktracker import logging as slog
from speaktracker.errors import Conflict, NotFound
from speaktracker.events import (
    ENDED_BY_DELETION,
    Event,
    StudentStatusUpdate,
    TutorMatch,
    UserDeleted,
    UserProfileUpdated,
    UserRegistered,
    first_name,
    is_child_handle,
)

from . import domain
from .domain import MatchRequest, RequestStatus, Student, Tutor, TutorStudentLink
from .ports import Erasure, Links, Outbox, Page, Publisher, Requests, Students, TutorChanged, Tutors

T = TypeVar("T")
ATTEMPTS = 3  # reads-and-writes of a tutor before we give up on a hot tutor and say so
RELAY_AFTER_SECONDS = 30  # a staged event younger than this is probably still being published after its commit
RELAY_BATCH = 100
_log = slog.get_logger("matching.service")


@dataclass
class Matching:
    tutors: Tutors
    students: Students
    requests: Requests
    links: Links
    outbox: Outbox
    events: Publisher
    erasure: Erasure
    clock: Callable[[], float] = field(default=time.time)
    new_id: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))

    def now(self) -> str:
        return domain.timestamp(self.moment())

    def moment(self, seconds_ago: float = 0.0) -> datetime:
        return datetime.fromtimestamp(self.clock() - seconds_ago, UTC)


# --- finding a tutor ----------------------------------------------------------------------------
def search_tutors(
    ctx: Matching, search: str | None, open_only: bool, cursor: str | None, limit: int, caller: str
) -> Page[Tutor]:
    """``caller``: the user id the page's cursor is sealed for (every list's cursor is its caller's alone)."""
    return ctx.tutors.search(domain.search_prefix(search), open_only, cursor, limit, caller)


def tutor_profile(ctx: Matching, tutor_email: str) -> Tutor:
    tutor = ctx.tutors.get(domain.normalise_email(tutor_email))
    if tutor is None:
        raise NotFound("No tutor uses this email.", "TUTOR_NOT_FOUND")
    return tutor


# --- the tutor's settings -----------------------------------------------------------------------
def tutor_settings(ctx: Matching, tutor_email: str) -> Tutor:
    return _own_tutor(ctx, tutor_email)


def update_tutor_settings(
    ctx: Matching, tutor_email: str, is_accepting: bool | None, max_students: int | None, intro: str | None
) -> Tutor:
    def attempt() -> Tutor:
        tutor = _own_tutor(ctx, tutor_email)
        updated = tutor.with_settings(is_accepting, max_students, intro)
        ctx.tutors.save_settings(tutor, updated)
        return updated

    return _retrying(attempt)


# --- requests -----------------------------------------------------------------------------------
def request_tutor(ctx: Matching, student_email: str, tutor_email: str, message: str) -> MatchRequest:
    message = domain.check_request_message(message)

    def attempt() -> tuple[MatchRequest, TutorMatch]:
        tutor = tutor_profile(ctx, tutor_email)
        tutor.ensure_takes_requests()
        student = ctx.students.get(student_email) or Student(student_email)
        student.ensure_has_no_tutor()
        request = MatchRequest(
            request_id=ctx.new_id(),
            student_email=student_email,
            tutor_email=tutor.email,
            status="PENDING",
            message=message,
            created_at=ctx.now(),
            student_name=student.display_name,
            tutor_name=tutor.name,
            student_handle=student.handle,
        )
        event = _match_event(ctx, request, "requested", message=request.message or None)
        ctx.requests.add(request, tutor, event)
        return request, event

    request, event = _retrying(attempt)
    _announce(ctx, event)
    return request


def requests_to_tutor(
    ctx: Matching, tutor_email: str, status: RequestStatus, cursor: str | None, limit: int, caller: str
) -> Page[MatchRequest]:
    return ctx.requests.of_tutor(tutor_email, status, cursor, limit, caller)


def requests_of_student(
    ctx: Matching, student_email: str, cursor: str | None, limit: int, caller: str
) -> Page[MatchRequest]:
    return ctx.requests.of_student(student_email, cursor, limit, caller)


def approve_request(ctx: Matching, tutor_email: str, request_id: str) -> TutorStudentLink:
    def attempt() -> tuple[TutorStudentLink, TutorMatch]:
        request = _request_to(ctx, tutor_email, request_id)
        approved = request.decided("APPROVED", ctx.now())
        tutor = _own_tutor(ctx, tutor_email)
        with_student = tutor.with_student_added()
        student = ctx.students.get(request.student_email) or Student(request.student_email)
        student.ensure_has_no_tutor()
        link = TutorStudentLink(
            tutor_email=tutor.email,
            student_email=request.student_email,
            assigned_at=approved.processed_at or ctx.now(),
            request_id=request.request_id,
            student_name=student.name or request.student_name,
            room=student.room,
            is_learning=student.is_learning,
            status_updated_at=student.status_updated_at,
            student_handle=student.handle or request.student_handle,
        )
        event = _match_event(ctx, approved, "approved")
        ctx.links.approve(request, approved, tutor, with_student, link, event)
        return link, event

    link, event = _retrying(attempt)
    _announce(ctx, event)
    return link


def reject_request(ctx: Matching, tutor_email: str, request_id: str, reason: str) -> MatchRequest:
    reason = domain.check_reason(reason)
    request = _request_to(ctx, tutor_email, request_id)
    rejected = request.decided("REJECTED", ctx.now(), reason)
    event = _match_event(ctx, rejected, "rejected", reason=reason)
    ctx.requests.close(request, rejected, event)
    _announce(ctx, event)
    return rejected


def cancel_request(ctx: Matching, student_email: str, request_id: str) -> MatchRequest:
    request = ctx.requests.get(request_id) if domain.is_request_id(request_id) else None
    if request is None or request.student_email != student_email:
        raise NotFound("You have no request with this id.", "REQUEST_NOT_FOUND")
    cancelled = request.decided("CANCELLED", ctx.now())
    event = _match_event(ctx, cancelled, "cancelled")
    ctx.requests.close(request, cancelled, event)
    _announce(ctx, event)
    return cancelled


# --- links --------------------------------------------------------------------------------------
def students_of_tutor(ctx: Matching, tutor_email: str) -> list[TutorStudentLink]:
    return ctx.links.of_tutor(tutor_email)


def tutor_of_student(ctx: Matching, student_email: str) -> tuple[TutorStudentLink, Tutor] | None:
    student = ctx.students.get(student_email)
    if student is None or not student.tutor_email:
        return None
    link = ctx.links.get(student.tutor_email, student_email)
    tutor = ctx.tutors.get(student.tutor_email)
    return (link, tutor) if link and tutor else None


def end_link_as_tutor(ctx: Matching, tutor_email: str, student: str) -> TutorStudentLink:
    return _end_link(ctx, tutor_email, student_named_by(ctx, tutor_email, student), ended_by=tutor_email)


def student_named_by(ctx: Matching, tutor_email: str, student: str) -> str:
    """The email of the student a tutor names: by email, or a child by their handle (found among the tutor's
    own links only, so a handle names nobody for another tutor)."""
    if not is_child_handle(student.strip()):
        return domain.normalise_email(student)
    found = next((link for link in ctx.links.of_tutor(tutor_email) if link.student_handle == student.strip()), None)
    if found is None:
        raise NotFound("There is no such tutor-student link.", "LINK_NOT_FOUND")
    return found.student_email


def end_link_as_student(ctx: Matching, student_email: str) -> TutorStudentLink:
    student = ctx.students.get(student_email)
    if student is None or not student.tutor_email:
        raise NotFound("You have no tutor at the moment.", "NO_TUTOR")
    return _end_link(ctx, student.tutor_email, student_email, ended_by=student_email)


def _end_link(
    ctx: Matching, tutor_email: str, student_email: str, ended_by: str, must_publish: bool = False
) -> TutorStudentLink:
    def attempt() -> tuple[TutorStudentLink, TutorMatch]:
        link = ctx.links.get(tutor_email, student_email)
        if link is None:
            raise NotFound("There is no such tutor-student link.", "LINK_NOT_FOUND")
        tutor = _own_tutor(ctx, tutor_email)
        event = TutorMatch(
            action="ended",
            request_id=link.request_id,
            student_email=student_email,
            tutor_email=tutor_email,
            student_name=link.student_name or None,
            ended_by=ended_by,
            occurred_at=ctx.moment(),
            student_handle=link.student_handle,
        )
        ctx.links.end(link, tutor, tutor.with_student_removed(), event)
        return link, event

    link, event = _retrying(attempt)
    if must_publish:
        ctx.events.publish(event)  # a failure leaves the event staged and the erasure unfinished: retried
        _forget(ctx, event)
    else:
        _announce(ctx, event)
    return link


# --- live state ---------------------------------------------------------------------------------
def record_student_status(ctx: Matching, student_email: str, room: str, is_learning: bool) -> dict:
    """Keeps the student's room and learning state; their tutor, if any, sees it live."""
    at = ctx.now()
    ctx.students.record_status(student_email, room, is_learning, at)
    student = ctx.students.get(student_email)
    tutor_email = student.tutor_email if student else None
    link = ctx.links.get(tutor_email, student_email) if tutor_email else None
    if link is None or not ctx.links.record_status(link, room, is_learning, at):
        tutor_email = None
    if tutor_email:
        _publish(
            ctx,
            StudentStatusUpdate(
                student_email=student_email, tutor_email=tutor_email, room=room, is_learning=is_learning
            ),
        )
    return {"room": room, "isLearning": is_learning, "updatedAt": at, "tutorEmail": tutor_email}


# --- the outbox ---------------------------------------------------------------------------------
def relay_outbox(ctx: Matching) -> int:
    """Publishes the staged events whose publishing after their commit failed (or was cut short), oldest
    first, removing each once published; one that fails again stays for the next run. Returns how many
    were published."""
    published = 0
    for event in ctx.outbox.staged_before(ctx.moment(seconds_ago=RELAY_AFTER_SECONDS), RELAY_BATCH):
        if _publish(ctx, event):
            _forget(ctx, event)
            published += 1
    return published


# --- identity's events --------------------------------------------------------------------------
def apply_identity_event(ctx: Matching, event: Event) -> None:
    """Keeps matching's projection of users current; other events are none of matching's business."""
    if isinstance(event, UserDeleted):
        erase_user(ctx, event.email.strip().lower())
        return
    if not isinstance(event, (UserRegistered, UserProfileUpdated)):
        return
    email, at = event.email.strip().lower(), event.occurred_at.isoformat()
    if event.role == "tutor":
        intro = event.intro if isinstance(event, UserProfileUpdated) else None
        ctx.tutors.project_profile(email, event.name, intro, at)
    else:
        # A child's tutors see only the first name: matching never stores more of it.
        name = first_name(event.name) if event.is_minor else event.name
        ctx.students.project_profile(email, name, event.student_handle if event.is_minor else None, at)


# --- account deletion ---------------------------------------------------------------------------


def erase_user(ctx: Matching, email: str) -> None:
    """Erases a deleted user: their links end first (a tutor's students are free again, a student's tutor
    has the seat back, and the other contexts learn it from ``TutorMatch`` ended by ``account_deleted``),
    then their requests, their projection and any event about them still staged. Every step is idempotent,
    so a redelivered ``UserDeleted`` finishes what a failed one began."""
    student = ctx.students.get(email)
    links = ctx.links.of_tutor(email)
    if student and student.tutor_email:
        link = ctx.links.get(student.tutor_email, email)
        links += [link] if link else []
    for link in links:
        try:
            _end_link(ctx, link.tutor_email, link.student_email, ENDED_BY_DELETION, must_publish=True)
        except NotFound:
            continue  # ended meanwhile
    ctx.erasure.forget_requests(_requests_involving(ctx, email))
    ctx.erasure.forget_user(email)
    for staged in ctx.outbox.staged_before(ctx.moment(), RELAY_BATCH):
        if email in staged.to_json():
            ctx.events.publish(staged)  # the other contexts must still hear it; then it holds nothing of them
            ctx.outbox.remove(staged.event_id)


# Whom the account erasure's own paging seals its cursors for (they never leave this process).
ERASURE_CALLER = "matching/account-erasure"


def _requests_involving(ctx: Matching, email: str) -> list[MatchRequest]:
    found: list[MatchRequest] = []
    pages: list[Callable[[str | None], Page[MatchRequest]]] = [
        lambda cursor: ctx.requests.of_student(email, cursor, 100, ERASURE_CALLER),
        *(
            (lambda cursor, status=status: ctx.requests.of_tutor(email, status, cursor, 100, ERASURE_CALLER))
            for status in domain.REQUEST_STATUSES
        ),
    ]
    for page_of in pages:
        cursor: str | None = None
        while True:
            page = page_of(cursor)
            found += page.items
            cursor = page.cursor
            if not cursor:
                break
    return found


# --- helpers ------------------------------------------------------------------------------------
def _own_tutor(ctx: Matching, tutor_email: str) -> Tutor:
    tutor = ctx.tutors.get(tutor_email)
    if tutor is None:
        raise NotFound(
            "Your tutor profile has not reached matching yet; try again in a moment.", "TUTOR_PROFILE_NOT_READY"
        )
    return tutor


def _request_to(ctx: Matching, tutor_email: str, request_id: str) -> MatchRequest:
    request = ctx.requests.get(request_id) if domain.is_request_id(request_id) else None
    if request is None or request.tutor_email != tutor_email:
        raise NotFound("You have no request with this id.", "REQUEST_NOT_FOUND")
    return request


def _retrying(attempt: Callable[[], T]) -> T:
    """Runs a read-decide-write attempt again when the tutor changed under it; the fresh read then decides
    (a tutor who filled up meanwhile is TUTOR_FULL, not a retry)."""
    for _ in range(ATTEMPTS):
        try:
            return attempt()
        except TutorChanged:
            continue
    raise Conflict("This tutor is very busy right now; try again in a moment.", "TUTOR_BUSY")


def _match_event(ctx: Matching, request: MatchRequest, action: str, **extra: str | None) -> TutorMatch:
    return TutorMatch(
        action=action,
        request_id=request.request_id,
        student_email=request.student_email,
        tutor_email=request.tutor_email,
        student_name=request.student_name or None,
        tutor_name=request.tutor_name or None,
        occurred_at=ctx.moment(),
        student_handle=request.student_handle,
        **extra,
    )


def _announce(ctx: Matching, event: TutorMatch) -> None:
    """Publishes a staged event after its commit and forgets it; if publishing fails it stays staged and
    the relay publishes it later."""
    if _publish(ctx, event):
        _forget(ctx, event)


def _forget(ctx: Matching, event: Event) -> None:
    # Published already: if the removal fails, the relay publishes it again and consumers dedupe it.
    try:
        ctx.outbox.remove(event.event_id)
    except Exception as exc:
        slog.log(
            _log,
            logging.WARNING,
            "published event not removed from the outbox",
            error=f"{type(exc).__name__}: {exc}",
            event_id=event.event_id,
        )


def _publish(ctx: Matching, event: Event) -> bool:
    """The state change is committed by now; a lost event must not turn it into an error the caller would
    retry into a 409. It is logged whole so that it can be replayed."""
    try:
        ctx.events.publish(event)
    except Exception as exc:
        slog.log(
            _log, logging.ERROR, "event not published", error=f"{type(exc).__name__}: {exc}", event=event.to_json()
        )
        return False
    return True
