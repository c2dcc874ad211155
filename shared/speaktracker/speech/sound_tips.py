"""How to fix a sound, in the terms Korean learners know (domain: no IO).

Korean has no /f v θ ð z r/ as English has them, one liquid for /r/ and /l/, no final /dʒ tʃ/ release and a
habit of adding ㅡ after a final consonant. A tip names the confusion when we know what the sound came out
as (``heard``), else how the sound itself is made.
"""

from __future__ import annotations

# (expected, heard) -> (Korean, English)
CONFUSIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("R", "L"): (
        "r을 l(ㄹ)처럼 발음했어요. r은 혀끝이 입천장에 닿지 않게 뒤로 말고 입술을 약간 둥글게 하세요.",
        "Your r sounded like l: curl the tongue back without touching the roof of the mouth.",
    ),
    ("L", "R"): (
        "l을 r처럼 발음했어요. l은 혀끝을 윗니 뒤 잇몸에 확실히 붙이세요.",
        "Your l sounded like r: press the tongue tip to the ridge behind the upper teeth.",
    ),
    ("F", "P"): (
        "f를 ㅍ(p)처럼 발음했어요. 윗니를 아랫입술에 살짝 대고 바람을 내보내세요.",
        "Your f sounded like p: rest the upper teeth on the lower lip and blow.",
    ),
    ("F", "HH"): (
        "f를 ㅎ처럼 발음했어요. 윗니를 아랫입술에 대고 바람을 내보내세요.",
        "Your f sounded like h: upper teeth on the lower lip.",
    ),
    ("V", "B"): (
        "v를 ㅂ(b)처럼 발음했어요. 윗니를 아랫입술에 대고 목을 울리며 소리 내세요.",
        "Your v sounded like b: upper teeth on the lower lip, with voice.",
    ),
    ("TH", "S"): (
        "th(θ)를 ㅅ(s)처럼 발음했어요. 혀끝을 윗니 사이로 살짝 내밀고 바람을 내보내세요.",
        "Your th sounded like s: put the tongue tip between the teeth.",
    ),
    ("TH", "T"): (
        "th(θ)를 ㄸ(t)처럼 발음했어요. 혀끝을 이 사이에 두고 바람을 내보내세요.",
        "Your th sounded like t: tongue between the teeth, let the air flow.",
    ),
    ("DH", "D"): (
        "th(ð)를 ㄷ(d)처럼 발음했어요. 혀끝을 이 사이에 두고 목을 울리세요.",
        "Your voiced th sounded like d: tongue between the teeth, with voice.",
    ),
    ("Z", "JH"): (
        "z를 ㅈ처럼 발음했어요. z는 혀를 떼지 말고 벌 소리처럼 '즈—' 하고 이어 내세요.",
        "Your z sounded like j: keep a steady buzz, no stop.",
    ),
    ("Z", "S"): ("z를 s처럼 발음했어요. 같은 혀 위치에서 목을 울려 주세요.", "Your z sounded like s: add voice."),
    ("JH", "Z"): (
        "j(dʒ)를 z처럼 발음했어요. 혀를 입천장에 붙였다가 떼며 '쥬' 하고 내세요.",
        "Your j sounded like z: start with the tongue against the roof of the mouth.",
    ),
    ("IH", "IY"): (
        "짧은 i(ɪ)를 긴 '이'로 발음했어요. 힘을 빼고 짧게 '이/에' 중간으로 내세요.",
        "Your short i sounded like ee: relax it, keep it short.",
    ),
    ("IY", "IH"): (
        "긴 ee(i)를 짧게 발음했어요. 입꼬리를 옆으로 당기고 길게 '이—' 하세요.",
        "Your ee was too short: spread the lips and hold it.",
    ),
    ("AE", "EH"): (
        "æ를 '에'처럼 발음했어요. 입을 더 크게 벌리고 '애'에 가깝게 내세요.",
        "Your a (as in cat) sounded like e: open the mouth wider.",
    ),
    ("UH", "UW"): (
        "짧은 u(ʊ)를 긴 '우'로 발음했어요. 힘을 빼고 짧게 내세요.",
        "Your short u (as in book) sounded like oo: relax it, keep it short.",
    ),
    ("B", "V"): ("b를 v처럼 발음했어요. 두 입술을 붙였다 떼세요.", "Your b sounded like v: close both lips."),
    ("P", "F"): ("p를 f처럼 발음했어요. 두 입술을 붙였다 터뜨리세요.", "Your p sounded like f: close both lips."),
    ("SH", "S"): ("sh(ʃ)를 s처럼 발음했어요. 입술을 내밀고 '쉬' 하세요.", "Your sh sounded like s: round the lips."),
    ("S", "SH"): (
        "s를 '쉬'처럼 발음했어요. 입술을 옆으로 하고 '스' 하세요.",
        "Your s sounded like sh: spread the lips.",
    ),
}
# Expected sound -> how it is made (when we do not know what it came out as).
SOUNDS: dict[str, tuple[str, str]] = {
    "R": ("r은 혀를 말고 입천장에 닿지 않게 하세요 (ㄹ과 달라요).", "r: curl the tongue back, no contact."),
    "L": ("l은 혀끝을 윗니 뒤 잇몸에 붙이세요.", "l: tongue tip on the ridge behind the upper teeth."),
    "F": ("f는 윗니를 아랫입술에 대고 바람을 내보내요 (ㅍ이 아니에요).", "f: upper teeth on the lower lip."),
    "V": ("v는 윗니를 아랫입술에 대고 목을 울려요 (ㅂ이 아니에요).", "v: upper teeth on the lower lip, voiced."),
    "TH": ("th(θ)는 혀끝을 이 사이에 두고 바람을 내보내요 (ㅅ이 아니에요).", "th: tongue between the teeth."),
    "DH": ("th(ð)는 혀끝을 이 사이에 두고 목을 울려요 (ㄷ이 아니에요).", "voiced th: tongue between the teeth."),
    "Z": ("z는 벌 소리처럼 목을 울리며 이어 내요 (ㅈ이 아니에요).", "z: a steady voiced buzz."),
    "ZH": ("zh(ʒ)는 '쥐'를 끊지 말고 이어 내요.", "zh (as in vision): a soft voiced sh."),
    "JH": ("j(dʒ)는 혀를 입천장에 붙였다 떼며 내요.", "j: start from a tongue stop."),
    "W": ("w는 입술을 동그랗게 모았다가 펴요.", "w: round the lips, then open."),
    "AE": ("æ는 입을 크게 벌리고 '애'에 가깝게 내요.", "a as in cat: open the mouth wide."),
    "IH": ("짧은 i(ɪ)는 힘을 빼고 짧게 내요.", "short i: relaxed and short."),
    "ER": ("er(ɝ)는 혀를 만 채로 '어'를 내요.", "er: say uh with the tongue curled."),
}
# A final consonant followed by an added vowel ("bookㅡ") is the commonest Korean habit: said when a stop or
# fricative that ends a word is weak.
FINAL_CONSONANT = (
    "끝 자음 뒤에 '으' 모음을 붙이지 마세요 (book은 '부크'가 아니에요).",
    "Do not add a vowel after the final consonant (book, not booku).",
)


def tip(expected: str, heard: str | None, word_final: bool) -> tuple[str, str] | None:
    if heard and (expected, heard) in CONFUSIONS:
        return CONFUSIONS[(expected, heard)]
    if expected in SOUNDS:
        return SOUNDS[expected]
    if word_final and expected in {"B", "D", "G", "P", "T", "K", "S", "CH", "SH"}:
        return FINAL_CONSONANT
    return None
