"""The English sounds Korean learners find hardest, for the end report's next focus: each shown as IPA (what
learners see), with a word that has it and a short tip in Korean learners' terms. The acoustic model's ARPAbet
symbol (ER, TH) is internal and never shown."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SoundTip:
    ipa: str
    example: str
    ko: str
    en: str


TIPS: dict[str, SoundTip] = {
    "ER": SoundTip(
        "ɝ",
        "bird",
        "혀를 입천장에 닿지 않게 뒤로 말고 '어' 소리를 길게 내요 ('버드'가 아니에요).",
        "curl the tongue back without touching the roof of the mouth and hold the vowel.",
    ),
    "R": SoundTip(
        "ɹ",
        "right",
        "혀끝이 입천장에 닿지 않게 말고, 입술을 살짝 둥글게 해서 시작해요 (ㄹ과 달라요).",
        "round the lips and curl the tongue tip without touching the roof of the mouth.",
    ),
    "L": SoundTip(
        "l", "light", "혀끝을 윗니 뒤 잇몸에 꼭 붙이고 소리 내요.", "press the tongue tip behind the upper teeth."
    ),
    "F": SoundTip(
        "f",
        "coffee",
        "윗니를 아랫입술에 살짝 대고 바람을 내보내요 (ㅍ이 아니에요).",
        "touch the lower lip with the upper teeth and blow (not a p).",
    ),
    "V": SoundTip(
        "v",
        "very",
        "윗니를 아랫입술에 대고 목을 울리며 소리 내요 (ㅂ이 아니에요).",
        "upper teeth on the lower lip, with voice (not a b).",
    ),
    "TH": SoundTip(
        "θ",
        "think",
        "혀끝을 윗니와 아랫니 사이에 살짝 내밀고 바람만 내보내요 (ㅆ이 아니에요).",
        "put the tongue tip between the teeth and blow (not an s).",
    ),
    "DH": SoundTip(
        "ð",
        "this",
        "혀끝을 이 사이에 두고 목을 울리며 소리 내요 (ㄷ이 아니에요).",
        "tongue between the teeth, with voice (not a d).",
    ),
    "Z": SoundTip(
        "z", "zoo", "'ㅈ'이 아니라 벌 소리처럼 목을 울리는 '즈' 소리예요.", "a buzzing s with voice, not a j."
    ),
    "ZH": SoundTip("ʒ", "usually", "'쉬' 소리에 목을 울려서 내요.", "the sh sound with voice."),
    "SH": SoundTip("ʃ", "she", "입술을 앞으로 내밀고 '쉬' 하고 내요.", "push the lips forward for sh."),
    "JH": SoundTip("dʒ", "juice", "입술을 내밀고 '쥬'처럼 내요.", "push the lips forward, like j in juice."),
    "CH": SoundTip("tʃ", "cheese", "입술을 내밀고 '츄'처럼 짧게 내요.", "push the lips forward, a short ch."),
    "W": SoundTip(
        "w",
        "would",
        "입술을 동그랗게 모았다가 풀면서 시작해요 ('우드'가 아니에요).",
        "start with tightly rounded lips and open them.",
    ),
    "IH": SoundTip(
        "ɪ",
        "sit",
        "'이'보다 짧고 힘을 뺀 소리예요 (seat의 /i/와 달라요).",
        "shorter and more relaxed than the vowel in seat.",
    ),
    "IY": SoundTip("i", "seat", "입꼬리를 옆으로 당기고 '이-'를 길게 내요.", "smile and hold a long ee."),
    "AE": SoundTip(
        "æ",
        "cat",
        "'애'보다 입을 더 크게 벌리고 턱을 내려요 (bed의 /ɛ/와 달라요).",
        "open the jaw wider than for the vowel in bed.",
    ),
    "EH": SoundTip("ɛ", "bed", "'에'처럼 짧게, 입을 너무 크게 벌리지 않아요.", "a short e, jaw half open."),
    "AH": SoundTip("ʌ", "cup", "'어'를 짧고 힘 있게 내요.", "a short, relaxed uh."),
    "AA": SoundTip("ɑ", "hot", "입을 크게 벌리고 '아'를 내요.", "open wide for ah."),
    "AO": SoundTip("ɔ", "law", "입술을 둥글게 하고 '오'와 '아' 사이로 내요.", "rounded lips, between oh and ah."),
    "UH": SoundTip(
        "ʊ",
        "book",
        "'우'보다 짧고 힘을 뺀 소리예요 (food의 /u/와 달라요).",
        "shorter and more relaxed than the vowel in food.",
    ),
    "UW": SoundTip("u", "food", "입술을 동그랗게 모으고 '우-'를 길게 내요.", "round the lips and hold oo."),
    "OW": SoundTip("oʊ", "go", "'오'에서 '우'로 미끄러지듯 내요 ('고'가 아니라 '고우').", "glide from oh to oo."),
    "EY": SoundTip("eɪ", "day", "'에'에서 '이'로 미끄러지듯 내요 ('데'가 아니라 '데이').", "glide from e to ee."),
    "AY": SoundTip("aɪ", "time", "'아'에서 '이'로 미끄러지듯 내요.", "glide from ah to ee."),
    "AW": SoundTip("aʊ", "now", "'아'에서 '우'로 미끄러지듯 내요.", "glide from ah to oo."),
    "OY": SoundTip("ɔɪ", "boy", "'오'에서 '이'로 미끄러지듯 내요.", "glide from oh to ee."),
    "NG": SoundTip(
        "ŋ", "sing", "받침 'ㅇ'처럼 끝내고 뒤에 '그'를 붙이지 않아요.", "end like the ㅇ batchim, no g after."
    ),
    "P": SoundTip("p", "pen", "단어 끝에서도 입술을 닫았다 터뜨려요.", "close and release the lips."),
    "B": SoundTip("b", "bag", "목을 울리면서 입술을 터뜨려요 (ㅂ보다 울림이 있어요).", "release the lips with voice."),
    "T": SoundTip("t", "ten", "혀끝을 윗니 뒤 잇몸에 댔다 떼요.", "tongue tip on the ridge behind the teeth."),
    "D": SoundTip("d", "day", "혀끝을 잇몸에 대고 목을 울리며 떼요.", "tongue tip on the ridge, with voice."),
    "K": SoundTip("k", "cup", "혀 뒤쪽으로 막았다가 바람과 함께 터뜨려요.", "release from the back of the tongue."),
    "G": SoundTip("ɡ", "go", "혀 뒤쪽으로 막고 목을 울리며 터뜨려요.", "back of the tongue, with voice."),
    "S": SoundTip("s", "see", "혀끝을 잇몸 가까이 두고 바람을 내요 ('쉬'가 되지 않게).", "a clear s, not sh."),
    "HH": SoundTip("h", "hot", "목에서 바람만 가볍게 내요.", "just a light breath."),
    "M": SoundTip("m", "milk", "입술을 닫고 코로 소리 내요.", "lips closed, through the nose."),
    "N": SoundTip("n", "no", "혀끝을 잇몸에 대고 코로 소리 내요.", "tongue tip on the ridge, through the nose."),
    "Y": SoundTip("j", "yes", "'이'에서 빠르게 다음 모음으로 넘어가요.", "a quick ee gliding into the vowel."),
}


def sound_tip(phoneme: str, ipa: str | None = None) -> SoundTip:
    """The tip for an ARPAbet phone; a phone without one is still shown as IPA, never as its ARPAbet symbol."""
    found = TIPS.get(phoneme.upper())
    if found:
        return found
    return SoundTip(
        ipa or "?", "", "이 소리를 원어민 음성으로 듣고 천천히 따라 해 보세요.", "listen to it and repeat slowly."
    )
