"""What a CTC phone recogniser says about each reference phone: the scorer's input (numpy only, no model).

From the frame log-posteriors of our phones (``PhonePosteriors``): a forced alignment of the reference
gives each phone its frames, the log posterior of the canonical phone there (LPP) and its ratio to the best
other phone (LPR); the alignment-free GOP compares the likelihood of the whole utterance under the reference
with the same reference with that phone replaced by each other phone or left out, which also says what the
phone sounded like instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from . import ctc
from .arrays import FloatArray, IntArray, Samples
from .phonemes import PHONES, VOWELS

GOP_CLIP = 30.0  # nats; beyond this a phone is simply right (or simply wrong)
_INDEX = {p: i for i, p in enumerate(PHONES)}
_IS_VOWEL = np.array([p in VOWELS for p in PHONES])


class PhonePosteriors(Protocol):
    frame_seconds: float

    def log_posteriors(self, samples: Samples) -> FloatArray:
        """(frames, len(PHONES) + 1) log-posteriors of PHONES and the CTC blank (last column)."""


@dataclass(frozen=True)
class PhoneScoring:
    """Per reference phone (in order, across words) and per word, what the recogniser found."""

    features: FloatArray  # (phones, len(PHONE_FEATURES))
    word_of_phone: IntArray  # (phones,) index of the word each phone belongs to
    spans: list[tuple[int, int]]  # frames of each phone at ``frame_seconds``
    alternatives: FloatArray  # (phones, len(PHONES) + 1) P(phone k said in its place); last column: nothing
    frame_seconds: float
    frames: int
    # The utterance as a whole: the phones the recogniser heard on its own against the reference (edit
    # distance per reference phone), and how far the reference's likelihood falls below the best path.
    phone_error_rate: float = 0.0
    reference_fit: float = 0.0
    # How sure the recogniser is of what it hears in speech frames (mean best phone posterior, and entropy):
    # an accented reading is heard less clearly throughout, not only in the phones marked down.
    confidence: float = 0.0
    entropy: float = 0.0


PHONE_FEATURES = (
    "lpp",
    "lpr",
    "peak",
    "log_frames",
    "gop_posterior",
    "gop_margin",
    "deletion_ratio",
    "substitution_margin",
    "neighbour_gop",
    "position_in_word",
    "word_phones",
    "is_vowel",
    "phone_id",
    # the whole utterance, for context: examiners judge a sound against the speaker's own reading
    "utterance_gop",
    "utterance_lpp",
    "utterance_poor_share",
    "previous_phone",
    "next_phone",
)
# A phone whose canonical log posterior among all substitutions and deletion is below this is poorly said.
POOR_GOP = -2.0


def phone_scoring(logp: FloatArray, words: list[tuple[str, ...]], frame_seconds: float) -> PhoneScoring:
    seq = [_INDEX[p] for w in words for p in w]
    word_of_phone = np.array([j for j, w in enumerate(words) for _ in w])
    repeat = 1
    while len(logp) * repeat < 2 * len(seq) + 1:  # CTC needs a frame per phone (and blanks between repeats)
        repeat *= 2
    if repeat > 1:
        logp = np.repeat(logp, repeat, axis=0)
    alpha, beta = ctc.forward_backward(logp, seq)
    spans = ctc.phone_spans(ctc.viterbi_path(logp, seq), len(seq))
    comp = ctc.competition(logp, seq, alpha, beta)
    alternatives = np.concatenate([comp.substituted, comp.deleted[:, None]], axis=1)
    posterior = np.exp(alternatives - np.logaddexp.reduce(alternatives, axis=1, keepdims=True))
    features = _features(logp, seq, word_of_phone, spans, comp)
    if repeat > 1:
        spans = [(s // repeat, max(s // repeat + 1, -(-e // repeat))) for s, e in spans]
    heard = _greedy(logp)
    per = _edit_distance(heard, seq) / len(seq)
    fit = (comp.canonical - float(logp.max(axis=1).sum())) / len(seq)
    confidence, entropy = _clarity(logp)
    return PhoneScoring(
        features,
        word_of_phone,
        spans,
        posterior,
        frame_seconds,
        len(logp) // repeat,
        per,
        max(fit, -GOP_CLIP),
        confidence,
        entropy,
    )


def _clarity(logp: FloatArray) -> tuple[float, float]:
    speech = np.exp(logp[:, -1]) < 0.5
    if not speech.any():
        return 0.0, 0.0
    phones = logp[speech, :-1]
    return float(np.exp(phones.max(axis=1)).mean()), float(-(np.exp(phones) * phones).sum(axis=1).mean())


def _greedy(logp: FloatArray) -> list[int]:
    """The phones the recogniser hears on its own: best column per frame, repeats merged, blanks dropped."""
    best = np.argmax(logp, axis=1)
    keep = np.concatenate(([True], best[1:] != best[:-1])) & (best != logp.shape[1] - 1)
    phones: list[int] = best[keep].tolist()
    return phones


def _edit_distance(a: list[int], b: list[int]) -> int:
    row = np.arange(len(b) + 1)
    for i, x in enumerate(a, 1):
        prev, row = row, np.empty_like(row)
        row[0] = i
        for j, y in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x != y))
    return int(row[-1])


def _features(
    logp: FloatArray, seq: list[int], word_of_phone: IntArray, spans: list[tuple[int, int]], comp: ctc.Competition
) -> FloatArray:
    n = len(seq)
    phones = logp[:, :-1]
    rows = []
    canonical = comp.canonical
    others = comp.substituted.copy()
    others[np.arange(n), seq] = ctc.NEG
    every = np.concatenate([comp.substituted, comp.deleted[:, None]], axis=1)
    gop_posterior = np.clip(canonical - np.logaddexp.reduce(every, axis=1), -GOP_CLIP, 0.0)
    best_other = np.maximum(others.max(axis=1), comp.deleted)
    gop_margin = np.clip(canonical - best_other, -GOP_CLIP, GOP_CLIP)
    deletion = np.clip(canonical - comp.deleted, -GOP_CLIP, GOP_CLIP)
    substitution = np.clip(canonical - others.max(axis=1), -GOP_CLIP, GOP_CLIP)
    for i, (c, (start, end)) in enumerate(zip(seq, spans)):
        own = phones[start:end, c]
        rival = np.delete(phones[start:end], c, axis=1).max(axis=1)
        in_word = np.nonzero(word_of_phone == word_of_phone[i])[0]
        position = 0.0 if i == in_word[0] else 2.0 if i == in_word[-1] else 1.0
        near = [j for j in (i - 1, i + 1) if 0 <= j < n]
        rows.append(
            [
                float(own.mean()),
                float((own - rival).mean()),
                float(own.max()),
                float(np.log(end - start)),
                gop_posterior[i],
                gop_margin[i],
                deletion[i],
                substitution[i],
                float(np.mean(gop_posterior[near])) if near else 0.0,
                position,
                float(len(in_word)),
                float(_IS_VOWEL[c]),
                float(c),
            ]
        )
    f = np.array(rows, dtype=np.float64)
    lpp, gop = f[:, 0], f[:, 4]
    context = np.tile([gop.mean(), lpp.mean(), float(np.mean(gop < POOR_GOP))], (n, 1))
    ids = np.array(seq, dtype=np.float64)
    neighbours = np.column_stack([np.concatenate([[-1.0], ids[:-1]]), np.concatenate([ids[1:], [-1.0]])])
    return np.column_stack([f, context, neighbours])


# Between words, a silence at least this long (in seconds) is a pause; from LONG_PAUSE on it breaks a phrase.
PAUSE_SECONDS = 0.3
LONG_PAUSE_SECONDS = 0.6


@dataclass(frozen=True)
class Timing:
    """How the words were delivered in time: word spans in seconds and the silences between them."""

    words: list[tuple[float, float]]
    gaps: list[float]  # between consecutive words
    speaking_seconds: float
    phones_per_second: float


def timing(scoring: PhoneScoring) -> Timing:
    spans = [(s * scoring.frame_seconds, e * scoring.frame_seconds) for s, e in scoring.spans]
    words: list[tuple[float, float]] = []
    for j in range(int(scoring.word_of_phone.max()) + 1):
        mine = [spans[i] for i in np.nonzero(scoring.word_of_phone == j)[0]]
        words.append((mine[0][0], mine[-1][1]))
    gaps = [max(0.0, b[0] - a[1]) for a, b in zip(words, words[1:])]
    span = words[-1][1] - words[0][0]
    paused = sum(g for g in gaps if g >= PAUSE_SECONDS)
    speaking = max(span - paused, scoring.frame_seconds)
    return Timing(words, gaps, speaking, len(spans) / speaking)


UTTERANCE_FEATURES = (
    "phones_per_second",
    "pause_share",
    "pauses_per_word",
    "long_pauses_per_word",
    "longest_pause",
    "mean_gap",
    "leading_silence",
    "words",
    "speech_share",
    "phone_error_rate",
    "reference_fit",
    "confidence",
    "entropy",
)


def utterance_features(scoring: PhoneScoring) -> FloatArray:
    t = timing(scoring)
    n_words = len(t.words)
    total = scoring.frames * scoring.frame_seconds
    span = t.words[-1][1] - t.words[0][0]
    pauses = [g for g in t.gaps if g >= PAUSE_SECONDS]
    return np.array(
        [
            t.phones_per_second,
            sum(pauses) / max(span, 1e-3),
            len(pauses) / n_words,
            sum(g >= LONG_PAUSE_SECONDS for g in t.gaps) / n_words,
            max(t.gaps, default=0.0),
            float(np.mean(t.gaps)) if t.gaps else 0.0,
            t.words[0][0],
            float(n_words),
            span / max(total, 1e-3),
            scoring.phone_error_rate,
            scoring.reference_fit,
            scoring.confidence,
            scoring.entropy,
        ]
    )
