"""The end report, computed from what was measured in the turns (pronunciation scored from each turn's audio,
corrections and phrasing from each turn's feedback, the words the learner used). Rules only.

Sub-scores are 0-100; a sub-score with nothing to measure (no spoken turn for accuracy) is null, not a guess.
The CEFR band is labelled an estimate: a few turns of role-play cannot certify a level. It is bounded by the
evidence (total words, turns, mean sentence length) and never above what the sub-scores support. Grammar
from a few words is shrunk toward a neutral 50: no corrections in ten words is not a grammar of 100.
"""

from __future__ import annotations

import re
from statistics import mean
from typing import Any

from .conversation import Turn, goal_progress
from .grammar import BASIC_WORDS
from .scenarios import Scenario, words_of
from .sounds import sound_tip

_CEFR = ((85, "C1"), (72, "B2"), (58, "B1"), (42, "A2"), (0, "A1"))
_BANDS = ("A1", "A2", "B1", "B2", "C1")
# The highest band the evidence can show: (band, at least this many words, turns, words per sentence).
_EVIDENCE = (("C1", 150, 6, 12.0), ("B2", 80, 4, 9.0), ("B1", 40, 3, 6.0), ("A2", 15, 2, 4.0))
GRAMMAR_FULL_EVIDENCE = 40  # words; below this the grammar score is pulled toward 50
_NEUTRAL = 50.0
_FOCUS = {
    "accuracy": (
        "발음 정확도: 약한 소리를 천천히 또렷하게 연습해 보세요.",
        "Pronunciation accuracy: practise your weakest sounds slowly and clearly.",
    ),
    "fluency": (
        "유창성: 한 번에 한 문장 이상, 끊지 않고 말해 보세요.",
        "Fluency: answer in full sentences without long pauses.",
    ),
    "grammar": (
        "문법: 아래 고친 문장을 소리 내어 따라 읽어 보세요.",
        "Grammar: read the corrected sentences below aloud.",
    ),
    "vocabulary": (
        "어휘: 시나리오의 핵심 표현을 새로 써 보세요.",
        "Vocabulary: try new words from the scenario instead of the most common ones.",
    ),
}


def end_report(scenario: Scenario, turns: list[Turn], ended_by: str) -> dict[str, Any]:
    spoken = [t for t in turns if t.index > 0 and t.heard_text]
    texts = [t.heard_text for t in spoken]
    words = sum(len(words_of(t)) for t in texts)
    scores = {
        "accuracy": _accuracy(spoken),
        "fluency": _fluency(spoken),
        "grammar": _grammar(spoken, words),
        "vocabulary": _vocabulary(texts),
    }
    progress = goal_progress(scenario, texts)
    measured = {k: v for k, v in scores.items() if v is not None}
    weakest = min(measured, key=lambda k: measured[k]) if measured else "fluency"
    focus_ko, focus_en = _FOCUS[weakest]
    sound = _weakest_sound(spoken)
    if weakest == "accuracy" and sound:
        tip = sound_tip(*sound)
        example_ko = f" ({tip.example})" if tip.example else ""
        example_en = f" as in '{tip.example}'" if tip.example else ""
        focus_ko = f"{focus_ko} 특히 /{tip.ipa}/{example_ko} 소리: {tip.ko}"
        focus_en = f"{focus_en} Especially /{tip.ipa}/{example_en}: {tip.en}"
    overall = round(mean(measured.values()), 1) if measured else None
    sentence = _mean_sentence_words(texts)
    return {
        "turns": len(spoken),
        "endedBy": ended_by,
        "scores": {**scores, "overall": overall},
        "rewrittenSentences": _rewritten(spoken),
        "newWords": _new_words(spoken),
        "goals": [
            {"goalId": g.goal_id, "en": g.en, "ko": g.ko, "met": progress.met.get(g.goal_id, False)}
            for g in scenario.goals
        ],
        "success": progress.all_met(),
        "successCondition": {"en": scenario.success.en, "ko": scenario.success.ko},
        "nextStep": _next_step(scenario, progress.all_met()),
        "nextFocus": {"area": weakest, "ko": focus_ko, "en": focus_en},
        "cefr": {
            "band": _cefr(measured, words, len(spoken), sentence),
            "isEstimate": True,
            "noteKo": "추정치예요: 짧은 대화로는 수준을 확정할 수 없어요.",
            "noteEn": "An estimate from a short role-play, not a certified level.",
            "evidence": {"words": words, "turns": len(spoken), "meanSentenceWords": sentence},
        },
    }


def _pronunciation(turn: Turn) -> dict[str, Any] | None:
    return (turn.feedback or {}).get("pronunciation")


def _accuracy(turns: list[Turn]) -> float | None:
    values = [p["accuracyScore"] for t in turns if (p := _pronunciation(t))]
    return round(mean(values), 1) if values else None


def _fluency(turns: list[Turn]) -> float | None:
    """Measured fluency where audio was scored, blended with how much the learner said per turn
    (answers of ten words or more count as full)."""
    if not turns:
        return None
    length = mean(min(100.0, 10.0 * t.words) for t in turns)
    measured = [p["fluencyScore"] for t in turns if (p := _pronunciation(t))]
    return round((mean(measured) + length) / 2 if measured else length, 1)


def _grammar(turns: list[Turn], words: int) -> float | None:
    """Falls with the corrections per turn; with fewer than ``GRAMMAR_FULL_EVIDENCE`` words the score is
    pulled toward a neutral 50 in proportion to how little was said."""
    if not turns or not words:
        return None
    corrections = sum(len((t.feedback or {}).get("corrections", [])) for t in turns)
    raw = max(0.0, 100.0 - 100.0 * corrections / (2 * len(turns)))
    confidence = min(1.0, words / GRAMMAR_FULL_EVIDENCE)
    return round(_NEUTRAL + (raw - _NEUTRAL) * confidence, 1)


def _vocabulary(texts: list[str]) -> float | None:
    words = [w for t in texts for w in words_of(t)]
    if not words:
        return None
    beyond = {w for w in words if w not in BASIC_WORDS and len(w) > 2}
    variety = len(set(words)) / len(words)
    return round(min(100.0, 30.0 + 5.0 * len(beyond) + 30.0 * variety), 1)


def _rewritten(turns: list[Turn]) -> list[dict[str, Any]]:
    """Up to five of the learner's sentences said better, corrected ones first."""
    rows: list[dict[str, Any]] = []
    for turn in turns:
        feedback = turn.feedback or {}
        for c in feedback.get("corrections", []):
            rows.append(
                {
                    "turn": turn.index,
                    "original": turn.heard_text,
                    "better": turn.heard_text.replace(c["original"], c["corrected"], 1)
                    if c["original"] in turn.heard_text
                    else c["corrected"],
                    "explanationKo": c["explanationKo"],
                }
            )
            break
    for turn in turns:
        better = (turn.feedback or {}).get("betterPhrasing")
        if better and all(r["turn"] != turn.index for r in rows):
            rows.append(
                {
                    "turn": turn.index,
                    "original": turn.heard_text,
                    "better": better,
                    "explanationKo": "더 자연스럽고 완전한 문장으로 말해 보세요.",
                }
            )
    return sorted(rows[:5], key=lambda r: r["turn"])


def _new_words(turns: list[Turn]) -> list[str]:
    seen: list[str] = []
    for turn in turns:
        for word in (turn.feedback or {}).get("newWords", []):
            if word not in seen:
                seen.append(word)
    return seen[:20]


def _weakest_sound(turns: list[Turn]) -> tuple[str, str | None] | None:
    """The weakest sound over the turns: its ARPAbet phone (internal) and its IPA as the scorer gave it."""
    sounds: dict[str, list[float]] = {}
    ipa: dict[str, str] = {}
    for turn in turns:
        for s in (_pronunciation(turn) or {}).get("weakestSounds", []):
            sounds.setdefault(s["phoneme"], []).append(s["score"])
            if s.get("ipa"):
                ipa[s["phoneme"]] = s["ipa"]
    if not sounds:
        return None
    phone = min(sounds, key=lambda p: mean(sounds[p]))
    return phone, ipa.get(phone)


def _next_step(scenario: Scenario, success: bool) -> dict[str, str]:
    if success:
        return {
            "ko": f"성공 조건을 달성했어요: {scenario.success.ko}",
            "en": f"You reached the success condition: {scenario.success.en}",
        }
    return {
        "ko": f"다음에는 남은 목표까지 도전해 보세요. 아직 달성하지 못한 성공 조건: {scenario.success.ko}",
        "en": f"Next time, try the remaining goals. Success condition still to reach: {scenario.success.en}",
    }


def _mean_sentence_words(texts: list[str]) -> float:
    """Mean words per sentence; a turn without end punctuation counts as one sentence."""
    sentences = [words_of(s) for t in texts for s in re.split(r"[.!?]+", t)]
    sentences = [s for s in sentences if s]
    return round(mean(len(s) for s in sentences), 1) if sentences else 0.0


def _band(score: float) -> str:
    return next(band for floor, band in _CEFR if score >= floor)


def _cefr(measured: dict[str, float], words: int, turns: int, sentence: float) -> str:
    """The band of the overall score, at most one band above the weakest sub-score's and at most what the
    evidence can show: a two-turn chat of short sentences is A1 or A2 whatever its scores."""
    if not measured:
        return "A1"
    by_scores = _BANDS.index(_band(mean(measured.values())))
    by_weakest = _BANDS.index(_band(min(measured.values()))) + 1
    by_evidence = next(
        (_BANDS.index(band) for band, w, t, s in _EVIDENCE if words >= w and turns >= t and sentence >= s), 0
    )
    return _BANDS[min(by_scores, by_weakest, by_evidence)]
