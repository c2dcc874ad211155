"""In-memory stand-ins for matching's ports, keeping the promises the DynamoDB adapters keep: the same
conditions, the same errors, all-or-nothing writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from chalicelib.domain import MatchRequest, Student, Tutor, TutorStudentLink, finding_key, search_keys
from chalicelib.ports import Page, TutorChanged
from speaktracker.errors import Conflict, Invalid, NotFound
from speaktracker.events import Event


@dataclass
class World:
    """Everything matching stores; the fakes share it the way the adapters share the tables."""

    tutors: dict[str, Tutor] = field(default_factory=dict)
    students: dict[str, Student] = field(default_factory=dict)
    requests: dict[str, MatchRequest] = field(default_factory=dict)
    pending_pairs: set[tuple[str, str]] = field(default_factory=set)
    links: dict[tuple[str, str], TutorStudentLink] = field(default_factory=dict)
    profile_at: dict[str, str] = field(default_factory=dict)
    outbox: dict[str, Event] = field(default_factory=dict)  # staged events by id, written with their change
    # Runs once, just before the next conditional write: what another request did between our read and write.
    meanwhile: Callable[[], None] | None = None

    def interleave(self) -> None:
        action, self.meanwhile = self.meanwhile, None
        if action:
            action()

    def check_revision(self, before: Tutor) -> Tutor:
        self.interleave()
        stored = self.tutors[before.email]
        if stored.revision != before.revision:
            raise TutorChanged()
        return stored


def _page(items: list, key: Callable, cursor: str | None, limit: int) -> Page:
    keys = [key(i) for i in items]
    if cursor is not None and cursor not in keys:
        raise Invalid("bad cursor", "INVALID_CURSOR")
    start = keys.index(cursor) + 1 if cursor is not None else 0
    chunk = items[start : start + limit]
    more = start + limit < len(items)
    return Page(chunk, key(chunk[-1]) if chunk and more else None)


class FakeTutors:
    def __init__(self, world: World):
        self.world = world

    def get(self, email):
        return self.world.tutors.get(email)

    def search(self, prefix, open_only, cursor, limit, caller):
        """Each tutor once, under the first of their search keys that matches."""
        found = sorted(
            (search_keys(t.name, t.email)[finding_key(t.name, t.email, prefix)], t)
            for t in self.world.tutors.values()
            if finding_key(t.name, t.email, prefix) is not None and (t.is_open or not open_only)
        )
        page = _page(found, lambda entry: entry[0], cursor, limit)
        return Page([tutor for _, tutor in page.items], page.cursor)

    def save_settings(self, before, after):
        self.world.check_revision(before)
        self.world.tutors[before.email] = after

    def project_profile(self, email, name, intro, occurred_at):
        if email not in self.world.tutors:
            self.world.tutors[email] = Tutor(email=email, name=name, intro=intro or "")
        elif self.world.profile_at[email] < occurred_at:
            self.world.tutors[email] = self.world.tutors[email].renamed(name, intro)
        else:
            return
        self.world.profile_at[email] = occurred_at


class FakeStudents:
    def __init__(self, world: World):
        self.world = world

    def get(self, email):
        return self.world.students.get(email)

    def project_profile(self, email, name, handle, occurred_at):
        key = f"STUDENT#{email}"
        if self.world.profile_at.get(key, "") < occurred_at:
            student = self.world.students.get(email) or Student(email)
            self.world.students[email] = replace(student, name=name, handle=handle or student.handle)
            self.world.profile_at[key] = occurred_at

    def record_status(self, email, room, is_learning, at):
        self.world.students[email] = replace(
            self.world.students.get(email) or Student(email), room=room, is_learning=is_learning, status_updated_at=at
        )


class FakeRequests:
    def __init__(self, world: World):
        self.world = world

    def get(self, request_id):
        return self.world.requests.get(request_id)

    def add(self, request, tutor, event):
        self.world.interleave()
        pair = (request.student_email, request.tutor_email)
        if pair in self.world.pending_pairs:
            raise Conflict("pending", "REQUEST_ALREADY_PENDING")
        student = self.world.students.get(request.student_email)
        if student and student.tutor_email:
            raise Conflict("has tutor", "ALREADY_HAS_TUTOR")
        if not self.world.tutors[tutor.email].is_open:
            raise TutorChanged()
        self.world.requests[request.request_id] = request
        self.world.pending_pairs.add(pair)
        self.world.outbox[event.event_id] = event

    def close(self, before, after, event):
        stored = self.world.requests[before.request_id]
        if stored.status != "PENDING":
            raise Conflict("decided", "REQUEST_NOT_PENDING")
        self.world.requests[before.request_id] = after
        self.world.pending_pairs.discard((before.student_email, before.tutor_email))
        self.world.outbox[event.event_id] = event

    def of_tutor(self, tutor_email, status, cursor, limit, caller):
        found = sorted(
            (r for r in self.world.requests.values() if r.tutor_email == tutor_email and r.status == status),
            key=lambda r: r.created_at,
            reverse=status != "PENDING",
        )
        return _page(found, lambda r: r.request_id, cursor, limit)

    def of_student(self, student_email, cursor, limit, caller):
        found = sorted(
            (r for r in self.world.requests.values() if r.student_email == student_email),
            key=lambda r: r.created_at,
            reverse=True,
        )
        return _page(found, lambda r: r.request_id, cursor, limit)


class FakeLinks:
    def __init__(self, world: World):
        self.world = world

    def approve(self, before, after, tutor_before, tutor_after, link, event):
        stored = self.world.check_revision(tutor_before)
        if self.world.requests[before.request_id].status != "PENDING":
            raise Conflict("decided", "REQUEST_NOT_PENDING")
        student = self.world.students.get(link.student_email) or Student(link.student_email)
        if student.tutor_email:
            raise Conflict("has tutor", "ALREADY_HAS_TUTOR")
        assert stored.student_count < stored.max_students, "the adapter's condition would refuse this"
        self.world.requests[before.request_id] = after
        self.world.pending_pairs.discard((before.student_email, before.tutor_email))
        self.world.tutors[tutor_before.email] = tutor_after
        self.world.links[(link.tutor_email, link.student_email)] = link
        self.world.students[link.student_email] = replace(student, tutor_email=link.tutor_email)
        self.world.outbox[event.event_id] = event

    def end(self, link, tutor_before, tutor_after, event):
        self.world.check_revision(tutor_before)
        if (link.tutor_email, link.student_email) not in self.world.links:
            raise NotFound("ended", "LINK_NOT_FOUND")
        del self.world.links[(link.tutor_email, link.student_email)]
        self.world.tutors[tutor_before.email] = tutor_after
        self.world.students[link.student_email] = replace(self.world.students[link.student_email], tutor_email=None)
        self.world.outbox[event.event_id] = event

    def get(self, tutor_email, student_email):
        return self.world.links.get((tutor_email, student_email))

    def of_tutor(self, tutor_email):
        return [link for (tutor, _), link in sorted(self.world.links.items()) if tutor == tutor_email]

    def record_status(self, link, room, is_learning, at):
        key = (link.tutor_email, link.student_email)
        if key not in self.world.links:
            return False
        self.world.links[key] = replace(self.world.links[key], room=room, is_learning=is_learning, status_updated_at=at)
        return True


class FakeOutbox:
    def __init__(self, world: World):
        self.world = world

    def staged_before(self, moment, limit):
        staged = sorted((e for e in self.world.outbox.values() if e.occurred_at < moment), key=lambda e: e.occurred_at)
        return staged[:limit]

    def remove(self, event_id):
        self.world.outbox.pop(event_id, None)


class FakeEvents:
    def __init__(self):
        self.published = []
        self.broken = False

    def publish(self, event):
        if self.broken:
            raise ConnectionError("the topic is unreachable")
        self.published.append(event)

    def of_type(self, kind, **fields):
        return [
            e
            for e in self.published
            if e.type == kind and all(getattr(e, name) == value for name, value in fields.items())
        ]


class FakeErasure:
    def __init__(self, world: World):
        self.world = world

    def forget_requests(self, requests):
        for request in requests:
            self.world.requests.pop(request.request_id, None)
            self.world.pending_pairs.discard((request.student_email, request.tutor_email))

    def forget_user(self, email):
        self.world.tutors.pop(email, None)
        self.world.students.pop(email, None)
        self.world.profile_at.pop(email, None)
