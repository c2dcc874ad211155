from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from chalicelib import service
from chalicelib.service import Matching
from speaktracker.errors import Conflict, Invalid, NotFound
from speaktracker.events import FeedbackSent, UserDeleted, UserProfileUpdated, UserRegistered

from .fakes import FakeErasure, FakeEvents, FakeLinks, FakeOutbox, FakeRequests, FakeStudents, FakeTutors, World

KIM, LEE, PARK = "kim@tutor.com", "lee@tutor.com", "park@tutor.com"
MINJI, JISOO = "minji@student.com", "jisoo@student.com"
T0 = datetime(2026, 3, 1, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = T0.timestamp()

    def __call__(self):
        self.now += 0.001  # every action a millisecond later, so createdAt orders them
        return self.now


@pytest.fixture
def world():
    return World()


@pytest.fixture
def ctx(world):
    ctx = Matching(
        tutors=FakeTutors(world),
        students=FakeStudents(world),
        requests=FakeRequests(world),
        links=FakeLinks(world),
        outbox=FakeOutbox(world),
        events=FakeEvents(),
        erasure=FakeErasure(world),
        clock=Clock(),
    )
    for email, name in ((KIM, "김튜터"), (LEE, "Lee Jiwon"), (PARK, "박선생")):
        service.apply_identity_event(ctx, UserRegistered(email=email, name=name, role="tutor", occurredAt=T0))
    for email, name in ((MINJI, "민지"), (JISOO, "지수")):
        service.apply_identity_event(ctx, UserRegistered(email=email, name=name, role="student", occurredAt=T0))
    return ctx


def requested(ctx, student=MINJI, tutor=KIM, message="영어 회화 실력을 향상시키고 싶습니다."):
    return service.request_tutor(ctx, student, tutor, message).request_id


def matched(ctx, student=MINJI, tutor=KIM):
    service.approve_request(ctx, tutor, requested(ctx, student, tutor))


def names(page):
    return [t.name for t in page.items]


# --- projection of identity's users -------------------------------------------------------------
def test_a_registered_tutor_is_open_with_default_capacity(ctx):
    kim = ctx.tutors.get(KIM)
    assert (kim.name, kim.is_accepting, kim.max_students, kim.student_count, kim.is_open) == (
        "김튜터",
        True,
        10,
        0,
        True,
    )
    assert ctx.students.get(MINJI).name == "민지"


def test_profile_updates_apply_in_order_and_redelivery_changes_nothing(ctx):
    renamed = UserProfileUpdated(
        email=KIM, name="김민수", role="tutor", intro="발음 전문", occurredAt=T0 + timedelta(1)
    )
    service.apply_identity_event(ctx, renamed)
    service.apply_identity_event(ctx, renamed)
    stale = UserProfileUpdated(email=KIM, name="옛 이름", role="tutor", occurredAt=T0 + timedelta(hours=1))
    service.apply_identity_event(ctx, stale)
    assert (ctx.tutors.get(KIM).name, ctx.tutors.get(KIM).intro) == ("김민수", "발음 전문")
    service.apply_identity_event(
        ctx, UserProfileUpdated(email="MINJI@student.com", name="김민지", role="student", occurredAt=T0 + timedelta(1))
    )
    assert ctx.students.get(MINJI).name == "김민지"


def test_events_of_other_contexts_are_ignored(ctx, world):
    before = (dict(world.tutors), dict(world.students))
    service.apply_identity_event(
        ctx, FeedbackSent(feedbackId="f", tutorEmail=KIM, studentEmail=MINJI, message="잘했어요", timestamp="1")
    )
    assert (world.tutors, world.students) == before


# --- search -------------------------------------------------------------------------------------
def test_search_is_a_case_insensitive_prefix_of_the_name(ctx):
    assert names(service.search_tutors(ctx, "김", True, None, 20, "user-1")) == ["김튜터"]
    assert names(service.search_tutors(ctx, "LEE j", True, None, 20, "user-1")) == ["Lee Jiwon"]
    assert names(service.search_tutors(ctx, "JIW", True, None, 20, "user-1")) == ["Lee Jiwon"]
    assert names(service.search_tutors(ctx, "jiwon lee", True, None, 20, "user-1")) == []
    assert names(service.search_tutors(ctx, None, True, None, 20, "user-1")) == ["Lee Jiwon", "김튜터", "박선생"]


def test_a_tutor_matched_by_two_words_is_listed_once(ctx):
    service.apply_identity_event(ctx, UserRegistered(email="sam@tutor.com", name="Sam Smith", role="tutor"))
    assert names(service.search_tutors(ctx, "s", True, None, 20, "user-1")) == ["Sam Smith"]
    assert names(service.search_tutors(ctx, "smi", True, None, 20, "user-1")) == ["Sam Smith"]


def test_search_pages_through_every_match(ctx):
    first = service.search_tutors(ctx, "", True, None, 2, "user-1")
    second = service.search_tutors(ctx, "", True, first.cursor, 2, "user-1")
    assert len(first.items) == 2 and len(second.items) == 1 and second.cursor is None


def test_only_open_tutors_are_found_unless_every_tutor_is_asked_for(ctx):
    service.update_tutor_settings(ctx, KIM, False, None, None)
    service.update_tutor_settings(ctx, PARK, None, 1, None)
    matched(ctx, MINJI, PARK)
    assert names(service.search_tutors(ctx, None, True, None, 20, "user-1")) == ["Lee Jiwon"]
    assert names(service.search_tutors(ctx, None, False, None, 20, "user-1")) == ["Lee Jiwon", "김튜터", "박선생"]


# --- requests -----------------------------------------------------------------------------------
def test_a_request_is_pending_and_tells_the_tutor(ctx):
    request_id = requested(ctx)
    request = ctx.requests.get(request_id)
    assert (request.status, request.student_name, request.tutor_name, request.tutor_email_status) == (
        "PENDING",
        "민지",
        "김튜터",
        f"{KIM}#PENDING",
    )
    [event] = ctx.events.of_type("tutor_match", action="requested")
    assert (event.request_id, event.student_email, event.tutor_email, event.student_name) == (
        request_id,
        MINJI,
        KIM,
        "민지",
    )


def test_one_pending_request_per_student_and_tutor(ctx):
    requested(ctx)
    with pytest.raises(Conflict) as caught:
        requested(ctx, tutor=KIM.upper())
    assert caught.value.code == "REQUEST_ALREADY_PENDING"
    requested(ctx, tutor=LEE)  # another tutor is fine
    requested(ctx, student=JISOO)  # another student too


def test_a_closed_request_frees_the_pair(ctx):
    service.reject_request(ctx, KIM, requested(ctx), "지금은 자리가 없어요")
    assert ctx.requests.get(requested(ctx)).status == "PENDING"


@pytest.mark.parametrize(
    "prepare, tutor, error, code",
    [
        (lambda ctx: None, "nobody@tutor.com", NotFound, "TUTOR_NOT_FOUND"),
        (lambda ctx: None, JISOO, NotFound, "TUTOR_NOT_FOUND"),
        (lambda ctx: None, "not-an-email", Invalid, "INVALID_EMAIL"),
        (lambda ctx: service.update_tutor_settings(ctx, KIM, False, None, None), KIM, Conflict, "TUTOR_NOT_ACCEPTING"),
        (
            lambda ctx: (service.update_tutor_settings(ctx, KIM, None, 1, None), matched(ctx, JISOO, KIM)),
            KIM,
            Conflict,
            "TUTOR_FULL",
        ),
        (lambda ctx: matched(ctx, MINJI, LEE), KIM, Conflict, "ALREADY_HAS_TUTOR"),
    ],
)
def test_requests_that_cannot_be_made(ctx, prepare, tutor, error, code):
    prepare(ctx)
    published, stored = len(ctx.events.published), len(ctx.requests.world.requests)
    with pytest.raises(error) as caught:
        service.request_tutor(ctx, MINJI, tutor, "hello")
    assert caught.value.code == code
    assert (len(ctx.events.published), len(ctx.requests.world.requests)) == (published, stored)


def test_a_tutor_filling_up_between_read_and_write_is_reported_as_full(ctx, world):
    service.update_tutor_settings(ctx, KIM, None, 1, None)
    world.meanwhile = lambda: matched(ctx, JISOO, KIM)
    with pytest.raises(Conflict) as caught:
        requested(ctx)
    assert caught.value.code == "TUTOR_FULL"
    assert [r.student_email for r in world.requests.values()] == [JISOO]


def test_a_student_sees_their_own_requests_newest_first(ctx):
    first, second = requested(ctx, tutor=KIM), requested(ctx, tutor=LEE)
    requested(ctx, student=JISOO)
    page = service.requests_of_student(ctx, MINJI, None, 20, "user-1")
    assert [r.request_id for r in page.items] == [second, first]


def test_a_tutor_sees_pending_requests_oldest_first_and_decided_ones_by_status(ctx):
    first, second = requested(ctx), requested(ctx, student=JISOO)
    requested(ctx, tutor=LEE)
    assert [r.request_id for r in service.requests_to_tutor(ctx, KIM, "PENDING", None, 20, "user-1").items] == [
        first,
        second,
    ]
    service.reject_request(ctx, KIM, first, "no time")
    assert [r.request_id for r in service.requests_to_tutor(ctx, KIM, "REJECTED", None, 20, "user-1").items] == [first]
    assert [r.request_id for r in service.requests_to_tutor(ctx, KIM, "PENDING", None, 20, "user-1").items] == [second]


# --- approve ------------------------------------------------------------------------------------
def test_approval_links_the_pair_counts_the_seat_and_tells_the_student(ctx, world):
    request_id = requested(ctx)
    link = service.approve_request(ctx, KIM, request_id)
    assert (link.tutor_email, link.student_email, link.request_id, link.student_name) == (
        KIM,
        MINJI,
        request_id,
        "민지",
    )
    assert ctx.requests.get(request_id).status == "APPROVED" and ctx.requests.get(request_id).processed_at
    assert ctx.tutors.get(KIM).student_count == 1 and ctx.students.get(MINJI).tutor_email == KIM
    assert (MINJI, KIM) not in world.pending_pairs
    [event] = ctx.events.of_type("tutor_match", action="approved")
    assert (event.student_email, event.tutor_email, event.tutor_name) == (MINJI, KIM, "김튜터")


def test_the_last_seat_closes_the_tutor_to_search(ctx):
    service.update_tutor_settings(ctx, KIM, None, 1, None)
    other = requested(ctx, student=JISOO)
    service.approve_request(ctx, KIM, requested(ctx))
    assert "김튜터" not in names(service.search_tutors(ctx, None, True, None, 20, "user-1"))
    with pytest.raises(Conflict) as caught:
        service.approve_request(ctx, KIM, other)
    assert caught.value.code == "TUTOR_FULL"
    assert ctx.requests.get(other).status == "PENDING" and ctx.tutors.get(KIM).student_count == 1


def test_a_request_is_approved_once(ctx):
    request_id = requested(ctx)
    service.approve_request(ctx, KIM, request_id)
    with pytest.raises(Conflict) as caught:
        service.approve_request(ctx, KIM, request_id)
    assert caught.value.code == "REQUEST_NOT_PENDING" and ctx.tutors.get(KIM).student_count == 1


def test_a_student_matched_elsewhere_cannot_be_approved_again(ctx):
    to_kim, to_lee = requested(ctx, tutor=KIM), requested(ctx, tutor=LEE)
    service.approve_request(ctx, LEE, to_lee)
    with pytest.raises(Conflict) as caught:
        service.approve_request(ctx, KIM, to_kim)
    assert caught.value.code == "ALREADY_HAS_TUTOR" and ctx.tutors.get(KIM).student_count == 0


def test_a_seat_taken_by_a_racing_approval_makes_this_one_full(ctx, world):
    service.update_tutor_settings(ctx, KIM, None, 1, None)
    mine, theirs = requested(ctx), requested(ctx, student=JISOO)
    world.meanwhile = lambda: service.approve_request(ctx, KIM, theirs)
    with pytest.raises(Conflict) as caught:
        service.approve_request(ctx, KIM, mine)
    assert caught.value.code == "TUTOR_FULL"
    assert ctx.tutors.get(KIM).student_count == 1 and ctx.requests.get(mine).status == "PENDING"


def test_a_tutor_changed_by_a_racing_write_is_read_again(ctx, world):
    request_id = requested(ctx)
    world.meanwhile = lambda: service.update_tutor_settings(ctx, KIM, None, None, "새 소개")
    service.approve_request(ctx, KIM, request_id)
    kim = ctx.tutors.get(KIM)
    assert (kim.student_count, kim.intro) == (1, "새 소개")


def test_a_tutor_changing_on_every_attempt_is_reported_as_busy(ctx, world):
    request_id = requested(ctx)
    original = world.check_revision

    def always_changed(before):
        world.tutors[KIM] = replace(world.tutors[KIM], revision=world.tutors[KIM].revision + 1)
        return original(before)

    world.check_revision = always_changed
    with pytest.raises(Conflict) as caught:
        service.approve_request(ctx, KIM, request_id)
    assert caught.value.code == "TUTOR_BUSY" and ctx.requests.get(request_id).status == "PENDING"


def test_a_tutor_decides_only_requests_made_to_them(ctx):
    request_id = requested(ctx)
    for decide in (
        lambda: service.approve_request(ctx, LEE, request_id),
        lambda: service.reject_request(ctx, LEE, request_id, "no"),
        lambda: service.approve_request(ctx, KIM, "PAIR#" + MINJI + "#" + KIM),
    ):
        with pytest.raises(NotFound) as caught:
            decide()
        assert caught.value.code == "REQUEST_NOT_FOUND"
    assert ctx.requests.get(request_id).status == "PENDING"


# --- reject and cancel --------------------------------------------------------------------------
def test_rejection_keeps_the_reason_and_tells_the_student(ctx):
    request = service.reject_request(ctx, KIM, requested(ctx), "  이번 달은 꽉 찼어요 ")
    assert (request.status, request.reason) == ("REJECTED", "이번 달은 꽉 찼어요")
    [event] = ctx.events.of_type("tutor_match", action="rejected")
    assert event.reason == "이번 달은 꽉 찼어요"


def test_a_student_cancels_only_their_own_pending_request(ctx):
    request_id = requested(ctx)
    with pytest.raises(NotFound):
        service.cancel_request(ctx, JISOO, request_id)
    assert service.cancel_request(ctx, MINJI, request_id).status == "CANCELLED"
    assert ctx.events.of_type("tutor_match", action="cancelled", request_id=request_id)
    with pytest.raises(Conflict) as caught:
        service.cancel_request(ctx, MINJI, request_id)
    assert caught.value.code == "REQUEST_NOT_PENDING"
    with pytest.raises(Conflict):
        service.approve_request(ctx, KIM, request_id)


# --- links --------------------------------------------------------------------------------------
def test_each_side_sees_the_link(ctx):
    matched(ctx)
    matched(ctx, JISOO, KIM)
    assert [link.student_email for link in service.students_of_tutor(ctx, KIM)] == [JISOO, MINJI]
    assert service.students_of_tutor(ctx, LEE) == []
    link, tutor = service.tutor_of_student(ctx, MINJI)
    assert (link.tutor_email, tutor.name) == (KIM, "김튜터")
    assert service.tutor_of_student(ctx, "new@student.com") is None


@pytest.mark.parametrize(
    "end",
    [
        lambda ctx: service.end_link_as_tutor(ctx, KIM, MINJI.upper()),
        lambda ctx: service.end_link_as_student(ctx, MINJI),
    ],
)
def test_either_side_ends_the_link_and_the_seat_opens_again(ctx, end):
    service.update_tutor_settings(ctx, KIM, None, 1, None)
    matched(ctx)
    assert not ctx.tutors.get(KIM).is_open
    end(ctx)
    assert ctx.tutors.get(KIM).is_open and ctx.tutors.get(KIM).student_count == 0
    assert service.tutor_of_student(ctx, MINJI) is None and service.students_of_tutor(ctx, KIM) == []
    [event] = ctx.events.of_type("tutor_match", action="ended")
    assert (event.student_email, event.tutor_email) == (MINJI, KIM) and event.ended_by in (KIM, MINJI)
    matched(ctx, MINJI, LEE)  # free to learn with someone else


def test_ending_a_link_that_does_not_exist(ctx):
    matched(ctx)
    with pytest.raises(NotFound) as caught:
        service.end_link_as_tutor(ctx, LEE, MINJI)
    assert caught.value.code == "LINK_NOT_FOUND"
    with pytest.raises(NotFound) as caught:
        service.end_link_as_student(ctx, JISOO)
    assert caught.value.code == "NO_TUTOR"
    assert ctx.tutors.get(KIM).student_count == 1


# --- live state ---------------------------------------------------------------------------------
def test_a_students_state_reaches_their_tutor(ctx):
    matched(ctx)
    result = service.record_student_status(ctx, MINJI, "practice", True)
    assert (result["tutorEmail"], result["room"], result["isLearning"]) == (KIM, "practice", True)
    [link] = service.students_of_tutor(ctx, KIM)
    assert (link.room, link.is_learning, link.status_updated_at) == ("practice", True, result["updatedAt"])
    [event] = ctx.events.of_type("student_status_update")
    assert (event.student_email, event.tutor_email, event.room, event.is_learning) == (MINJI, KIM, "practice", True)


def test_a_state_without_a_tutor_is_kept_and_carried_into_the_next_link(ctx):
    result = service.record_student_status(ctx, MINJI, "conversation", True)
    assert result["tutorEmail"] is None and not ctx.events.of_type("student_status_update")
    matched(ctx)
    [link] = service.students_of_tutor(ctx, KIM)
    assert (link.room, link.is_learning) == ("conversation", True)


# --- settings -----------------------------------------------------------------------------------
def test_settings_change_what_students_see(ctx):
    tutor = service.update_tutor_settings(ctx, KIM, None, 3, "발음 교정 전문입니다")
    assert service.tutor_profile(ctx, KIM) == tutor == service.tutor_settings(ctx, KIM)
    assert (tutor.max_students, tutor.intro, tutor.is_accepting) == (3, "발음 교정 전문입니다", True)


def test_max_students_below_the_students_taught_is_refused(ctx):
    matched(ctx)
    matched(ctx, JISOO, KIM)
    with pytest.raises(Conflict) as caught:
        service.update_tutor_settings(ctx, KIM, None, 1, None)
    assert caught.value.code == "MAX_BELOW_STUDENT_COUNT" and ctx.tutors.get(KIM).max_students == 10


def test_a_tutor_not_yet_projected_is_told_to_wait(ctx):
    with pytest.raises(NotFound) as caught:
        service.update_tutor_settings(ctx, "new@tutor.com", True, None, None)
    assert caught.value.code == "TUTOR_PROFILE_NOT_READY"


def test_a_lost_event_does_not_undo_or_fail_the_change(ctx):
    ctx.events.broken = True
    request_id = requested(ctx)
    assert ctx.requests.get(request_id).status == "PENDING" and not ctx.events.published


# --- the outbox ---------------------------------------------------------------------------------
def staged(world):
    return sorted(((e.action, e.request_id) for e in world.outbox.values()), key=str)


def test_each_change_stages_its_event_with_it_and_forgets_it_once_published(ctx, world):
    ctx.events.broken = True
    first, second = requested(ctx), requested(ctx, JISOO)
    service.approve_request(ctx, KIM, first)
    service.reject_request(ctx, KIM, second, "시간이 맞지 않아요")
    third = requested(ctx, JISOO, LEE)
    service.cancel_request(ctx, JISOO, third)
    service.end_link_as_student(ctx, MINJI)
    assert staged(world) == sorted(
        [
            ("requested", first),
            ("requested", second),
            ("approved", first),
            ("rejected", second),
            ("requested", third),
            ("cancelled", third),
            ("ended", first),
        ],
        key=str,
    )
    assert not ctx.events.published

    ctx.events.broken = False
    world.outbox.clear()
    service.approve_request(ctx, LEE, requested(ctx, JISOO, LEE))
    assert [e.action for e in ctx.events.of_type("tutor_match")] == ["requested", "approved"]
    assert world.outbox == {}


def test_a_refused_change_stages_nothing(ctx, world):
    matched(ctx)
    with pytest.raises(Conflict):
        requested(ctx, MINJI, LEE)
    assert world.outbox == {}


def test_a_failed_publish_leaves_the_staged_event_to_be_relayed(ctx, world):
    ctx.events.broken = True
    request_id = requested(ctx)
    [event] = world.outbox.values()
    assert (event.action, event.request_id, event.student_email) == ("requested", request_id, MINJI)


def test_the_relay_publishes_staged_events_older_than_half_a_minute_and_forgets_them(ctx, world):
    ctx.events.broken = True
    matched(ctx)
    staged_ids = sorted(world.outbox)
    ctx.events.broken = False
    assert service.relay_outbox(ctx) == 0 and len(world.outbox) == 2  # maybe still being published
    ctx.clock.now += service.RELAY_AFTER_SECONDS + 1
    assert service.relay_outbox(ctx) == 2
    assert [e.action for e in ctx.events.published] == ["requested", "approved"]  # oldest first
    assert sorted(e.event_id for e in ctx.events.published) == staged_ids
    assert world.outbox == {}
    assert service.relay_outbox(ctx) == 0 and len(ctx.events.published) == 2


def test_the_relay_keeps_an_event_it_cannot_publish(ctx, world):
    ctx.events.broken = True
    requested(ctx)
    before = dict(world.outbox)
    ctx.clock.now += service.RELAY_AFTER_SECONDS + 1
    assert service.relay_outbox(ctx) == 0
    assert world.outbox == before
    ctx.events.broken = False
    assert service.relay_outbox(ctx) == 1 and world.outbox == {}


# --- account deletion ---------------------------------------------------------------------------
def deleted(email, role):
    return UserDeleted(email=email, user_id=f"sub-{email}", role=role)


def test_a_deleted_student_frees_their_tutors_seat_and_leaves_nothing(ctx, world):
    requested(ctx, MINJI, LEE)  # a pending request elsewhere goes too
    matched(ctx, MINJI, KIM)
    requested(ctx, JISOO, LEE)
    for _ in range(2):  # a redelivery finishes or changes nothing
        service.apply_identity_event(ctx, deleted(MINJI, "student"))
    assert ctx.tutors.get(KIM).student_count == 0 and world.links == {}
    assert MINJI not in world.students
    assert all(MINJI not in (r.student_email, r.tutor_email) for r in world.requests.values())
    assert (JISOO, LEE) in world.pending_pairs and len(world.requests) == 1  # another student's stays
    ended = ctx.events.of_type("tutor_match", action="ended")
    assert [(e.student_email, e.tutor_email, e.ended_by) for e in ended] == [(MINJI, KIM, "account_deleted")]
    assert all(MINJI not in e.to_json() for e in world.outbox.values())


def test_a_deleted_tutor_frees_every_student(ctx, world):
    matched(ctx, MINJI, KIM)
    matched(ctx, JISOO, KIM)
    service.apply_identity_event(ctx, deleted(KIM, "tutor"))
    assert ctx.tutors.get(KIM) is None and world.links == {}
    assert world.students[MINJI].tutor_email is None and world.students[JISOO].tutor_email is None
    assert {e.student_email for e in ctx.events.of_type("tutor_match", action="ended")} == {MINJI, JISOO}
    assert KIM not in {r.tutor_email for r in world.requests.values()}
    request_tutor_again = service.request_tutor(ctx, MINJI, LEE, "")
    assert request_tutor_again.status == "PENDING"


def test_an_erasure_whose_announcement_fails_is_retried_not_reported_done(ctx, world):
    matched(ctx, MINJI, KIM)
    ctx.events.broken = True
    with pytest.raises(ConnectionError):
        service.apply_identity_event(ctx, deleted(KIM, "tutor"))
    assert any(e.type == "tutor_match" for e in world.outbox.values())  # staged, to be published on retry
    ctx.events.broken = False
    service.apply_identity_event(ctx, deleted(KIM, "tutor"))
    assert world.outbox == {} and ctx.tutors.get(KIM) is None
    assert ctx.events.of_type("tutor_match", action="ended", student_email=MINJI)
