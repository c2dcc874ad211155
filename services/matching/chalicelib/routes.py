"""Matching's HTTP routes (seed scenarios 2 and 5), its consumer of identity's events and its outbox relay.

Thin: parse and validate, call the use case, shape the response. JSON uses the seed's camelCase names.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote

from chalice import Rate
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator
from speaktracker import logging as slog
from speaktracker.auth import Principal
from speaktracker.http import ANY_ROLE, Routes
from speaktracker.lazy import lazy_callable, lazy_module
from speaktracker.openapi import Answer
from speaktracker.settings import get_settings
from speaktracker.sqs import QueueMessage, process_batch

from . import domain

if TYPE_CHECKING:
    from speaktracker import events

    from . import data_export, service
    from .domain import MatchRequest, Tutor, TutorStudentLink
    from .ports import Page
    from .wiring import matching
else:  # the use cases, adapters and event contracts load with the first request or message that needs them
    events = lazy_module("speaktracker.events")
    service = lazy_module(f"{__package__}.service")
    data_export = lazy_module(f"{__package__}.data_export")
    matching = lazy_callable(f"{__package__}.wiring", "matching")

_log = slog.get_logger("matching.events")
STUDENT, TUTOR = ["student"], ["tutor"]


class _Model(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", populate_by_name=True)


class PageQuery(_Model):
    cursor: str | None = Field(None, max_length=2048)
    limit: int = Field(20, ge=1, le=100)


class TutorSearchQuery(PageQuery):
    search: str | None = Field(None, max_length=domain.SEARCH_MAX_CHARS)
    # true: only tutors who accept and have a free seat (what a student browses); false: every tutor.
    accepting: Literal["true", "false"] = "true"


class TutorRequestsQuery(PageQuery):
    status: Literal["PENDING", "APPROVED", "REJECTED", "CANCELLED"] = "PENDING"


class MatchRequestBody(_Model):
    message: str = Field("", max_length=domain.MESSAGE_MAX_CHARS)


class RejectBody(_Model):
    reason: str = Field(min_length=1, max_length=domain.REASON_MAX_CHARS, pattern=r"\S")


class TutorSettingsBody(_Model):
    is_accepting: StrictBool | None = Field(None, alias="isAccepting")
    max_students: StrictInt | None = Field(None, alias="maxStudents", ge=1, le=domain.MAX_STUDENTS_LIMIT)
    intro: str | None = Field(None, max_length=domain.INTRO_MAX_CHARS)

    @model_validator(mode="after")
    def _something_to_change(self) -> TutorSettingsBody:
        if self.is_accepting is None and self.max_students is None and self.intro is None:
            raise ValueError("give at least one of isAccepting, maxStudents, intro")
        return self


class StudentStatusBody(_Model):
    room: str = Field(pattern=r"^[a-z][a-z0-9-]{0,31}$")  # where in the app: practice, conversation, ...
    is_learning: StrictBool = Field(alias="isLearning")


# --- answers (documented in GET /openapi.json; the web app's types come from them) ---------------------------
class TutorAnswer(Answer):
    email: str
    name: str
    intro: str
    is_accepting: bool
    max_students: int
    student_count: int
    open_seats: int
    is_open: bool


class TutorPage(Answer):
    tutors: list[TutorAnswer]
    cursor: str | None


RequestStatus = Literal["PENDING", "APPROVED", "REJECTED", "CANCELLED"]


STUDENT_FOR_TUTOR = (
    "The student's email; in a tutor's copy a child's handle (child-...) instead, which every tutor route "
    "accepts where it takes a student's email (docs/children.md)."
)


class RequestAnswer(Answer):
    request_id: str
    student_email: str = Field(description=STUDENT_FOR_TUTOR)
    student_name: str
    tutor_email: str
    tutor_name: str
    status: RequestStatus
    message: str
    created_at: str
    tutor_email_status: str
    reason: str | None
    processed_at: str | None


class RejectAnswer(RequestAnswer):
    message: str = Field(description="What happened, for a person (the request's own message is not repeated).")


class RequestPage(Answer):
    requests: list[RequestAnswer]
    cursor: str | None


class LinkAnswer(Answer):
    tutor_email: str
    student_email: str = Field(description=STUDENT_FOR_TUTOR)
    student_name: str
    assigned_at: str
    status: Literal["active"]
    request_id: str
    room: str | None
    is_learning: bool
    status_updated_at: str | None


class ApproveAnswer(Answer):
    message: str
    request_id: str
    status: Literal["APPROVED"]
    link: LinkAnswer


class StudentsAnswer(Answer):
    students: list[LinkAnswer]


class LinkEndedAnswer(Answer):
    message: str
    tutor_email: str
    student_email: str


class AssignedTutor(TutorAnswer):
    assigned_at: str
    request_id: str


class MyTutorAnswer(Answer):
    tutor: AssignedTutor | None


class StudentStatusAnswer(Answer):
    room: str
    is_learning: bool
    updated_at: str
    tutor_email: str | None


def register_routes(routes: Routes) -> None:
    # --- finding a tutor ------------------------------------------------------------------------
    @routes.get("/api/tutors", query=TutorSearchQuery, roles=ANY_ROLE, response=TutorPage)
    def search_tutors(principal: Principal, query: TutorSearchQuery) -> dict:
        accepting = query.accepting == "true"
        page = service.search_tutors(matching(), query.search, accepting, query.cursor, query.limit, principal.user_id)
        return {"tutors": [_tutor(t) for t in page.items], "cursor": page.cursor}

    @routes.get("/api/tutors/{tutor_email}", roles=ANY_ROLE, response=TutorAnswer)
    def tutor_profile(tutor_email: str) -> dict:
        return _tutor(service.tutor_profile(matching(), unquote(tutor_email)))

    # --- the tutor's settings -------------------------------------------------------------------
    # 404 TUTOR_PROFILE_NOT_READY until identity's user_registered has been projected (found by the fuzzer).
    @routes.get("/api/tutor/settings", roles=TUTOR, response=TutorAnswer, errors=[404])
    def tutor_settings(principal: Principal) -> dict:
        return _tutor(service.tutor_settings(matching(), principal.email))

    @routes.put("/api/tutor/settings", body=TutorSettingsBody, roles=TUTOR, response=TutorAnswer, errors=[404, 409])
    def update_tutor_settings(principal: Principal, body: TutorSettingsBody) -> dict:
        return _tutor(
            service.update_tutor_settings(matching(), principal.email, body.is_accepting, body.max_students, body.intro)
        )

    # --- requests -------------------------------------------------------------------------------
    @routes.post(
        "/api/tutors/{tutor_email}/request",
        body=MatchRequestBody,
        roles=STUDENT,
        consent=True,
        status=201,
        response=RequestAnswer,
        errors=[409],
    )
    def request_tutor(principal: Principal, tutor_email: str, body: MatchRequestBody) -> dict:
        return _request(service.request_tutor(matching(), principal.email, unquote(tutor_email), body.message))

    @routes.get("/api/requests", query=PageQuery, roles=STUDENT, response=RequestPage)
    def my_requests(principal: Principal, query: PageQuery) -> dict:
        page = service.requests_of_student(matching(), principal.email, query.cursor, query.limit, principal.user_id)
        return _requests(page)

    @routes.post("/api/requests/{request_id}/cancel", roles=STUDENT, response=RequestAnswer, errors=[409])
    def cancel_request(principal: Principal, request_id: str) -> dict:
        return _request(service.cancel_request(matching(), principal.email, request_id))

    @routes.get("/api/tutors/requests", query=TutorRequestsQuery, roles=TUTOR, response=RequestPage)
    def requests_to_me(principal: Principal, query: TutorRequestsQuery) -> dict:
        return _requests(
            service.requests_to_tutor(
                matching(), principal.email, query.status, query.cursor, query.limit, principal.user_id
            ),
            for_tutor=True,
        )

    @routes.post("/api/tutors/requests/{request_id}/approve", roles=TUTOR, response=ApproveAnswer, errors=[409])
    def approve_request(principal: Principal, request_id: str) -> dict:
        link = service.approve_request(matching(), principal.email, request_id)
        return {"message": "승인 완료 / Approved.", "requestId": request_id, "status": "APPROVED", "link": _link(link)}

    @routes.post(
        "/api/tutors/requests/{request_id}/reject", body=RejectBody, roles=TUTOR, response=RejectAnswer, errors=[409]
    )
    def reject_request(principal: Principal, request_id: str, body: RejectBody) -> dict:
        request = service.reject_request(matching(), principal.email, request_id, body.reason)
        return {"message": "거절 완료 / Declined.", **_request(request, for_tutor=True)}

    # --- links ----------------------------------------------------------------------------------
    @routes.get("/api/tutor/students", roles=TUTOR, response=StudentsAnswer)
    def my_students(principal: Principal) -> dict:
        return {"students": [_link(link) for link in service.students_of_tutor(matching(), principal.email)]}

    @routes.delete("/api/tutor/students/{student_email}", roles=TUTOR, response=LinkEndedAnswer, errors=[409])
    def end_link_with_student(principal: Principal, student_email: str) -> dict:
        link = service.end_link_as_tutor(matching(), principal.email, unquote(student_email))
        return {
            "message": "연결 종료 / Link ended.",
            "tutorEmail": link.tutor_email,
            "studentEmail": link.student_for_tutor,
        }

    @routes.get("/api/student/tutor", roles=STUDENT, response=MyTutorAnswer)
    def my_tutor(principal: Principal) -> dict:
        found = service.tutor_of_student(matching(), principal.email)
        if found is None:
            return {"tutor": None}
        link, tutor = found
        return {"tutor": {**_tutor(tutor), "assignedAt": link.assigned_at, "requestId": link.request_id}}

    @routes.delete("/api/student/tutor", roles=STUDENT, response=LinkEndedAnswer, errors=[404, 409])
    def end_link_with_tutor(principal: Principal) -> dict:
        link = service.end_link_as_student(matching(), principal.email)
        return {
            "message": "연결 종료 / Link ended.",
            "tutorEmail": link.tutor_email,
            "studentEmail": link.student_email,
        }

    # --- live state -----------------------------------------------------------------------------
    @routes.post("/api/student-status", body=StudentStatusBody, roles=STUDENT, response=StudentStatusAnswer)
    def student_status(principal: Principal, body: StudentStatusBody) -> dict:
        return service.record_student_status(matching(), principal.email, body.room, body.is_learning)


def register_events_consumer(app: Any) -> Any:
    """Returns the handler: app.py binds it as a top-level name, which is what Lambda's handler resolves."""

    @app.on_sqs_message(queue=get_settings().name("matching-events"), batch_size=10)
    def project_identity_events(event: Any) -> dict:
        return process_batch(event, _project)

    return project_identity_events


def register_outbox_relay(app: Any) -> Any:
    @app.schedule(Rate(1, unit=Rate.MINUTES))
    def relay_outbox(event: Any) -> None:
        published = service.relay_outbox(matching())
        if published:
            slog.log(_log, logging.WARNING, "relayed events whose publishing had failed", published=published)

    return relay_outbox


def _project(message: QueueMessage) -> None:
    # A malformed event raises MalformedEvent: reported as failed, and after maxReceiveCount the queue
    # moves it to the DLQ instead of looping. Types matching does not know are ignored.
    event = events.parse_event(message.body)
    if event is None:
        slog.log(_log, 20, "ignored an event type this version does not know")
        return
    if isinstance(event, events.UserExportRequested):
        data_export.export_matching_data(event)
        return
    service.apply_identity_event(matching(), event)


def _tutor(tutor: Tutor) -> dict:
    return {
        "email": tutor.email,
        "name": tutor.name,
        "intro": tutor.intro,
        "isAccepting": tutor.is_accepting,
        "maxStudents": tutor.max_students,
        "studentCount": tutor.student_count,
        "openSeats": max(0, tutor.max_students - tutor.student_count),
        "isOpen": tutor.is_open,
    }


def _request(request: MatchRequest, for_tutor: bool = False) -> dict:
    """A request; the tutor's copy names a child by their handle (docs/children.md), the student's by email."""
    return {
        "requestId": request.request_id,
        "studentEmail": request.student_for_tutor if for_tutor else request.student_email,
        "studentName": request.student_name,
        "tutorEmail": request.tutor_email,
        "tutorName": request.tutor_name,
        "status": request.status,
        "message": request.message,
        "createdAt": request.created_at,
        "tutorEmailStatus": request.tutor_email_status,
        "reason": request.reason,
        "processedAt": request.processed_at,
    }


def _requests(page: Page[MatchRequest], for_tutor: bool = False) -> dict:
    return {"requests": [_request(r, for_tutor) for r in page.items], "cursor": page.cursor}


def _link(link: TutorStudentLink) -> dict:
    """Only tutors are shown a link: a child is named by their handle."""
    return {
        "tutorEmail": link.tutor_email,
        "studentEmail": link.student_for_tutor,
        "studentName": link.student_name,
        "assignedAt": link.assigned_at,
        "status": "active",
        "requestId": link.request_id,
        "room": link.room,
        "isLearning": link.is_learning,
        "statusUpdatedAt": link.status_updated_at,
    }
