"""Concurrent approvals against the emulator's DynamoDB, through the real adapters: the transaction's
conditions, not luck, keep a tutor within maxStudents and approve a request once.

Threads call the use cases directly: Chalice's test client keeps one ``current_request`` per app, so it
cannot serve two requests at once; the adapters and the emulator are what is under test here.

moto 5.2 applies TransactWriteItems item by item with no isolation and "rolls back" a cancelled one by
restoring a copy of whole tables, which can erase a concurrent winner's writes. Real DynamoDB serialises
transactions. So that these tests exercise our conditions rather than that emulator gap, the emulator
(running in this process) is made to apply one DynamoDB request at a time: our reads and writes still
interleave between requests, which is where the races we guard against live.
"""

import threading
import uuid

import pytest
from speaktracker.errors import DomainError
from speaktracker.events import UserRegistered

ROUNDS = 5


@pytest.fixture(scope="module")
def serialisable_emulator():
    from moto.dynamodb.responses import DynamoHandler

    original, lock = DynamoHandler.call_action, threading.Lock()

    def one_at_a_time(self):
        with lock:
            return original(self)

    DynamoHandler.call_action = one_at_a_time
    yield
    DynamoHandler.call_action = original


@pytest.fixture(scope="module")
def matching(aws, serialisable_emulator):
    from chalicelib import service, wiring

    wiring.matching.cache_clear()
    yield service, wiring.matching()
    wiring.matching.cache_clear()


class ReadBeforeAnyoneWrites:
    """Wraps the real links adapter so that the first approval of every racing thread waits until all of
    them have read the tutor and the request: each then writes from the same, soon stale, state, and only
    the transaction's conditions can stop the losers."""

    def __init__(self, links, parties):
        self._links, self._barrier = links, threading.Barrier(parties, timeout=30)
        self._waited = threading.local()

    def approve(self, *arguments):
        if not getattr(self._waited, "done", False):
            self._waited.done = True
            self._barrier.wait()
        return self._links.approve(*arguments)

    def __getattr__(self, name):
        return getattr(self._links, name)


def racing(ctx, parties):
    from dataclasses import replace

    return replace(ctx, links=ReadBeforeAnyoneWrites(ctx.links, parties))


def people(service, ctx, role, count):
    emails = [f"{role}-{uuid.uuid4().hex[:10]}@example.com" for _ in range(count)]
    for email in emails:
        service.apply_identity_event(ctx, UserRegistered(email=email, name=f"Race {email[:12]}", role=role))
    return emails


def all_at_once(*actions):
    """Runs the actions in threads released together; returns each one's result or domain error."""
    start, results = threading.Barrier(len(actions)), [None] * len(actions)

    def run(index, action):
        start.wait()
        try:
            results[index] = action()
        except DomainError as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def failures(results):
    return [r for r in results if isinstance(r, DomainError)]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_approvals_for_the_last_seat_one_wins(matching, round_):
    service, ctx = matching
    [tutor] = people(service, ctx, "tutor", 1)
    first, second = people(service, ctx, "student", 2)
    service.update_tutor_settings(ctx, tutor, None, 1, None)
    requests = [service.request_tutor(ctx, s, tutor, "please").request_id for s in (first, second)]

    race = racing(ctx, 2)
    results = all_at_once(*(lambda r=r: service.approve_request(race, tutor, r) for r in requests))

    [lost] = failures(results)
    assert (lost.status, lost.code) == (409, "TUTOR_FULL")
    stored = ctx.tutors.get(tutor)
    assert (stored.student_count, stored.max_students, stored.is_open) == (1, 1, False)
    assert (
        service.search_tutors(ctx, tutor[:12], True, None, 10, "user-1").items == []
    )  # nor by a later word of the name
    assert [t.email for t in service.search_tutors(ctx, tutor[:12], False, None, 10, "user-1").items] == [tutor]
    assert len(service.students_of_tutor(ctx, tutor)) == 1
    statuses = sorted(ctx.requests.get(r).status for r in requests)
    assert statuses == ["APPROVED", "PENDING"]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_one_request_approved_twice_at_once_is_approved_once(matching, round_):
    service, ctx = matching
    [tutor] = people(service, ctx, "tutor", 1)
    [student] = people(service, ctx, "student", 1)
    request_id = service.request_tutor(ctx, student, tutor, "please").request_id

    race = racing(ctx, 2)
    results = all_at_once(*(lambda: service.approve_request(race, tutor, request_id) for _ in range(2)))

    [lost] = failures(results)
    assert (lost.status, lost.code) == (409, "REQUEST_NOT_PENDING")
    assert ctx.tutors.get(tutor).student_count == 1
    assert [link.student_email for link in service.students_of_tutor(ctx, tutor)] == [student]


def test_many_approvals_never_exceed_max_students(matching):
    service, ctx = matching
    [tutor] = people(service, ctx, "tutor", 1)
    students = people(service, ctx, "student", 6)
    service.update_tutor_settings(ctx, tutor, None, 3, None)
    requests = [service.request_tutor(ctx, s, tutor, "please").request_id for s in students]

    results = all_at_once(*(lambda r=r: service.approve_request(ctx, tutor, r) for r in requests))

    assert all(e.status == 409 and e.code in ("TUTOR_FULL", "TUTOR_BUSY") for e in failures(results))
    links = service.students_of_tutor(ctx, tutor)
    stored = ctx.tutors.get(tutor)
    assert stored.student_count == len(links) <= 3
    assert len(links) == len(results) - len(failures(results))


def test_a_student_approved_by_two_tutors_at_once_gets_one_tutor(matching):
    service, ctx = matching
    tutors = people(service, ctx, "tutor", 2)
    [student] = people(service, ctx, "student", 1)
    requests = [(t, service.request_tutor(ctx, student, t, "please").request_id) for t in tutors]

    race = racing(ctx, 2)
    results = all_at_once(*(lambda t=t, r=r: service.approve_request(race, t, r) for t, r in requests))

    [lost] = failures(results)
    assert (lost.status, lost.code) == (409, "ALREADY_HAS_TUTOR")
    linked = [t for t in tutors if service.students_of_tutor(ctx, t)]
    assert len(linked) == 1 and ctx.students.get(student).tutor_email == linked[0]
    assert sum(ctx.tutors.get(t).student_count for t in tutors) == 1
