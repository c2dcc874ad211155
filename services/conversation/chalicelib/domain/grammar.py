"""The local coach's rules: mistakes Korean learners of English often make, each with its fix and a short
Korean explanation. Rules only; the learner's words go in, corrections come out.

This is not a grammar checker: it knows a few dozen patterns (articles, third-person -s, past time with a
present verb, be + verb, -ing/-ed adjectives, prepositions that Korean leads learners to add or drop).
A turn it has no rule for gets no correction, never an invented one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .feedback import MAX_CORRECTIONS, Correction, TurnFeedback
from .scenarios import words_of


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    fix: str | Callable[[re.Match[str]], str]
    explanation_ko: str


def _r(pattern: str, fix: str | Callable[[re.Match[str]], str], explanation: str) -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE), fix, explanation)


_PAST = {
    "go": "went",
    "eat": "ate",
    "see": "saw",
    "have": "had",
    "do": "did",
    "buy": "bought",
    "meet": "met",
    "watch": "watched",
    "visit": "visited",
    "play": "played",
    "take": "took",
    "make": "made",
    "get": "got",
    "come": "came",
    "study": "studied",
    "work": "worked",
    "stay": "stayed",
    "drink": "drank",
}
_THIRD = {
    "go": "goes",
    "have": "has",
    "do": "does",
    "want": "wants",
    "like": "likes",
    "work": "works",
    "live": "lives",
    "need": "needs",
    "make": "makes",
    "say": "says",
    "know": "knows",
    "think": "thinks",
    "love": "loves",
    "study": "studies",
    "watch": "watches",
    "play": "plays",
    "take": "takes",
}
_JOBS = (
    "student",
    "teacher",
    "doctor",
    "nurse",
    "engineer",
    "designer",
    "developer",
    "programmer",
    "manager",
    "office worker",
    "worker",
    "lawyer",
    "chef",
    "writer",
    "freshman",
)
_FEELINGS = {
    "interesting": "interested",
    "boring": "bored",
    "exciting": "excited",
    "tiring": "tired",
    "confusing": "confused",
    "surprising": "surprised",
    "satisfying": "satisfied",
}
# "does she go", "let him go", "will it work": the base form is right after these.
_NOT_AFTER_AUXILIARY = "".join(
    f"(?<!{w} )"
    for w in (
        "do",
        "does",
        "did",
        "can",
        "will",
        "would",
        "should",
        "could",
        "must",
        "may",
        "might",
        "let",
        "make",
        "help",
        "to",
    )
)
_PAST_TIME = (
    r"(yesterday|last (?:night|week|weekend|month|year"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|\w+ ago)"
)

RULES: tuple[Rule, ...] = (
    _r(
        r"\b(i|you|we|they) (?:am|are) (agree|disagree)\b",
        lambda m: f"{m[1]} {m[2]}",
        "agree는 동사라서 am/are 없이 'I agree'라고 해요.",
    ),
    _r(
        _NOT_AFTER_AUXILIARY + r"\b(he|she|it|my \w+) (" + "|".join(_THIRD) + r")\b",
        lambda m: f"{m[1]} {_THIRD[m[2].lower()]}",
        "주어가 3인칭 단수(he/she/it)면 동사에 -s를 붙여요.",
    ),
    _r(
        r"\bi very (like|love|want|enjoy)\b",
        lambda m: f"I really {m[1]}",
        "very는 동사를 꾸밀 수 없어서 'really'나 'very much'를 써요.",
    ),
    _r(
        r"\b(i'm|i am|he's|she's|he is|she is) (" + "|".join(_JOBS) + r")\b",
        lambda m: f"{m[1]} a {m[2]}",
        "직업이나 신분 앞에는 관사 a/an을 붙여요.",
    ),
    _r(r"\b(discuss|explain) about\b", lambda m: m[1], "discuss/explain 뒤에는 about 없이 바로 목적어가 와요."),
    _r(r"\bexplain me\b", "explain to me", "explain은 'explain to me'처럼 to가 필요해요."),
    _r(r"\bgo to home\b", "go home", "home은 부사처럼 쓰여서 'go home'이라고 해요."),
    _r(r"\bmore (better|worse|bigger|smaller|easier|harder)\b", lambda m: m[1], "비교급에는 more를 또 붙이지 않아요."),
    _r(
        r"\b(i'm|i am|i was|we are|we're) (" + "|".join(_FEELINGS) + r")\b",
        lambda m: f"{m[1]} {_FEELINGS[m[2].lower()]}",
        "사람의 감정은 -ed 형용사(interested, bored)로 말해요.",
    ),
    _r(r"\bmarried with\b", "married to", "'~와 결혼했다'는 'married to'예요."),
    _r(
        r"\bsince (\w+) (years|months|weeks|days)\b",
        lambda m: f"for {m[1]} {m[2]}",
        "기간(3년 동안)은 since가 아니라 for로 말해요.",
    ),
    _r(
        r"\b" + _PAST_TIME + r",? (i|we|he|she|they) (" + "|".join(_PAST) + r")\b",
        lambda m: f"{m[1]} {m[2]} {_PAST[m[3].lower()]}",
        "과거 시점(yesterday, ago)에는 동사를 과거형으로 써요.",
    ),
    _r(
        r"\b(i|we|they) (" + "|".join(_PAST) + r") (.{0,30}?)\b" + _PAST_TIME + r"\b",
        lambda m: f"{m[1]} {_PAST[m[2].lower()]} {m[3]}{m[4]}",
        "과거 시점(yesterday, ago)에는 동사를 과거형으로 써요.",
    ),
    _r(
        r"\b(i|you|we|they) (?:am|are|is) (go|want|like|need|have|live|work)\b",
        lambda m: f"{m[1]} {m[2]}",
        "일반동사 앞에는 be동사를 쓰지 않아요 ('I go', 'I want').",
    ),
    _r(r"\ba ([aeio]\w+)\b", lambda m: f"an {m[1]}", "모음 소리로 시작하는 단어 앞에는 an을 써요."),
    _r(r"\bcan i ([a-z]+)s\b", lambda m: f"can I {m[1]}", "can 뒤에는 동사원형이 와요."),
    _r(r"\b(give me)\b", "could I have", "가게나 식당에서는 'Could I have ...?'가 더 정중해요."),
)

_POLITE = ((re.compile(r"^i want\b", re.I), "I'd like"), (re.compile(r"^give me\b", re.I), "Could I have"))

# The most common English words: using them is not learning a new word.
BASIC_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "always",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "back",
        "be",
        "because",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "can't",
        "come",
        "could",
        "day",
        "did",
        "do",
        "does",
        "don't",
        "down",
        "each",
        "even",
        "every",
        "first",
        "for",
        "from",
        "get",
        "go",
        "going",
        "good",
        "got",
        "great",
        "had",
        "has",
        "have",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "i'm",
        "if",
        "in",
        "into",
        "is",
        "it",
        "it's",
        "just",
        "know",
        "like",
        "little",
        "look",
        "lot",
        "made",
        "make",
        "many",
        "me",
        "more",
        "most",
        "much",
        "my",
        "new",
        "no",
        "not",
        "now",
        "of",
        "ok",
        "okay",
        "on",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "people",
        "really",
        "right",
        "said",
        "say",
        "see",
        "she",
        "so",
        "some",
        "something",
        "than",
        "thank",
        "thanks",
        "that",
        "that's",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "thing",
        "think",
        "this",
        "time",
        "to",
        "too",
        "two",
        "up",
        "us",
        "very",
        "want",
        "was",
        "way",
        "we",
        "well",
        "went",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "yeah",
        "yes",
        "you",
        "your",
        "i'd",
        "i'll",
        "it'll",
        "we're",
        "you're",
        "they're",
        "isn't",
        "wasn't",
        "didn't",
        "doesn't",
        "hi",
        "hello",
        "sure",
        "maybe",
        "oh",
        "um",
        "uh",
        "sorry",
        "please",
        "let",
        "let's",
        "go",
    ]
)


def coach(
    text: str, earlier_learner_texts: list[str], known: Callable[[str], bool], familiar: frozenset[str] = frozenset()
) -> TurnFeedback:
    """``known`` says whether a word is a real English word (in the pronunciation dictionary); ``familiar``
    words (the partner's own, such as a dish's name) are never unclear."""
    corrections = corrections_for(text)
    better = better_phrasing(text, corrections)
    return TurnFeedback(
        corrections=corrections,
        better_phrasing=better,
        new_words=new_words(text, earlier_learner_texts, known),
        unclear_words=unclear_words(text, known, familiar),
    )


def unclear_words(text: str, known: Callable[[str], bool], familiar: frozenset[str] = frozenset()) -> list[str]:
    """Words the dictionary does not know and the partner never said: probably misheard, so the turn's
    feedback cannot vouch for them."""
    seen: list[str] = []
    for word in words_of(text):
        if word.isalpha() and word not in familiar and word not in seen and not known(word):
            seen.append(word)
    return seen[:8]


def corrections_for(text: str) -> list[Correction]:
    found: list[Correction] = []
    for rule in RULES:
        match = rule.pattern.search(text)
        if match is None:
            continue
        fixed = rule.fix(match) if callable(rule.fix) else rule.fix
        original = match.group(0)
        if original.lower() == fixed.lower():
            continue
        found.append(
            Correction(original=original, corrected=_case_like(original, fixed), explanation_ko=rule.explanation_ko)
        )
        if len(found) == MAX_CORRECTIONS:
            break
    return found


def better_phrasing(text: str, corrections: list[Correction]) -> str | None:
    fixed = text
    for correction in corrections:
        fixed = fixed.replace(correction.original, correction.corrected, 1)
    for pattern, polite in _POLITE:
        fixed = pattern.sub(polite, fixed, count=1)
    fixed = fixed.strip()
    if fixed:
        fixed = fixed[0].upper() + fixed[1:]
        fixed = re.sub(r"\bi\b", "I", fixed)
        if fixed[-1] not in ".?!":
            fixed += "?" if _looks_like_question(fixed) else "."
    return fixed if fixed and _differs(fixed, text) else None


def new_words(text: str, earlier: list[str], known: Callable[[str], bool]) -> list[str]:
    """Real English words beyond the most common ones that the learner used here for the first time in this
    conversation. A word the dictionary does not know (a misrecognition such as "kerpam" for "a cup of", a
    made-up word) is never praised as vocabulary."""
    before = {w for t in earlier for w in words_of(t)}
    seen: list[str] = []
    for word in words_of(text):
        if len(word) > 2 and word not in BASIC_WORDS and word not in before and word not in seen and known(word):
            seen.append(word)
    return seen[:8]


def words_the_learner_used(
    candidates: list[str], text: str, known: Callable[[str], bool]
) -> tuple[list[str], list[str]]:
    """Another coach's new words, checked as ``new_words`` checks its own: a word or phrase is kept only if the
    learner said it in this turn (its words, in order) and each of its words is in the dictionary. Returns
    (kept, dropped): a misspelling, a non-word, Korean or a word the learner never used is dropped."""
    said = words_of(text)
    kept: list[str] = []
    dropped: list[str] = []
    for candidate in candidates:
        words = words_of(candidate)
        phrase = " ".join(words)
        fits = bool(words) and candidate.isascii() and _said_in_order(words, said)
        if fits and all(known(w) for w in words) and phrase not in kept:
            kept.append(phrase)
        elif phrase not in kept:
            dropped.append(candidate)
    return kept[:8], dropped


def _said_in_order(words: list[str], said: list[str]) -> bool:
    return any(said[i : i + len(words)] == words for i in range(len(said) - len(words) + 1))


def _looks_like_question(text: str) -> bool:
    from .conversation import is_question

    return is_question(text)


def _differs(a: str, b: str) -> bool:
    def fold(s: str) -> list[str]:
        return re.sub(r"[^a-z' ]", "", s.lower()).split()

    return fold(a) != fold(b)


def _case_like(original: str, fixed: str) -> str:
    if original[:1].isupper() and fixed[:1].islower():
        return fixed[0].upper() + fixed[1:]
    return fixed
