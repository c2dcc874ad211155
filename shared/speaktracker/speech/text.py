"""The reference sentence as words to be spoken: case, punctuation, numbers and contractions.

Each spoken word remembers which written token it came from, so "23" is shown to the student as one word
even though it is said as "twenty three".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import numbers
from .errors import ReferenceTextError

MAX_WORDS = 60
_TOKEN = re.compile(r"[$]?\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th|%|s)?|[A-Za-z]+(?:['’][A-Za-z]+)*['’]?|&")
_SYMBOLS = {"&": ["and"], "%": ["percent"]}


@dataclass(frozen=True)
class ReferenceWord:
    written: str  # as in the sentence, e.g. "23" or "Don't"
    spoken: tuple[str, ...]  # lower-case words to say, e.g. ("twenty", "three") or ("don't",)
    phrase_ends: bool = False  # a comma, colon, semicolon or dash follows it inside the sentence: a reader pauses


# A dash counts only as punctuation (spaced hyphen, en or em dash): "well-known" is one phrase.
_PHRASE_BREAK = re.compile(r"\s*[,;:—–]\s*\S|\s+-\s+\S")


def reference_words(sentence: str) -> list[ReferenceWord]:
    words = [
        ReferenceWord(m.group(), tuple(_spoken(m.group())), bool(_PHRASE_BREAK.match(sentence, m.end())))
        for m in _TOKEN.finditer(sentence)
    ]
    if not words:
        raise ReferenceTextError("The sentence has no words to read.")
    if sum(len(w.spoken) for w in words) > MAX_WORDS:
        raise ReferenceTextError(f"The sentence is longer than {MAX_WORDS} words.")
    return words


def _spoken(token: str) -> list[str]:
    if token in _SYMBOLS:
        return _SYMBOLS[token]
    if token[0].isdigit() or token[0] == "$":
        return _number(token)
    # Keep contractions whole ("don't", "i'm"): the lexicon knows them, and they are said as one word.
    return [token.replace("’", "'").strip("'").lower()]


def _number(token: str) -> list[str]:
    currency = token.startswith("$")
    body = token.lstrip("$")
    suffix = re.sub(r"^[\d,.]+", "", body)
    digits = body[: len(body) - len(suffix)].rstrip(",.")
    if suffix in ("st", "nd", "rd", "th"):
        return numbers.ordinal(int(digits.replace(",", "")))
    if "." in digits:
        words = numbers.decimal(digits.replace(",", ""))
    elif "," not in digits and len(digits) == 4 and not currency and suffix != "%":
        words = numbers.year(int(digits))
    else:
        words = numbers.cardinal(int(digits.replace(",", "")))
    if suffix == "s":  # the 1990s -> nineteen nineties
        words[-1] = words[-1][:-1] + "ies" if words[-1].endswith("y") else words[-1] + "s"
    if suffix == "%":
        words.append("percent")
    if currency:
        words.append("dollar" if digits == "1" else "dollars")
    return words
