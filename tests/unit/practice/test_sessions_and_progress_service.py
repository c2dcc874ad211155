from datetime import UTC, date, datetime

import pytest
from chalicelib import service
from chalicelib.ports import PronunciationResult
from speaktracker.errors import Conflict, Forbidden, Invalid, NotFound
from speaktracker.events import TutorMatch

from .fakes import Clock, assessment, make_practice, student, tutor


def test_start_then_end_computes_duration_and_adds_to_the_day():
    clock = Clock(datetime(2025, 1, 30, 9, 0, tzinfo=UTC))
    ctx = make_practice(clock=clock)
    me = student()
    session = service.start_session(ctx, me, "practice", {"difficulty": "중"})
    assert session.session_id.startswith("sess-20250130T090000000Z-")
    ctx.sessions.add_speech(me.email, session.session_id, 12_400)
    clock.advance(minutes=30)
    ended = service.end_session(ctx, me, session.session_id)
    assert (ended.duration, ended.speaking_duration, ended.status) == (1800, 12, "ENDED")
    [day] = ctx.statistics.days(me.email, date(2025, 1, 30), date(2025, 1, 30))
    assert (day.practice_count, day.total_duration, day.total_speaking_time) == (1, 1800, 12)
    [event] = ctx.events.events  # analytics counts sessions and their minutes from it
    assert (event.type, event.session_id, event.duration_seconds, event.speaking_seconds) == (
        "practice_session_ended",
        session.session_id,
        1800,
        12,
    )


def test_ending_twice_is_a_conflict_and_counts_once():
    ctx = make_practice()
    me = student()
    session = service.start_session(ctx, me, "practice", None)
    service.end_session(ctx, me, session.session_id)
    with pytest.raises(Conflict) as caught:
        service.end_session(ctx, me, session.session_id)
    assert caught.value.code == "SESSION_ALREADY_ENDED"
    assert [e.type for e in ctx.events.events] == ["practice_session_ended"]
    assert sum(d.practice_count for d in ctx.statistics.days(me.email, date(2025, 1, 1), date(2025, 12, 31))) == 1


def test_speech_arriving_while_ending_is_not_lost():
    ctx = make_practice()
    me = student()
    session = service.start_session(ctx, me, "practice", None)
    ctx.sessions.speech_during_close = 3000
    ended = service.end_session(ctx, me, session.session_id)
    assert ended.speaking_duration == 3


def test_a_forgotten_session_is_capped_and_other_students_sessions_are_not_found():
    clock = Clock()
    ctx = make_practice(clock=clock)
    session = service.start_session(ctx, student(), "practice", None)
    with pytest.raises(NotFound):
        service.end_session(ctx, student("park@example.com"), session.session_id)
    clock.advance(days=3)
    assert service.end_session(ctx, student(), session.session_id).duration == 4 * 3600


def test_session_type_and_metadata_are_checked():
    ctx = make_practice()
    with pytest.raises(Invalid) as caught:
        service.start_session(ctx, student(), "karaoke", None)
    assert caught.value.code == "UNKNOWN_SESSION_TYPE"
    with pytest.raises(Invalid):
        service.start_session(ctx, student(), "practice", {"blob": "x" * 3000})


@pytest.mark.parametrize("metadata", [{"": 1}, {"screen": {"": [1]}}, {"marks": [{"ok": True}, {"": None}]}])
def test_metadata_with_an_empty_key_is_invalid(metadata):
    """Found by the fuzzer: an empty key inside a stored map broke every later listing of the sessions."""
    with pytest.raises(Invalid) as caught:
        service.start_session(make_practice(), student(), "practice", metadata)
    assert caught.value.code == "INVALID_METADATA"
    assert service.start_session(make_practice(), student(), "practice", {"screen": {"a": [1]}}).metadata


def test_a_session_started_before_kst_midnight_counts_on_its_start_day():
    clock = Clock(datetime(2025, 1, 30, 14, 50, tzinfo=UTC))  # 23:50 KST on the 30th
    ctx = make_practice(clock=clock)
    session = service.start_session(ctx, student(), "practice", None)
    clock.advance(minutes=20)  # 00:10 KST on the 31st
    service.end_session(ctx, student(), session.session_id)
    listed = service.list_sessions(ctx, student(), "2025-01-30", "2025-01-30")
    assert [s.session_id for s in listed["sessions"]] == [session.session_id]
    assert service.list_sessions(ctx, student(), "2025-01-31", "2025-01-31")["sessions"] == []
    assert ctx.statistics.days(student().email, date(2025, 1, 30), date(2025, 1, 30))[0].practice_count == 1


# --- who may read whose progress --------------------------------------------------------------------
def linked(ctx, tutor_email="lee@example.com", student_email="kim@example.com", action="approved", at=None):
    event = TutorMatch(action=action, studentEmail=student_email, tutorEmail=tutor_email)
    if at is not None:
        event = event.model_copy(update={"occurred_at": at})
    service.apply_tutor_match(ctx, event)


def test_a_tutor_reads_their_own_students_progress_only():
    ctx = make_practice()
    linked(ctx)
    assert service.progress_summary(ctx, tutor(), "KIM@example.com")["studentEmail"] == "kim@example.com"
    with pytest.raises(Forbidden) as caught:
        service.progress_summary(ctx, tutor("choi@example.com"), "kim@example.com")
    assert caught.value.code == "NOT_YOUR_STUDENT"
    with pytest.raises(Invalid):
        service.daily_statistics(ctx, tutor(), None, None, None)
    with pytest.raises(Forbidden):
        service.list_results(ctx, student("park@example.com"), None, 20, "kim@example.com")


def test_a_childs_tutor_names_the_child_by_handle_and_never_sees_the_email():
    ctx = make_practice()
    handle = "child-0123456789abcdef01234567"
    service.apply_tutor_match(
        ctx,
        TutorMatch(action="approved", studentEmail="kim@example.com", tutorEmail=tutor().email, studentHandle=handle),
    )
    for answer in (
        service.progress_summary(ctx, tutor(), handle),
        service.daily_statistics(ctx, tutor(), None, None, handle),
        service.list_sessions(ctx, tutor(), None, None, handle),
    ):
        assert answer["studentEmail"] == handle and "kim@example.com" not in repr(answer)
    assert service.progress_summary(ctx, student("kim@example.com"))["studentEmail"] == "kim@example.com"
    with pytest.raises(Forbidden) as caught:
        service.progress_summary(ctx, tutor("choi@example.com"), handle)  # another tutor: the handle names nobody
    assert caught.value.code == "NOT_YOUR_STUDENT"


def test_an_ended_link_ends_access_and_an_old_event_cannot_revive_it():
    ctx = make_practice()
    linked(ctx, at=datetime(2025, 1, 1, tzinfo=UTC))
    linked(ctx, action="ended", at=datetime(2025, 1, 10, tzinfo=UTC))
    linked(ctx, at=datetime(2025, 1, 5, tzinfo=UTC))  # a late redelivery of an older approval
    with pytest.raises(Forbidden):
        service.progress_summary(ctx, tutor(), "kim@example.com")
    linked(ctx, tutor_email="choi@example.com", at=datetime(2025, 1, 20, tzinfo=UTC))
    linked(ctx, action="ended", at=datetime(2025, 1, 21, tzinfo=UTC))  # ends lee's link, not choi's
    assert service.progress_summary(ctx, tutor("choi@example.com"), "kim@example.com")


def test_daily_statistics_and_summary_for_the_student():
    clock = Clock(datetime(2025, 1, 30, 9, 0, tzinfo=UTC))
    ctx = make_practice(clock=clock)
    me = student()
    for day in range(3):
        session = service.start_session(ctx, me, "practice", None)
        ctx.results.add(
            PronunciationResult(me.email, f"res-{day}", "", "How was your day?", "k", "s", assessment(80 + day)),
            clock.now.date(),
            service.StatsDelta(evaluation_count=1, score_total=80 + day),
        )
        clock.advance(minutes=10)
        service.end_session(ctx, me, session.session_id)
        clock.advance(days=1)
    stats = service.daily_statistics(ctx, me, "2025-01-29", "2025-02-02")
    assert [d["date"] for d in stats["days"]] == ["2025-01-30", "2025-01-31", "2025-02-01"]
    assert stats["timezone"] == "Asia/Seoul" and stats["days"][0]["averageScore"] == 80.0
    summary = service.progress_summary(ctx, me)
    assert summary["streakDays"] == 3 and summary["practiceCount"] == 3 and summary["evaluationCount"] == 3
    assert summary["averageScore"] == 81.0 and summary["basedOnResults"] == 3
    with pytest.raises(Invalid) as caught:
        service.daily_statistics(ctx, me, "2025-02-02", "2025-01-01")
    assert caught.value.code == "INVALID_DATE_RANGE"
    with pytest.raises(Invalid):
        service.daily_statistics(ctx, me, "yesterday", None)
