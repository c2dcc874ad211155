"""The analytics questions on a small, hand-made week of events, archived the way the dev stack does."""

from datetime import UTC, date, datetime, timedelta

import pytest
from speaktracker import events as ev
from speaktracker.privacy import Pseudonyms
from speaktracker_analytics.queries import (
    AnalyticsStore,
    DailyLearners,
    DailyLevelScore,
    DailyPractice,
    DailyTurns,
    LevelScore,
    ResponseTime,
    WeeklyLearners,
)
from speaktracker_dev.analytics_sink import LocalEventArchive

PSEUDONYMS = Pseudonyms(b"a test key of 32 bytes, not one for real use"[:32])

# 2026-11-30 is a Monday. 15:30 UTC on the 30th is 00:30 on 1 December in Korea: product days are Korean.
MON = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
KIM, LEE, TUTOR = "kim@example.com", "lee@example.com", "park@example.com"


def at(hours: float) -> datetime:
    return MON + timedelta(hours=hours)


def result(student, hours, score, level, seconds=3.0):
    return ev.PracticeResult(
        studentEmail=student,
        resultId=f"res-{hours}",
        originalText="Hi.",
        overallScore=score,
        grade="B",
        level=level,
        speakingSeconds=seconds,
        occurredAt=at(hours),
    )


def session(student, hours, minutes):
    return ev.PracticeSessionEnded(
        studentEmail=student,
        sessionId=f"sess-{hours}",
        sessionType="practice",
        startedAt=at(hours).isoformat(),
        durationSeconds=minutes * 60,
        speakingSeconds=6,
        occurredAt=at(hours),
    )


def turn(student, hours, conversation, index, seconds):
    return ev.ConversationTurnCompleted(
        studentEmail=student,
        conversationId=conversation,
        requestId=f"r{hours}",
        turnIndex=index,
        speakingSeconds=seconds,
        words=5,
        occurredAt=at(hours),
    )


def match(action, hours, request_id="req-1"):
    return ev.TutorMatch(action=action, requestId=request_id, studentEmail=LEE, tutorEmail=TUTOR, occurredAt=at(hours))


def feedback(hours):
    return ev.FeedbackSent(
        feedbackId=f"fb-{hours}",
        tutorEmail=TUTOR,
        studentEmail=LEE,
        message="Good!",
        timestamp=at(hours).isoformat(),
        occurredAt=at(hours),
    )


WEEK = [
    # Monday: Kim practises (a session, two results), Lee asks for a tutor who answers 90 minutes later.
    session(KIM, 0, 10),
    result(KIM, 0.1, 80, "초급"),
    result(KIM, 0.2, 90, "초급", seconds=6.0),
    match("requested", 1),
    match("approved", 2.5),
    # Monday 15:30 UTC is Tuesday in Korea: Lee practises and holds a three-turn conversation.
    result(LEE, 14.5, 70, "중급"),
    turn(LEE, 14.6, "conv-1", 1, 12),
    turn(LEE, 14.7, "conv-1", 2, 18),
    turn(LEE, 14.8, "conv-1", 3, 30),
    # Lee's practice waited 30 minutes for feedback; a second feedback with nothing new to answer is no response.
    feedback(15),
    feedback(15.5),
    # Next Monday (another week): Kim alone, an own sentence, and a session of 5 minutes.
    session(KIM, 168, 5),
    result(KIM, 168.1, 60, None),
    # Lee asks another tutor request that is never answered: no response time.
    match("requested", 168.2, "req-2"),
]


@pytest.fixture()
def store(tmp_path):
    archive = LocalEventArchive(tmp_path, PSEUDONYMS)
    for event in WEEK:
        assert archive.keep(event.model_dump(mode="json", by_alias=True))
    # Redelivery changes nothing, through the same archive or a fresh one reading the files.
    assert not archive.keep(WEEK[0].model_dump(mode="json", by_alias=True))
    assert not LocalEventArchive(tmp_path, PSEUDONYMS).keep(WEEK[1].model_dump(mode="json", by_alias=True))
    with AnalyticsStore(tmp_path) as opened:
        yield opened


D1, D2, D8 = date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 7)


def test_active_learners_per_korean_day_and_week(store):
    assert store.daily_active_learners() == [DailyLearners(D1, 1), DailyLearners(D2, 1), DailyLearners(D8, 1)]
    assert store.weekly_active_learners() == [WeeklyLearners(D1, 2), WeeklyLearners(D8, 1)]


def test_sessions_and_speaking_minutes_per_day(store):
    # Speaking: Monday 3 + 6 s; Tuesday 3 s of practice and 60 s of conversation; next Monday 3 s.
    assert store.practice_per_day() == [
        DailyPractice(D1, 1, 10.0, 0.15),
        DailyPractice(D2, 0, 0.0, 1.05),
        DailyPractice(D8, 1, 5.0, 0.05),
    ]


def test_scores_by_level_and_their_trend(store):
    assert store.scores_by_level() == [
        LevelScore("own sentence", 1, 60.0),
        LevelScore("중급", 1, 70.0),
        LevelScore("초급", 2, 85.0),
    ]
    assert store.score_trend_by_level() == [
        DailyLevelScore(D1, "초급", 2, 85.0),
        DailyLevelScore(D2, "중급", 1, 70.0),
        DailyLevelScore(D8, "own sentence", 1, 60.0),
    ]


def test_conversation_turns(store):
    assert store.conversation_turns_per_day() == [DailyTurns(D2, 3, 1, 1)]


def test_tutor_response_times(store):
    assert store.match_response_times() == [ResponseTime(D1, 1, 90.0, 90.0)]
    assert store.feedback_response_times() == [ResponseTime(D2, 1, 30.0, 30.0)]


def test_an_empty_archive_answers_every_question_with_nothing(tmp_path):
    with AnalyticsStore(tmp_path) as empty:
        assert all(rows == [] for rows in empty.summary().values())


def test_the_report_prints_the_figures_and_draws_every_chart(store, tmp_path, capsys):
    from speaktracker_analytics.__main__ import main

    assert main(["--events", str(store.root), "--out", str(tmp_path / "charts")]) == 0
    printed = capsys.readouterr().out
    assert "== Daily active learners" in printed and "2026-11-30  1          90.0" in printed
    charts = sorted(p.name for p in (tmp_path / "charts").glob("*.png"))
    assert charts == [
        "active_learners.png",
        "conversation_turns.png",
        "practice_per_day.png",
        "scores_by_level.png",
        "tutor_response_times.png",
    ]
    assert all((tmp_path / "charts" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for name in charts)
