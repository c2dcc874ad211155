import random
from datetime import UTC, date, datetime, timedelta

from chalicelib.adapters.sentence_bank import load_bank
from chalicelib.domain.days import KST, day_range, day_start_utc, kst_day
from chalicelib.domain.levels import Level
from chalicelib.domain.mastery import SentenceRecord, avoid_texts, compose_practice_set, due_for_review, served
from chalicelib.domain.progress import DayStats, PhonemeScore, ResultDigest, WordScore, areas, streak, summary
from chalicelib.domain.sentences import Sentence

NOW = datetime(2025, 1, 30, 9, 0, tzinfo=UTC)
STUDENT = "kim@example.com"


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def record(sentence, score=None, practised_ago=None, served_ago=None, attempts=None):
    return SentenceRecord(
        STUDENT,
        sentence.key,
        sentence.english,
        sentence.korean,
        sentence.level,
        sentence.topic,
        attempts=attempts if attempts is not None else (1 if score is not None else 0),
        best_score=score,
        last_score=score,
        last_practiced_at=iso(NOW - practised_ago) if practised_ago else None,
        last_served_at=iso(NOW - served_ago) if served_ago else None,
    )


def candidates():
    return load_bank().candidates(Level.BEGINNER, "daily")


def test_mastered_sentences_rest_and_weak_ones_come_back_first():
    pool = candidates()
    mastered = [record(s, 95, timedelta(days=1)) for s in pool[: len(pool) - 6]]
    weak = record(pool[-1], 40, timedelta(hours=3))
    chosen = compose_practice_set(pool, mastered + [weak], Level.BEGINNER, "daily", 5, NOW, random.Random(1))
    assert chosen[0].sentence.english == pool[-1].english and chosen[0].reason == "review"
    rested = {r.sentence_key for r in mastered}
    assert not any(p.sentence.key in rested for p in chosen)
    assert len(chosen) == 5


def test_reviews_are_at_most_half_a_set_and_weakest_first():
    pool = candidates()
    weak = [record(s, 30 + i, timedelta(days=1)) for i, s in enumerate(pool[:6])]
    chosen = compose_practice_set(pool, weak, Level.BEGINNER, "daily", 5, NOW, random.Random(2))
    reviews = [p for p in chosen if p.reason == "review"]
    assert [p.sentence.english for p in reviews] == [pool[0].english, pool[1].english]
    assert len(chosen) == 5


def test_a_weak_sentence_just_practised_waits_a_few_minutes():
    pool = candidates()
    just_now = record(pool[0], 40, timedelta(minutes=2))
    assert due_for_review([just_now], Level.BEGINNER, "daily", NOW, 3) == []
    assert due_for_review([just_now], Level.BEGINNER, "daily", NOW + timedelta(minutes=10), 3)


def test_recently_served_sentences_wait_unless_the_bank_runs_short():
    pool = candidates()
    history = [served(None, STUDENT, s, NOW - timedelta(hours=1)) for s in pool[:-3]]
    chosen = compose_practice_set(pool, history, Level.BEGINNER, "daily", 5, NOW, random.Random(3))
    keys = [p.sentence.key for p in chosen]
    assert set(s.key for s in pool[-3:]) <= set(keys)  # the unseen ones first
    assert len(chosen) == 5  # then the served ones fill the set
    everything_resting = [record(s, 99, timedelta(days=2)) for s in pool]
    chosen = compose_practice_set(pool, everything_resting, Level.BEGINNER, "daily", 5, NOW, random.Random(3))
    assert len(chosen) == 5 and all(p.reason == "again" for p in chosen)


def test_the_reserve_is_used_only_after_the_writer_runs_out():
    written = [Sentence(f"Model sentence {i}.", f"모델 문장 {i}", Level.BEGINNER, "daily", "claude") for i in range(3)]
    chosen = compose_practice_set(written, [], Level.BEGINNER, "daily", 5, NOW, random.Random(4), reserve=candidates())
    assert {p.sentence.source for p in chosen[:3]} == {"claude"}
    assert {p.sentence.source for p in chosen[3:]} <= {"bank", "template"}


def test_avoid_texts_lists_resting_and_just_served():
    pool = candidates()
    history = [
        record(pool[0], 95, timedelta(days=1)),
        served(None, STUDENT, pool[1], NOW - timedelta(hours=1)),
        record(pool[2], 50, timedelta(days=1)),
    ]
    assert set(avoid_texts(history, NOW)) == {pool[0].english, pool[1].english}


# --- days and streaks -----------------------------------------------------------------------------
def test_kst_days_turn_at_15_utc():
    assert kst_day(datetime(2025, 1, 30, 14, 59, tzinfo=UTC)) == date(2025, 1, 30)
    assert kst_day(datetime(2025, 1, 30, 15, 0, tzinfo=UTC)) == date(2025, 1, 31)
    assert day_start_utc(date(2025, 1, 31)) == datetime(2025, 1, 30, 15, 0, tzinfo=UTC)
    assert day_range(None, None, date(2025, 1, 30)) == (date(2025, 1, 1), date(2025, 1, 30))


def days(*spec):
    return [DayStats(d, practice_count=1) for d in spec]


def test_streak_counts_consecutive_kst_days_and_survives_until_the_day_is_over():
    history = days(date(2025, 1, 27), date(2025, 1, 28), date(2025, 1, 29))
    assert streak(history, date(2025, 1, 29)).current == 3
    assert streak(history, date(2025, 1, 30)).current == 3  # not practised yet today: still alive
    assert streak(history, date(2025, 1, 31)).current == 0  # a whole day missed
    assert streak(history + days(date(2025, 1, 20)), date(2025, 1, 30)).longest == 3


def test_practice_either_side_of_kst_midnight_makes_two_streak_days():
    before = datetime(2025, 1, 29, 23, 50, tzinfo=KST)
    after = before + timedelta(minutes=20)
    assert (kst_day(before), kst_day(after)) == (date(2025, 1, 29), date(2025, 1, 30))
    history = days(kst_day(before), kst_day(after))
    assert streak(history, date(2025, 1, 30)).current == 2
    # The same two instants are one UTC day (14:50 and 15:10 UTC): counting UTC days would say 1.
    assert before.astimezone(UTC).date() == after.astimezone(UTC).date()


def test_an_evaluation_alone_makes_a_day_active():
    assert streak([DayStats(date(2025, 1, 30), evaluation_count=1, score_total=80)], date(2025, 1, 30)).current == 1
    assert streak([DayStats(date(2025, 1, 30))], date(2025, 1, 30)).current == 0


# --- summary --------------------------------------------------------------------------------------
def digest(score, words, missed=(), topic=None):
    return ResultDigest(
        score,
        tuple(WordScore(w, s, tuple(PhonemeScore(p, ps) for p, ps in phones)) for w, s, phones in words),
        tuple(missed),
        topic,
    )


def test_weak_areas_and_strengths_from_recent_results():
    results = [
        digest(
            60, [("river", 50, [("R", 35), ("IH", 80)]), ("very", 55, [("V", 40), ("R", 45)])], ["the"], topic="travel"
        ),
        digest(
            65, [("river", 60, [("R", 40), ("IH", 85)]), ("good", 95, [("G", 96), ("UH", 94)])], ["the"], topic="travel"
        ),
        digest(93, [("good", 94, [("G", 95), ("UH", 93)]), ("day", 96, [("D", 97), ("EY", 95)])], topic="daily"),
        digest(91, [("day", 92, [("D", 93), ("EY", 90)])], topic="daily"),
    ]
    weak, strong = areas(results)
    assert weak["phonemes"][0]["phoneme"] == "R" and weak["phonemes"][0]["count"] == 3
    assert weak["phonemes"][0]["exampleWords"] == ["river", "very"]
    assert [w["word"] for w in weak["words"]] == ["the", "river"]
    assert weak["topics"][0]["topic"] == "travel"
    assert {p["phoneme"] for p in strong["phonemes"]} >= {"G", "D"}
    assert strong["topics"][0]["topic"] == "daily"
    assert "R" not in {p["phoneme"] for p in strong["phonemes"]}


def test_summary_totals_trend_and_streak():
    today = date(2025, 1, 30)
    history = [
        DayStats(
            today - timedelta(days=i),
            practice_count=1,
            total_duration=600,
            total_speaking_time=60,
            evaluation_count=2,
            score_total=2 * (70 + (13 - i) * 2),
        )
        for i in range(14)
    ]
    result = summary(history, [], today)
    assert result["streakDays"] == 14 and result["practiceCount"] == 14 and result["totalSpeakingTime"] == 840
    assert result["evaluationCount"] == 28 and result["timezone"] == "Asia/Seoul"
    trend = result["scoreTrend"]
    assert trend["direction"] == "improving" and trend["change"] == 14.0 and len(trend["daily"]) == 14
    assert summary([], [], today)["scoreTrend"]["direction"] == "not_enough_data"
