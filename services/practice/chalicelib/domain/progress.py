"""Progress: daily counters, streaks, score trend, weak areas and strengths (seed 002's UserProgress).

Days are Asia/Seoul calendar days. A day counts towards a streak if the student ended a session, had a
recording assessed or held an AI conversation turn on it; a streak still stands on a day the student has not
practised yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

SUMMARY_DAYS = 365
TREND_DAYS = 7
RECENT_RESULTS = 100
AREA_MIN_SAMPLES = 2
AREA_LIMIT = 5


@dataclass(frozen=True)
class DayStats:
    day: date
    practice_count: int = 0  # sessions ended
    total_duration: int = 0  # seconds in sessions
    total_speaking_time: int = 0  # seconds of speech assessed
    evaluation_count: int = 0
    score_total: float = 0.0
    conversation_turns: int = 0  # turns answered in AI conversations (conversation's events)

    @property
    def active(self) -> bool:
        return self.practice_count > 0 or self.evaluation_count > 0 or self.conversation_turns > 0

    @property
    def average_score(self) -> float | None:
        return round(self.score_total / self.evaluation_count, 1) if self.evaluation_count else None

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "practiceCount": self.practice_count,
            "totalDuration": self.total_duration,
            "totalSpeakingTime": self.total_speaking_time,
            "evaluationCount": self.evaluation_count,
            "averageScore": self.average_score,
            "conversationTurns": self.conversation_turns,
        }


@dataclass(frozen=True)
class PhonemeScore:
    phoneme: str
    score: float


@dataclass(frozen=True)
class WordScore:
    word: str
    score: float
    phonemes: tuple[PhonemeScore, ...] = ()


@dataclass(frozen=True)
class ResultDigest:
    """What progress needs from one stored assessment."""

    overall_score: float
    words: tuple[WordScore, ...] = ()
    missed_words: tuple[str, ...] = ()
    topic: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    last_active: date | None


def streak(days: Iterable[DayStats], today: date) -> Streak:
    active = sorted({d.day for d in days if d.active})
    if not active:
        return Streak(0, 0, None)
    longest = run = 1
    for previous, day in zip(active, active[1:]):
        run = run + 1 if (day - previous).days == 1 else 1
        longest = max(longest, run)
    current = 0
    if (today - active[-1]).days <= 1:
        current = 1
        for previous, day in zip(reversed(active[:-1]), reversed(active)):
            if (day - previous).days != 1:
                break
            current += 1
    return Streak(current, longest, active[-1])


def score_trend(days: Iterable[DayStats], today: date) -> dict[str, Any]:
    """Daily averages over two weeks, and this week's average against the week before."""
    by_day = {d.day: d for d in days}
    window = [today - timedelta(days=i) for i in range(2 * TREND_DAYS - 1, -1, -1)]
    series = [
        {"date": d.isoformat(), "averageScore": by_day[d].average_score}
        for d in window
        if d in by_day and by_day[d].evaluation_count
    ]

    def average(span: list[date]) -> float | None:
        total = sum(by_day[d].score_total for d in span if d in by_day)
        count = sum(by_day[d].evaluation_count for d in span if d in by_day)
        return round(total / count, 1) if count else None

    this_week, last_week = average(window[TREND_DAYS:]), average(window[:TREND_DAYS])
    if this_week is None or last_week is None:
        direction = "not_enough_data"
        change = None
    else:
        change = round(this_week - last_week, 1)
        direction = "improving" if change >= 2 else "declining" if change <= -2 else "steady"
    return {"daily": series, "thisWeek": this_week, "lastWeek": last_week, "change": change, "direction": direction}


@dataclass
class _Tally:
    total: float = 0.0
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, score: float, example: str | None = None) -> None:
        self.total += score
        self.count += 1
        if example and example not in self.examples and len(self.examples) < 3:
            self.examples.append(example)

    @property
    def average(self) -> float:
        return round(self.total / self.count, 1)


def areas(results: Iterable[ResultDigest]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(weak areas, strengths): phonemes, words and topics ranked by average score over recent results.
    A missed word counts as a zero for that word."""
    phonemes: dict[str, _Tally] = defaultdict(_Tally)
    words: dict[str, _Tally] = defaultdict(_Tally)
    topics: dict[str, _Tally] = defaultdict(_Tally)
    for result in results:
        for word in result.words:
            words[word.word.lower()].add(word.score)
            for phone in word.phonemes:
                phonemes[phone.phoneme].add(phone.score, word.word.lower())
        for missed in result.missed_words:
            words[missed.lower()].add(0.0)
        if result.topic:
            topics[result.topic].add(result.overall_score)

    def ranked(tallies: dict[str, _Tally], label: str, weakest: bool, threshold: float) -> list[dict[str, Any]]:
        rows = [(name, t) for name, t in tallies.items() if t.count >= AREA_MIN_SAMPLES]
        rows = [(n, t) for n, t in rows if (t.average < threshold if weakest else t.average >= threshold)]
        rows.sort(key=lambda row: (row[1].average if weakest else -row[1].average, -row[1].count))
        out = []
        for name, tally in rows[:AREA_LIMIT]:
            entry = {label: name, "averageScore": tally.average, "count": tally.count}
            if tally.examples:
                entry["exampleWords"] = tally.examples
            out.append(entry)
        return out

    weak = {
        "phonemes": ranked(phonemes, "phoneme", True, 75),
        "words": ranked(words, "word", True, 75),
        "topics": ranked(topics, "topic", True, 75),
    }
    strong = {
        "phonemes": ranked(phonemes, "phoneme", False, 85),
        "words": ranked(words, "word", False, 85),
        "topics": ranked(topics, "topic", False, 80),
    }
    return weak, strong


def summary(days: list[DayStats], results: list[ResultDigest], today: date) -> dict[str, Any]:
    current = streak(days, today)
    weak, strong = areas(results)
    evaluations = sum(d.evaluation_count for d in days)
    return {
        "today": today.isoformat(),
        "timezone": "Asia/Seoul",
        "streakDays": current.current,
        "longestStreakDays": current.longest,
        "lastPracticeDate": current.last_active.isoformat() if current.last_active else None,
        "practiceCount": sum(d.practice_count for d in days),
        "evaluationCount": evaluations,
        "conversationTurns": sum(d.conversation_turns for d in days),
        "totalSpeakingTime": sum(d.total_speaking_time for d in days),
        "totalDuration": sum(d.total_duration for d in days),
        "averageScore": round(sum(d.score_total for d in days) / evaluations, 1) if evaluations else None,
        "scoreTrend": score_trend(days, today),
        "weakAreas": weak,
        "strengths": strong,
        "basedOnResults": len(results),
    }


@dataclass(frozen=True)
class StatsDelta:
    """What one action adds to a student's day (applied with DynamoDB ADD, so concurrent actions agree)."""

    practice_count: int = 0
    total_duration: int = 0
    total_speaking_time: int = 0
    evaluation_count: int = 0
    score_total: float = 0.0

    def counters(self) -> dict[str, float]:
        return {
            name: value
            for name, value in (
                ("practiceCount", self.practice_count),
                ("totalDuration", self.total_duration),
                ("totalSpeakingTime", self.total_speaking_time),
                ("evaluationCount", self.evaluation_count),
                ("scoreTotal", self.score_total),
            )
            if value
        }
