"""Scoring rules: from acoustic evidence to phone, word and sentence scores (no IO, no engines)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import calibration
from .evidence import FRAME_SECONDS, AcousticEvidence, PhoneEvidence, Span, SpokenWord

# A word whose phones average below this is reported as mispronounced. Phone scores are the calibrated
# probability that an examiner accepts the phone, so 60 means "4 in 10 would not".
MISPRONOUNCED_BELOW = 60.0
# A silence between two words at least this long is a pause; from LONG_PAUSE on it breaks the phrase.
PAUSE_FRAMES = 20
LONG_PAUSE_FRAMES = 50


# The aligner must give every phone at least its three HMM states; a word squeezed to that with poor
# scores was not said, the alignment only had to pass through it.
# Judged on the raw ratio so that re-fitting the calibration does not move the omission rule.
MIN_PHONE_FRAMES = 3
OMITTED_SENONE_RATIO = -40.0


def looks_omitted(word: SpokenWord) -> bool:
    squeezed = all(p.span.frames <= MIN_PHONE_FRAMES for p in word.phones)
    return squeezed and float(np.mean([p.senone_ratio for p in word.phones])) < OMITTED_SENONE_RATIO


def phone_score(phone: PhoneEvidence) -> float:
    b0, b1, b2 = calibration.PHONE
    z = b0 + b1 * min(phone.loop_ratio, 0.0) + b2 * phone.senone_ratio
    return 100.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


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


def word_score(phone_scores: list[float]) -> float:
    """Mean and weakest phone weigh alike: examiners mark a word down for one wrong sound, and on the
    development data the weakest phone tracks their word scores better than the mean does."""
    return clamp((float(np.mean(phone_scores)) + min(phone_scores)) / 2)


# Share of phones cut off at each end before the sentence GOP is averaged: a few mis-segmented phones
# (a swallowed final stop, a breath aligned into a word) otherwise dominate a short sentence.
GOP_TRIM = 0.1


def sentence_gop(words: list[SpokenWord]) -> float | None:
    """Winsorised mean of the phones' GOP against the free phone loop (``loop_ratio``) over the words said.

    Unclipped on purpose: phones that fit the reference better than the loop are evidence of a good reading
    too, and clipping at 0 (as the phone model does) threw that away and weakened the sentence score."""
    ratios = np.array([p.loop_ratio for w in words for p in w.phones])
    if ratios.size == 0:
        return None
    low, high = np.quantile(ratios, [GOP_TRIM, 1 - GOP_TRIM])
    return float(np.clip(ratios, low, high).mean())


def accuracy(gop: float | None, said: int, substituted: int) -> float:
    """How well the words that were said were pronounced: the sentence GOP on the 0-100 scale, with a word
    said in place of a reference word counted as 0. Left-out words are the completeness score's business,
    so they do not also pull accuracy down."""
    if gop is None or said == 0:
        return 0.0
    a0, a1 = calibration.ACCURACY
    return clamp(clamp(a0 + a1 * gop) * said / (said + substituted))


def fluency(d: Delivery) -> float:
    f0, f1, f2 = calibration.FLUENCY
    return clamp(f0 + f1 * d.pause_share + f2 * d.long_pauses_per_word)


def overall(accuracy_score: float, fluency_score: float, completeness_score: float) -> float:
    o1, o2 = calibration.OVERALL
    return clamp((o1 * accuracy_score + o2 * fluency_score) * completeness_score / 100)
