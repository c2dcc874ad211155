"""Short feedback in Korean and English naming the weakest words and sounds."""

from __future__ import annotations

from .result import Feedback, PhonemeAssessment, WordAssessment
from .sound_tips import tip

_MAX_NAMED = 3


def feedback(words: list[WordAssessment], overall: float) -> Feedback:
    missed = [w.text for w in words if w.error_type == "omission"][:_MAX_NAMED]
    weak = [w.text for w in words if w.error_type == "mispronunciation"][:_MAX_NAMED]
    extra = [w.text for w in words if w.error_type == "insertion"][:_MAX_NAMED]
    sounds = _weakest_sounds(words)
    ko, en = [_opening_ko(overall)], [_opening_en(overall)]
    if missed:
        ko.append(f"빠뜨린 단어: {_quoted(missed)}.")
        en.append(f"You left out {_quoted(missed)}.")
    if weak:
        ko.append(f"{_quoted(weak)} 발음을 다시 연습해 보세요.")
        en.append(f"Practise {_quoted(weak)} again.")
    if sounds:
        ko.append(f"특히 {_sounds(sounds)} 소리에 주의하세요.")
        en.append(f"Pay attention to the {_sounds(sounds)} sound{'s' if len(sounds) > 1 else ''}.")
    for tip_ko, tip_en in _tips(words):
        ko.append(tip_ko)
        en.append(tip_en)
    if extra:
        ko.append(f"문장에 없는 말이 들렸어요: {_quoted(extra)}.")
        en.append(f"We also heard words that are not in the sentence: {_quoted(extra)}.")
    return Feedback(ko=" ".join(ko), en=" ".join(en))


def _weakest_sounds(words: list[WordAssessment]) -> list[str]:
    scored = [p for w in words if w.error_type != "omission" for p in w.phonemes if p.start is not None]
    weak = sorted((p for p in scored if p.score < 60), key=lambda p: p.score)
    seen: list[str] = []
    for p in weak:
        if p.ipa not in seen:
            seen.append(p.ipa)
    return seen[:2]


def _tips(words: list[WordAssessment]) -> list[tuple[str, str]]:
    """How to fix the two weakest sounds (or sounds clearly heard as another), naming what they came out as
    when the recogniser knows."""
    weak: list[tuple[float, PhonemeAssessment, bool]] = []
    for w in words:
        if w.error_type == "omission":
            continue
        for k, p in enumerate(w.phonemes):
            if p.start is not None and (p.score < 60 or p.sounded_like):
                weak.append((p.score, p, k == len(w.phonemes) - 1))
    out: list[tuple[str, str]] = []
    for _, p, final in sorted(weak, key=lambda x: x[0]):
        heard = next((s.phoneme for s in p.sounded_like if s.phoneme != p.phoneme), None)
        found = tip(p.phoneme, heard, final)
        if found and found not in out:
            out.append(found)
        if len(out) == 2:
            break
    return out


def _quoted(items: list[str]) -> str:
    return ", ".join(f"'{i}'" for i in items)


def _sounds(ipa: list[str]) -> str:
    return ", ".join(f"/{s}/" for s in ipa)


def _opening_ko(overall: float) -> str:
    if overall >= 90:
        return "아주 잘했어요!"
    if overall >= 70:
        return "잘했어요. 조금만 더 다듬어 봐요."
    return "천천히 한 단어씩 다시 읽어 보세요."


def _opening_en(overall: float) -> str:
    if overall >= 90:
        return "Excellent!"
    if overall >= 70:
        return "Good job; a little more polish."
    return "Read it again slowly, one word at a time."
