"""Practice sentences and the local sentence bank: curated sentences tagged by level and topic, plus
templates whose slot fillers carry their own Korean, joined with the right particle (을/를, 이/가 ...)."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .levels import TOPICS, Level

MAX_SENTENCE_CHARS = 300


@dataclass(frozen=True)
class Sentence:
    english: str
    korean: str
    level: Level
    topic: str
    source: str = "bank"  # bank, template, claude, review

    @property
    def key(self) -> str:
        return sentence_key(self.english)


def sentence_key(english: str) -> str:
    """The same sentence whatever its case, spacing or final punctuation: what mastery is kept by."""
    folded = re.sub(r"[^a-z0-9' ]+", " ", english.lower().replace("’", "'"))
    folded = " ".join(folded.split())
    return hashlib.sha256(folded.encode()).hexdigest()[:20]


# --- Korean particles ---------------------------------------------------------------------------
_PARTICLES = {  # with a final consonant, without
    "을": ("을", "를"),
    "를": ("을", "를"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "은": ("은", "는"),
    "는": ("은", "는"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
    "이에요": ("이에요", "예요"),
    "예요": ("이에요", "예요"),
    "이랑": ("이랑", "랑"),
    "랑": ("이랑", "랑"),
}
_RIEUL = 8  # final-consonant index of ㄹ: 으로 becomes 로 after it


def with_particle(word: str, particle: str) -> str:
    """``word`` followed by ``particle`` in the form its last syllable needs (커피를, 빵을, 지하철로)."""
    if particle not in _PARTICLES:
        return word + particle
    with_final, without_final = _PARTICLES[particle]
    last = next((c for c in reversed(word) if not c.isspace()), "")
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        if particle in ("으로", "로") and final == _RIEUL:
            return word + "로"
        return word + (with_final if final else without_final)
    if last.isdigit():  # read as Sino-Korean numbers: 1 일, 2 이, 3 삼 ...
        return word + (with_final if last in "013678" else without_final)
    return word + f"{with_final}({without_final})"


# --- the bank -----------------------------------------------------------------------------------
_SLOT = re.compile(r"\{(\w+)(?::([가-힣]+))?\}")


@dataclass(frozen=True)
class Filler:
    english: str
    korean: str


@dataclass(frozen=True)
class Template:
    topic: str
    levels: tuple[Level, ...]
    english: str
    korean: str

    def slots(self) -> list[str]:
        seen: list[str] = []
        for name, _ in _SLOT.findall(self.english + self.korean):
            if name not in seen:
                seen.append(name)
        return seen

    def fill(self, choice: dict[str, Filler], level: Level) -> Sentence:
        english = _SLOT.sub(lambda m: choice[m.group(1)].english, self.english)
        korean = _SLOT.sub(lambda m: with_particle(choice[m.group(1)].korean, m.group(2) or ""), self.korean)
        english = english[0].upper() + english[1:]
        return Sentence(english, korean, level, self.topic, "template")


@dataclass
class SentenceBank:
    sentences: list[Sentence]
    templates: list[Template] = field(default_factory=list)
    fillers: dict[str, list[Filler]] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> SentenceBank:
        sentences = [
            Sentence(english, korean, Level(level), topic)
            for topic, by_level in data["sentences"].items()
            for level, pairs in by_level.items()
            for english, korean in pairs
        ]
        templates = [
            Template(t["topic"], tuple(Level(v) for v in t["levels"]), t["english"], t["korean"])
            for t in data.get("templates", [])
        ]
        fillers = {name: [Filler(en, ko) for en, ko in items] for name, items in data.get("fillers", {}).items()}
        bank = cls(sentences, templates, fillers)
        bank.check()
        return bank

    def candidates(self, level: Level, topic: str) -> list[Sentence]:
        """Every sentence the bank can offer at this level and topic, templates expanded."""
        fixed = [s for s in self.sentences if s.level == level and s.topic == topic]
        return fixed + list(self._expansions(level, topic))

    def _expansions(self, level: Level, topic: str) -> Iterable[Sentence]:
        for template in self.templates:
            if template.topic != topic or level not in template.levels:
                continue
            names = template.slots()
            for combo in itertools.product(*(self.fillers[n] for n in names)):
                yield template.fill(dict(zip(names, combo)), level)

    def check(self) -> None:
        """The bank is data: a typo in it should fail a test, not a student's request."""
        for sentence in self.sentences:
            if sentence.topic not in TOPICS or not sentence.english.strip() or not sentence.korean.strip():
                raise ValueError(f"bad bank sentence: {sentence}")
        for template in self.templates:
            if template.topic not in TOPICS:
                raise ValueError(f"template with unknown topic: {template}")
            for name in template.slots():
                if name not in self.fillers:
                    raise ValueError(f"template slot {name!r} has no fillers")
