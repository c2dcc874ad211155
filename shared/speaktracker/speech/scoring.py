"""Rules on the aligner's evidence (no IO, no engines): which words look left out, the delivery in time,
and the product's scale. The scores themselves come from the learned scorer (``scorer``, ``judgement``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .evidence import FRAME_SECONDS, AcousticEvidence, Span, SpokenWord

# A word scored below this (0-100, calibrated to the examiners' word accuracy) is reported as mispronounced.
MISPRONOUNCED_BELOW = 60.0
# A silence between two words at least this long is a pause; from LONG_PAUSE on it breaks the phrase.
PAUSE_FRAMES = 20
LONG_PAUSE_FRAMES = 50


# The aligner must give every phone at least its three HMM states; a word squeezed to that with poor
# scores was not said, the alignment only had to pass through it.
MIN_PHONE_FRAMES = 3
OMITTED_SENONE_RATIO = -40.0


def looks_omitted(word: SpokenWord) -> bool:
    squeezed = all(p.span.frames <= MIN_PHONE_FRAMES for p in word.phones)
    return squeezed and float(np.mean([p.senone_ratio for p in word.phones])) < OMITTED_SENONE_RATIO


def clamp(value: float) -> float:
    return round(max(0.0, min(100.0, value)), 1)


def grade(overall: float) -> str:
    for floor, letter in ((90, "A"), (80, "B"), (70, "C"), (60, "D")):
        if overall >= floor:
            return letter
    return "F"


@dataclass(frozen=True)
class Delivery:
    """How the sentence was delivered in time, whatever the sounds."""

    articulation_rate: float  # phones per second of speaking, pauses excluded
    words_per_minute: float
    pause_share: float  # pauses / speaking span
    pause_count: int
    long_pauses_per_word: float


def delivery(evidence: AcousticEvidence) -> Delivery:
    words = sorted(evidence.spoken.values(), key=lambda w: w.span.start)
    if not words:
        return Delivery(0.0, 0.0, 1.0, 0, 1.0)
    gaps = [Span(a.span.end, b.span.start) for a, b in zip(words, words[1:])]
    pauses = [g for g in gaps if g.frames >= PAUSE_FRAMES]
    span = words[-1].span.end - words[0].span.start
    paused = sum(p.frames for p in pauses)
    speaking = max(span - paused, 1) * FRAME_SECONDS
    phones = [p for w in words for p in w.phones]
    return Delivery(
        articulation_rate=len(phones) / speaking,
        words_per_minute=60.0 * len(words) / speaking,
        pause_share=paused / max(span, 1),
        pause_count=len(pauses),
        long_pauses_per_word=sum(p.frames >= LONG_PAUSE_FRAMES for p in pauses) / len(words),
    )
