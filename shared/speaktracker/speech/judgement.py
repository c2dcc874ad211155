"""The learned scorer's verdict on the words that were said (domain: numpy, no engines).

The aligner decides which reference words were said; the phone recogniser's posteriors over those words go
through the stacked scorer. A word the scorer gives almost nothing was not really said (another word or
another sentence stood there): it gets no credit and counts against completeness, like a word left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import FloatArray
from .phone_evidence import LONG_PAUSE_SECONDS, PHONE_FEATURES, PhoneScoring, phone_scoring, timing
from .phonemes import PHONES, ipa
from .result import SoundedLike
from .scorer import StackedScorer

# A word scored below this (0-10, calibrated like the examiners' word accuracy) was not said: examiners give
# 0-2 to a word that is unrecognisable or absent.
NOT_SAID_BELOW = 2.0
# Another sentence read in place of the reference: the aligner still finds some of its words (any speech
# fits a word or two), so the recogniser judges the whole. A word whose phones' mean log posterior against
# every substitution and deletion (``gop_posterior``) is below POOR_WORD_GOP is poorly supported; when at
# least OTHER_SENTENCE_SHARE of the words are, the recording is another sentence, and only words it clearly
# supports (mean above CLEAR_WORD_GOP) are credited. Words the aligner did not find count as poorly
# supported. In the 411 train utterances the share reaches 0.6 in 5, all of which examiners scored 3-5 of
# 10; espeak-ng readings of other sentences reach 0.8-1.0.
POOR_WORD_GOP = -4.0
OTHER_SENTENCE_SHARE = 0.6
CLEAR_WORD_GOP = -2.0
# Phones scored below this (0-100) are mispronounced and get their n-best "sounded like".
WEAK_PHONE_BELOW = 60.0
SOUNDED_LIKE = 3
# A phone the recogniser clearly heard as another one (that one at least this likely) carries its n-best
# "sounded like" whatever its score. Its score is left to the scorer: the examiners it learned from accept
# most such phones (capping them at 50 took the dev test split's phone PCC from 0.43 to 0.27-0.34, however
# strict the threshold; the phones capped had examiners' scores of 1.8 of 2 on average).
HEARD_AS_OTHER = 0.9
# Between two words of one phrase a pause this long is unexpected; where the sentence has a comma, a gap
# shorter than MISSING_BREAK_SECONDS means the reader ran on.
MISSING_BREAK_SECONDS = 0.1


@dataclass(frozen=True)
class WordVerdict:
    score: float  # 0-100
    phone_scores: list[float]  # 0-100
    sounded_like: list[list[SoundedLike]]
    said: bool
    break_before: str | None


@dataclass(frozen=True)
class Verdict:
    words: dict[int, WordVerdict]  # reference word index -> verdict (said words only)
    sentence: dict[str, float]  # accuracy, fluency, prosodic, total on 0-100, from the said words


def judge(
    logp: FloatArray,
    frame_seconds: float,
    said: dict[int, tuple[str, ...]],
    phrase_ends: dict[int, bool],
    scorer: StackedScorer,
    pitch_range: float | None,
    reference_words: int,
) -> Verdict:
    """``said``: reference word index -> its phones, for the words the aligner found (of
    ``reference_words``); ``phrase_ends``: whether the word before each index ends a phrase (a comma follows
    it); ``pitch_range`` in semitones."""
    order = sorted(said)
    if not order or len(logp) == 0:
        return Verdict({}, {})
    scoring = phone_scoring(logp, [said[i] for i in order], frame_seconds)
    scores = scorer.score(scoring, pitch_range)
    seq = [PHONES.index(p) for i in order for p in said[i]]
    breaks = _breaks(scoring, order, phrase_ends)
    support = _word_support(scoring, len(order))
    # words the aligner did not find at all are unsupported too
    unsupported = int(np.sum(support < POOR_WORD_GOP)) + reference_words - len(order)
    other_sentence = unsupported / reference_words >= OTHER_SENTENCE_SHARE
    words = {}
    for k, i in enumerate(order):
        mine = np.nonzero(scoring.word_of_phone == k)[0]
        phone_scores = [round(50.0 * float(scores.phones[p]), 1) for p in mine]
        words[i] = WordVerdict(
            score=round(float(10.0 * scores.words[k]), 1),
            phone_scores=phone_scores,
            sounded_like=[
                _sounded_like(scoring, p) if s < WEAK_PHONE_BELOW or _heard_as_other(scoring, p, seq[p]) else []
                for p, s in zip(mine, phone_scores)
            ],
            said=bool(scores.words[k] >= NOT_SAID_BELOW and (not other_sentence or support[k] >= CLEAR_WORD_GOP)),
            break_before=breaks.get(i),
        )
    return Verdict(words, {k: round(10.0 * v, 1) for k, v in scores.sentence.items()})


def _heard_as_other(scoring: PhoneScoring, p: int, canonical: int) -> bool:
    heard = scoring.alternatives[p, : len(PHONES)]
    return float(np.delete(heard, canonical).max()) >= HEARD_AS_OTHER


def _word_support(scoring: PhoneScoring, n_words: int) -> FloatArray:
    gop = scoring.features[:, PHONE_FEATURES.index("gop_posterior")]
    return np.array([gop[scoring.word_of_phone == k].mean() for k in range(n_words)])


def _sounded_like(scoring: PhoneScoring, p: int) -> list[SoundedLike]:
    phones = scoring.alternatives[p, : len(PHONES)]
    best = np.argsort(-phones)[:SOUNDED_LIKE]
    return [
        SoundedLike(phoneme=PHONES[k], ipa=ipa(PHONES[k]), probability=round(100.0 * float(phones[k]), 1))
        for k in best
        if phones[k] >= 0.01
    ]


def _breaks(scoring: PhoneScoring, order: list[int], phrase_ends: dict[int, bool]) -> dict[int, str]:
    out = {}
    gaps = timing(scoring).gaps
    for (previous, word), gap in zip(zip(order, order[1:]), gaps):
        if word != previous + 1:
            continue  # a word left out between them: the gap is not a pause between neighbours
        if phrase_ends.get(previous) and gap < MISSING_BREAK_SECONDS:
            out[word] = "missing_break"
        elif not phrase_ends.get(previous) and gap >= LONG_PAUSE_SECONDS:
            out[word] = "unexpected_break"
    return out
