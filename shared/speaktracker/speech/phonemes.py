"""ARPAbet (the acoustic model's phone set) and IPA (what learners see), both ways."""

from __future__ import annotations

import unicodedata

ARPABET_TO_IPA = {
    "AA": "ɑ",
    "AE": "æ",
    "AH": "ʌ",
    "AO": "ɔ",
    "AW": "aʊ",
    "AY": "aɪ",
    "B": "b",
    "CH": "tʃ",
    "D": "d",
    "DH": "ð",
    "EH": "ɛ",
    "ER": "ɝ",
    "EY": "eɪ",
    "F": "f",
    "G": "ɡ",
    "HH": "h",
    "IH": "ɪ",
    "IY": "i",
    "JH": "dʒ",
    "K": "k",
    "L": "l",
    "M": "m",
    "N": "n",
    "NG": "ŋ",
    "OW": "oʊ",
    "OY": "ɔɪ",
    "P": "p",
    "R": "ɹ",
    "S": "s",
    "SH": "ʃ",
    "T": "t",
    "TH": "θ",
    "UH": "ʊ",
    "UW": "u",
    "V": "v",
    "W": "w",
    "Y": "j",
    "Z": "z",
    "ZH": "ʒ",
}
PHONES = tuple(ARPABET_TO_IPA)
VOWELS = frozenset({"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"})

# espeak-ng's IPA (British or American voices) to ARPAbet; longest symbols are matched first.
_IPA_TO_ARPABET = {
    "aɪ": "AY",
    "aʊ": "AW",
    "eɪ": "EY",
    "oʊ": "OW",
    "əʊ": "OW",
    "ɔɪ": "OY",
    "tʃ": "CH",
    "dʒ": "JH",
    "ɜː": "ER",
    "ɜ": "ER",
    "ɚ": "ER",
    "ɝ": "ER",
    "ɑː": "AA",
    "ɑ": "AA",
    "ɒ": "AA",
    "ɔː": "AO",
    "ɔ": "AO",
    "æ": "AE",
    "a": "AE",
    "ʌ": "AH",
    "ə": "AH",
    "ɐ": "AH",
    "ɛ": "EH",
    "e": "EH",
    "ɪ": "IH",
    "ᵻ": "IH",
    "iː": "IY",
    "i": "IY",
    "ʊ": "UH",
    "uː": "UW",
    "u": "UW",
    "o": "OW",
    "b": "B",
    "d": "D",
    "f": "F",
    "ɡ": "G",
    "g": "G",
    "h": "HH",
    "k": "K",
    "l": "L",
    "ɫ": "L",
    "m": "M",
    "n": "N",
    "p": "P",
    "s": "S",
    "t": "T",
    "ɾ": "T",
    "ʔ": "T",
    "v": "V",
    "w": "W",
    "z": "Z",
    "j": "Y",
    "ŋ": "NG",
    "θ": "TH",
    "ð": "DH",
    "ʃ": "SH",
    "ʒ": "ZH",
    "ɹ": "R",
    "r": "R",
    "x": "HH",
    "ç": "HH",
}
_LONGEST = max(len(k) for k in _IPA_TO_ARPABET)


def ipa(phone: str) -> str:
    return ARPABET_TO_IPA.get(phone, phone.lower())


def arpabet_from_ipa(text: str) -> list[str]:
    """Phones of an espeak-ng ``--ipa`` transcription; stress, length-less variants and ties are folded."""
    cleaned = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    cleaned = cleaned.replace("ˈ", "").replace("ˌ", "").replace("\u200d", "").replace("‍", "")
    phones: list[str] = []
    i = 0
    while i < len(cleaned):
        for size in range(_LONGEST, 0, -1):
            symbol = cleaned[i : i + size]
            if symbol in _IPA_TO_ARPABET:
                phones.append(_IPA_TO_ARPABET[symbol])
                i += size
                break
        else:
            i += 1  # spaces, length marks on their own, symbols with no English counterpart
    return phones
