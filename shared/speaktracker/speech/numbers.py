"""Numbers as a speaker reads them: 23 -> twenty three, 1990 -> nineteen ninety, 3rd -> third."""

from __future__ import annotations

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = [(10**9, "billion"), (10**6, "million"), (1000, "thousand")]
_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def cardinal(n: int) -> list[str]:
    if n < 0:
        return ["minus", *cardinal(-n)]
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        tens, ones = divmod(n, 10)
        return [_TENS[tens]] + ([_ONES[ones]] if ones else [])
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return [_ONES[hundreds], "hundred"] + (cardinal(rest) if rest else [])
    for value, name in _SCALES:
        if n >= value:
            head, rest = divmod(n, value)
            return [*cardinal(head), name] + (cardinal(rest) if rest else [])
    raise ValueError(n)


def year(n: int) -> list[str]:
    """1990 -> nineteen ninety, 2024 -> twenty twenty four, 1905 -> nineteen oh five; 2000-2009 as cardinals."""
    if not 1100 <= n <= 2099 or 2000 <= n <= 2009 or n % 1000 == 0:
        return cardinal(n)
    head, tail = divmod(n, 100)
    if tail == 0:
        return [*cardinal(head), "hundred"]
    return [*cardinal(head), *(["oh"] if tail < 10 else []), *cardinal(tail)]


def ordinal(n: int) -> list[str]:
    words = cardinal(n)
    last = words[-1]
    if last in _ORDINAL_WORDS:
        words[-1] = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        words[-1] = last[:-1] + "ieth"
    else:
        words[-1] = last + "th"
    return words


def decimal(text: str) -> list[str]:
    whole, _, fraction = text.partition(".")
    return [*cardinal(int(whole or "0")), "point", *(_ONES[int(d)] for d in fraction)]
