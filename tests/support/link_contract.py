"""The promises of a context's tutor-link record and handle items (``speaktracker.tutor_links``,
``speaktracker.student_handles``), checked against an adapter: the in-memory fakes in unit tests, the DynamoDB
adapters over each context's own table in integration tests. Events arrive late, twice and out of order; a
newer change always wins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from speaktracker.events import TutorMatch, child_handle

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@dataclass(frozen=True)
class Child:
    email: str
    handle: str


def a_child() -> Child:
    tag = uuid.uuid4().hex[:8]
    return Child(f"child-{tag}@example.com", child_handle(f"sub-{tag}"))


def a_tutor() -> str:
    return f"tutor-{uuid.uuid4().hex[:8]}@example.com"


def check_handles(handles) -> None:
    child, a, b = a_child(), a_tutor(), a_tutor()
    handles.remember(child.handle, child.email, a, at(1))
    handles.remember(child.handle, child.email, a, at(1))  # delivered twice
    assert handles.student_of(child.handle, a) == child.email and handles.handle_of(child.email, a) == child.handle
    assert handles.student_of(child.handle, b) is None and handles.handle_of(child.email, b) is None
    handles.forget(child.handle, child.email, b, at(2))  # another tutor's end names another link
    assert handles.student_of(child.handle, a) == child.email
    handles.forget(child.handle, child.email, a, at(3))
    assert handles.student_of(child.handle, a) is None and handles.handle_of(child.email, a) is None
    handles.remember(child.handle, child.email, a, at(1))  # the approval again, after the end
    assert handles.student_of(child.handle, a) is None and handles.handle_of(child.email, a) is None
    handles.remember(child.handle, child.email, b, at(4))  # a new tutor
    handles.forget(child.handle, child.email, a, at(3))  # the old tutor's end, again
    handles.remember(child.handle, child.email, a, at(1))
    assert handles.student_of(child.handle, b) == child.email and handles.handle_of(child.email, b) == child.handle
    assert handles.student_of(child.handle, a) is None and handles.handle_of(child.email, a) is None

    early = a_child()  # the end overtakes its approval
    handles.forget(early.handle, early.email, a, at(2))
    handles.remember(early.handle, early.email, a, at(1))
    assert handles.student_of(early.handle, a) is None and handles.handle_of(early.email, a) is None


def check_links(links) -> None:
    student, a, b = a_child().email, a_tutor(), a_tutor()
    links.change(student, a, True, at(1))
    links.change(student, a, True, at(1))
    assert links.tutor_of(student) == a
    links.change(student, b, False, at(2))  # another tutor's end
    assert links.tutor_of(student) == a
    links.change(student, a, False, at(3))
    links.change(student, a, True, at(1))  # the approval again, after the end
    assert links.tutor_of(student) is None
    links.change(student, b, True, at(4))
    links.change(student, a, False, at(3))
    links.change(student, a, True, at(1))
    assert links.tutor_of(student) == b

    early = a_child().email
    links.change(early, a, False, at(2))
    links.change(early, a, True, at(1))
    assert links.tutor_of(early) is None


def late_approval(child: Child, first: str, second: str) -> list[TutorMatch]:
    """What a consumer may receive for a child who left tutor ``first`` for ``second``: the first approval comes
    once more after everything else (SQS redelivery, the outbox relay publishing again)."""

    def match(action: str, tutor: str, minutes: int) -> TutorMatch:
        return TutorMatch(
            action=action,
            requestId=f"req-{tutor}",
            studentEmail=child.email,
            tutorEmail=tutor,
            studentName="민지",
            studentHandle=child.handle,
            endedBy=child.email if action == "ended" else None,
            occurredAt=at(minutes),
        )

    approved = match("approved", first, 1)
    return [approved, match("ended", first, 2), match("approved", second, 3), approved]


def check_erasure(handles, links) -> None:
    """An account deleted: its links' records and handle items go without a marker, and another tutor's stay."""
    child, a, b = a_child(), a_tutor(), a_tutor()
    handles.remember(child.handle, child.email, a, at(1))
    links.change(child.email, a, True, at(1))
    handles.erase(child.handle, child.email, b)  # another tutor's: nothing of a's link goes
    links.erase(child.email, b)
    assert handles.student_of(child.handle, a) == child.email and links.tutor_of(child.email) == a
    handles.erase(child.handle, child.email, a)
    links.erase(child.email, a)
    handles.erase(child.handle, child.email, a)  # delivered again
    links.erase(child.email, a)
    assert handles.student_of(child.handle, a) is None and handles.handle_of(child.email, a) is None
    assert links.tutor_of(child.email) is None


# --- the promises as tests: a context's test module imports these three and gives them a ``ctx`` fixture whose
# ``handles`` and ``links`` are its adapters (tests/integration/*/test_link_records.py, on its own tables).
def test_the_handle_items_keep_their_promises(ctx):
    check_handles(ctx.handles)


def test_the_link_record_keeps_its_promises(ctx):
    check_links(ctx.links)


def test_a_deleted_accounts_link_records_go_without_a_marker(ctx):
    check_erasure(ctx.handles, ctx.links)
