"""The role-play catalogue: who the partner plays, who the learner plays, the goals and when it succeeds.

Levels are named as practice names them (초급|중급|고급 or beginner|intermediate|advanced, and 하/중/상).
A conversation can also be free: a topic, role and situation of the learner's own, with goals derived from
the topic (``free_scenario``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from speaktracker.errors import Invalid, NotFound


class Level(str, Enum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def korean(self) -> str:
        return {"beginner": "초급", "intermediate": "중급", "advanced": "고급"}[self.value]


_LEVEL_NAMES = {
    name: level
    for level, names in {
        Level.BEGINNER: ("하", "초", "초급", "초보", "기초", "beginner", "easy", "basic", "low", "1"),
        Level.INTERMEDIATE: ("중", "중급", "보통", "intermediate", "medium", "normal", "mid", "2"),
        Level.ADVANCED: ("상", "고", "고급", "advanced", "hard", "difficult", "high", "3"),
    }.items()
    for name in names
}


def level_of(raw: str | None) -> Level:
    if raw is None or not raw.strip():
        return Level.INTERMEDIATE
    level = _LEVEL_NAMES.get(raw.strip().lower())
    if level is None:
        raise Invalid(
            "difficulty must be 초급/중급/고급 (하/중/상) or beginner/intermediate/advanced.",
            "UNKNOWN_DIFFICULTY",
            {"accepted": ["초급", "중급", "고급", "beginner", "intermediate", "advanced"]},
        )
    return level


@dataclass(frozen=True)
class Line:
    en: str
    ko: str


@dataclass(frozen=True)
class Goal:
    goal_id: str
    en: str
    ko: str
    keywords: tuple[str, ...]
    ask: Line
    follow_up: Line
    sample: Line  # what a learner could say to meet it (the hint)


@dataclass(frozen=True)
class Reaction:
    keywords: tuple[str, ...]
    line: Line


@dataclass(frozen=True)
class Art:
    """What the scenario's picture shows offline (emoji, the main one first) and its two colours (light
    background, deep accent); the Bedrock prompt names the same colours."""

    emoji: tuple[str, ...] = ("💬",)
    colors: tuple[str, str] = ("#E8EEF6", "#3F6FA8")


@dataclass(frozen=True)
class Scenario:
    scenario_id: str
    topic: str
    title: Line
    ai_role: Line
    learner_role: Line
    situation: Line
    levels: tuple[Level, ...]
    opener: Line
    goals: tuple[Goal, ...]
    success: Line
    answers: tuple[Reaction, ...] = ()
    reactions: tuple[Reaction, ...] = ()
    closing: Line = Line("Thanks for talking with me. Anything else?", "이야기해 줘서 고마워요. 더 할 말 있어요?")
    art: Art = Art()

    def as_json(self) -> dict[str, Any]:
        return {
            "scenarioId": self.scenario_id,
            "topic": self.topic,
            "title": {"ko": self.title.ko, "en": self.title.en},
            "aiRole": {"ko": self.ai_role.ko, "en": self.ai_role.en},
            "learnerRole": {"ko": self.learner_role.ko, "en": self.learner_role.en},
            "situation": {"ko": self.situation.ko, "en": self.situation.en},
            "levels": [level.value for level in self.levels],
            "levelsKo": [level.korean for level in self.levels],
            "goals": [{"goalId": g.goal_id, "en": g.en, "ko": g.ko} for g in self.goals],
            "successCondition": {"ko": self.success.ko, "en": self.success.en},
        }


def _line(raw: dict[str, Any]) -> Line:
    return Line(raw["en"], raw["ko"])


def _reaction(raw: dict[str, Any]) -> Reaction:
    return Reaction(tuple(raw["keywords"]), Line(raw["en"], raw["ko"]))


def _art(raw: dict[str, Any]) -> Art:
    light, deep = raw["colors"]
    return Art(tuple(raw["emoji"]), (light, deep))


def _scenario(raw: dict[str, Any]) -> Scenario:
    goals = tuple(
        Goal(g["id"], g["en"], g["ko"], tuple(g["keywords"]), _line(g["ask"]), _line(g["followUp"]), _line(g["sample"]))
        for g in raw["goals"]
    )
    return Scenario(
        scenario_id=raw["id"],
        topic=raw["topic"],
        title=_line(raw["title"]),
        ai_role=_line(raw["aiRole"]),
        learner_role=_line(raw["learnerRole"]),
        situation=_line(raw["situation"]),
        levels=tuple(Level(v) for v in raw["levels"]),
        opener=_line(raw["opener"]),
        goals=goals,
        success=_line(raw["successCondition"]),
        answers=tuple(_reaction(a) for a in raw.get("answers", [])),
        reactions=tuple(_reaction(r) for r in raw.get("reactions", [])),
        closing=_line(raw["closing"]),
        art=_art(raw["art"]) if "art" in raw else Art(),
    )


class Catalogue:
    def __init__(self, scenarios: list[Scenario]) -> None:
        self._by_id = {s.scenario_id: s for s in scenarios}

    @classmethod
    def load(cls, path: Path | None = None) -> Catalogue:
        path = path or Path(__file__).resolve().parent.parent / "scenarios.json"
        return cls([_scenario(raw) for raw in json.loads(path.read_text(encoding="utf-8"))])

    def all(self, level: Level | None = None) -> list[Scenario]:
        return [s for s in self._by_id.values() if level is None or level in s.levels]

    def get(self, scenario_id: str) -> Scenario:
        scenario = self._by_id.get(scenario_id)
        if scenario is None:
            raise NotFound(
                f"There is no scenario {scenario_id!r}; GET /api/ai/scenarios lists them.", "SCENARIO_NOT_FOUND"
            )
        return scenario

    def for_topic(self, topic: str, level: Level) -> Scenario | None:
        """The scenario whose topic or title the learner named, preferring one made for their level."""
        words = set(words_of(topic))
        folded = re.sub(r"\s+", "", topic.lower())
        matches = [
            s
            for s in self._by_id.values()
            if folded in (s.topic, re.sub(r"\s+", "", s.title.ko), s.title.en.lower().replace(" ", ""))
            or words & set(words_of(s.title.en)) - _STOP
            or _TOPIC_ALIASES.get(folded) == s.topic
        ]
        matches.sort(key=lambda s: level not in s.levels)
        return matches[0] if matches else None


_STOP = {"a", "an", "the", "at", "by", "with", "in", "on", "to", "for", "of"}
_TOPIC_ALIASES = {
    "일상대화": "daily",
    "일상": "daily",
    "대화": "daily",
    "dailyconversation": "daily",
    "여행": "travel",
    "음식": "food",
    "식당": "food",
    "카페": "food",
    "쇼핑": "shopping",
    "직장": "work",
    "회사": "work",
    "비즈니스": "work",
    "business": "work",
    "학교": "school",
    "공부": "school",
    "건강": "health",
    "병원": "health",
}


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())


def free_scenario(topic: str, role: str | None, situation: str | None) -> Scenario:
    """A conversation on the learner's own topic: the partner plays the role they asked for and steers
    through three open goals (say what you think, give an example, ask the partner something)."""
    topic = " ".join(topic.split())[:60]
    ai_role = (role or "").strip()[:40] or "conversation partner"
    scene = (situation or "").strip()[:200] or f"A relaxed conversation about {topic}."
    keywords = tuple(words_of(topic)) or ("think",)
    goals = (
        Goal(
            "opinion",
            "Say what you think about the topic",
            "주제에 대한 생각 말하기",
            keywords + ("think", "like", "love", "feel", "believe", "because"),
            Line(f"What do you think about {topic}?", f"'{topic}'에 대해 어떻게 생각해요?"),
            Line("Why do you feel that way?", "왜 그렇게 생각해요?"),
            Line(
                f"I think {topic} is interesting because it is part of my life.",
                f"'{topic}'은(는) 제 삶의 일부라서 흥미롭다고 생각해요.",
            ),
        ),
        Goal(
            "example",
            "Give an example from your life",
            "경험에서 예 들기",
            ("when", "once", "last", "ago", "time", "example", "remember", "usually", "went"),
            Line(
                "Can you tell me about a time this came up in your life?", "살면서 이런 일이 있었던 때를 말해 줄래요?"
            ),
            Line("What happened next?", "그다음엔 어떻게 됐어요?"),
            Line("Last year I had a good experience with it.", "작년에 그것과 관련해 좋은 경험이 있었어요."),
        ),
        Goal(
            "question",
            "Ask your partner a question",
            "상대에게 질문하기",
            ("you", "your", "?"),
            Line("Is there anything you want to ask me?", "저한테 물어보고 싶은 거 있어요?"),
            Line("Good question! What made you curious about that?", "좋은 질문이에요! 왜 궁금했어요?"),
            Line("What about you? What do you think?", "당신은요? 어떻게 생각해요?"),
        ),
    )
    return Scenario(
        scenario_id="free",
        topic=topic,
        title=Line(topic, topic),
        ai_role=Line(ai_role, ai_role),
        learner_role=Line("yourself", "나"),
        situation=Line(scene, scene),
        levels=tuple(Level),
        opener=Line(
            f"Hi! I'd love to chat about {topic}. What comes to mind first?",
            f"안녕하세요! '{topic}'에 대해 이야기하고 싶어요. 먼저 뭐가 떠올라요?",
        ),
        goals=goals,
        success=Line("You gave an opinion, an example and asked a question.", "생각을 말하고 예를 들고 질문을 했어요."),
    )
