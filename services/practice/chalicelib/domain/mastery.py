"""What a student has mastered and what they are weak at, and how a practice set is put together from it:
weak sentences come back first, mastered ones rest for a while, and recently served ones wait their turn."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from .days import iso_utc, parse_iso
from .levels import Level
from .sentences import Sentence

MASTERED_SCORE = 85.0
WEAK_SCORE = 70.0
MASTERED_REST = timedelta(days=14)
SERVED_COOLDOWN = timedelta(hours=12)
WEAK_COOLDOWN = timedelta(minutes=10)  # just practised: let the student hear something else first

Standing = Literal["unpractised", "weak", "learning", "mastered"]
Reason = Literal["new", "review", "again"]


@dataclass(frozen=True)
class SentenceRecord:
    """One student's history with one sentence."""

    student_email: str
    sentence_key: str
    english: str
    korean: str
    level: Level | None = None
    topic: str | None = None
    attempts: int = 0
    best_score: float | None = None
    last_score: float | None = None
    last_practiced_at: str | None = None
    last_served_at: str | None = None
    times_served: int = 0

    @property
    def standing(self) -> Standing:
        if self.attempts == 0 or self.last_score is None:
            return "unpractised"
        if self.last_score < WEAK_SCORE:
            return "weak"
        if self.last_score >= MASTERED_SCORE and (self.best_score or 0) >= MASTERED_SCORE:
            return "mastered"
        return "learning"

    def resting_at(self, now: datetime) -> bool:
        return self.standing == "mastered" and _since(self.last_practiced_at, now) < MASTERED_REST

    def recently_served_at(self, now: datetime) -> bool:
        return _since(self.last_served_at, now) < SERVED_COOLDOWN

    def sentence(self) -> Sentence:
        return Sentence(self.english, self.korean, self.level or Level.BEGINNER, self.topic or "daily", "review")

    def practised(self, score: float, now: datetime) -> SentenceRecord:
        best = score if self.best_score is None else max(self.best_score, score)
        return replace(
            self, attempts=self.attempts + 1, best_score=best, last_score=score, last_practiced_at=iso_utc(now)
        )


@dataclass(frozen=True)
class PracticeSentence:
    sentence: Sentence
    reason: Reason


def _since(stamp: str | None, now: datetime) -> timedelta:
    return now - parse_iso(stamp) if stamp else timedelta.max


def due_for_review(
    history: Iterable[SentenceRecord], level: Level, topic: str, now: datetime, limit: int
) -> list[SentenceRecord]:
    """Weak sentences of this level and topic, weakest and longest-unpractised first."""
    weak = [
        r
        for r in history
        if r.standing == "weak"
        and r.level == level
        and r.topic == topic
        and _since(r.last_practiced_at, now) >= WEAK_COOLDOWN
    ]
    weak.sort(key=lambda r: (r.last_score or 0, r.last_practiced_at or ""))
    return weak[:limit]


def review_share(count: int) -> int:
    """At most half a set is review, so every set also brings something new."""
    return count // 2


def avoid_texts(history: Iterable[SentenceRecord], now: datetime, limit: int = 40) -> list[str]:
    """Sentences a writer should not offer now (resting or just served), most recent first."""
    held = [r for r in history if r.resting_at(now) or r.recently_served_at(now)]
    held.sort(key=lambda r: max(r.last_practiced_at or "", r.last_served_at or ""), reverse=True)
    return [r.english for r in held[:limit]]


def compose_practice_set(
    fresh: list[Sentence],
    history: Iterable[SentenceRecord],
    level: Level,
    topic: str,
    count: int,
    now: datetime,
    rng: random.Random,
    reserve: list[Sentence] | None = None,
) -> list[PracticeSentence]:
    """Up to ``count`` sentences: due reviews first, then fresh ones in random order, then the reserve (the
    bank behind a model), and only when all run short, ones served recently, then mastered ones that are
    still resting (oldest first)."""
    records = {r.sentence_key: r for r in history}
    chosen: list[PracticeSentence] = [
        PracticeSentence(r.sentence(), "review")
        for r in due_for_review(records.values(), level, topic, now, review_share(count))
    ]
    taken = {p.sentence.key for p in chosen}
    pool: list[tuple[int, Sentence]] = []
    for group, sentences in enumerate((fresh, reserve or [])):
        unique = [s for s in {s.key: s for s in sentences}.values() if s.key not in taken]
        rng.shuffle(unique)
        taken |= {s.key for s in unique}
        pool += [(group, s) for s in unique]

    def rank(entry: tuple[int, Sentence]) -> tuple[int, int, str]:
        group, sentence = entry
        record = records.get(sentence.key)
        if record is None or not (record.resting_at(now) or record.recently_served_at(now)):
            return 0, group, ""
        if record.resting_at(now):
            return 2, group, record.last_practiced_at or ""
        return 1, group, record.last_served_at or ""

    for _, sentence in sorted(pool, key=rank)[: max(0, count - len(chosen))]:
        record = records.get(sentence.key)
        chosen.append(PracticeSentence(sentence, "again" if record and record.attempts else "new"))
    return chosen


def served(record: SentenceRecord | None, student_email: str, sentence: Sentence, now: datetime) -> SentenceRecord:
    base = record or SentenceRecord(
        student_email, sentence.key, sentence.english, sentence.korean, sentence.level, sentence.topic
    )
    return replace(base, last_served_at=iso_utc(now), times_served=base.times_served + 1)
