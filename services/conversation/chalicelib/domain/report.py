"""The end report, computed from what was measured in the turns (pronunciation scored from each turn's audio,
corrections and phrasing from each turn's feedback, the words the learner used). Rules only.

Sub-scores are 0-100; a sub-score with nothing to measure (no spoken turn for accuracy) is null, not a guess.
The CEFR band is labelled an estimate: a few turns of role-play cannot certify a level.
"""

from __future__ import annotations

from statistics import mean
from typing import Any

from .conversation import Turn, goal_progress
from .grammar import BASIC_WORDS
from .scenarios import Scenario, words_of

_CEFR = ((85, "C1"), (72, "B2"), (58, "B1"), (42, "A2"), (0, "A1"))
_FOCUS = {
    "accuracy": ("발음 정확도: 약한 소리를 천천히 또렷하게 연습해 보세요.",
                 "Pronunciation accuracy: practise your weakest sounds slowly and clearly."),
    "fluency": ("유창성: 한 번에 한 문장 이상, 끊지 않고 말해 보세요.",
                "Fluency: answer in full sentences without long pauses."),
    "grammar": ("문법: 아래 고친 문장을 소리 내어 따라 읽어 보세요.",
                "Grammar: read the corrected sentences below aloud."),
    "vocabulary": ("어휘: 시나리오의 핵심 표현을 새로 써 보세요.",
                   "Vocabulary: try new words from the scenario instead of the most common ones."),
}


def end_report(scenario: Scenario, turns: list[Turn], ended_by: str) -> dict[str, Any]:
    spoken = [t for t in turns if t.index > 0 and t.heard_text]
    texts = [t.heard_text for t in spoken]
    scores = {"accuracy": _accuracy(spoken), "fluency": _fluency(spoken), "grammar": _grammar(spoken),
              "vocabulary": _vocabulary(texts)}
    progress = goal_progress(scenario, texts)
    measured = {k: v for k, v in scores.items() if v is not None}
    weakest = min(measured, key=measured.get) if measured else "fluency"
    focus_ko, focus_en = _FOCUS[weakest]
    sound = _weakest_sound(spoken)
    if weakest == "accuracy" and sound:
        focus_ko, focus_en = f"{focus_ko} (특히 /{sound}/)", f"{focus_en} (especially /{sound}/)"
    overall = round(mean(measured.values()), 1) if measured else None
    return {
        "turns": len(spoken), "endedBy": ended_by,
        "scores": {**scores, "overall": overall},
        "rewrittenSentences": _rewritten(spoken),
        "newWords": _new_words(spoken),
        "goals": [{"goalId": g.goal_id, "en": g.en, "ko": g.ko, "met": progress.met.get(g.goal_id, False)}
                  for g in scenario.goals],
        "success": progress.all_met(),
        "successCondition": {"en": scenario.success.en, "ko": scenario.success.ko},
        "nextFocus": {"area": weakest, "ko": focus_ko, "en": focus_en},
        "cefr": {"band": _cefr(overall, texts), "isEstimate": True,
                 "note": "추정치예요: 짧은 대화로는 수준을 확정할 수 없어요. / An estimate from a short role-play."},
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


def _grammar(turns: list[Turn]) -> float | None:
    if not turns:
        return None
    corrections = sum(len((t.feedback or {}).get("corrections", [])) for t in turns)
    return round(max(0.0, 100.0 - 100.0 * corrections / (2 * len(turns))), 1)


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
            rows.append({"turn": turn.index, "original": turn.heard_text,
                         "better": turn.heard_text.replace(c["original"], c["corrected"], 1)
                         if c["original"] in turn.heard_text else c["corrected"],
                         "explanationKo": c["explanationKo"]})
            break
    for turn in turns:
        better = (turn.feedback or {}).get("betterPhrasing")
        if better and all(r["turn"] != turn.index for r in rows):
            rows.append({"turn": turn.index, "original": turn.heard_text, "better": better,
                         "explanationKo": "더 자연스럽고 완전한 문장으로 말해 보세요."})
    return sorted(rows[:5], key=lambda r: r["turn"])


def _new_words(turns: list[Turn]) -> list[str]:
    seen: list[str] = []
    for turn in turns:
        for word in (turn.feedback or {}).get("newWords", []):
            if word not in seen:
                seen.append(word)
    return seen[:20]


def _weakest_sound(turns: list[Turn]) -> str | None:
    sounds: dict[str, list[float]] = {}
    for turn in turns:
        for s in (_pronunciation(turn) or {}).get("weakestSounds", []):
            sounds.setdefault(s["phoneme"], []).append(s["score"])
    return min(sounds, key=lambda p: mean(sounds[p])) if sounds else None


def _cefr(overall: float | None, texts: list[str]) -> str:
    if overall is None:
        return "A1"
    per_turn = mean(len(words_of(t)) for t in texts) if texts else 0
    score = overall if per_turn >= 6 else min(overall, 57)  # short answers cap the estimate below B1
    return next(band for floor, band in _CEFR if score >= floor)
