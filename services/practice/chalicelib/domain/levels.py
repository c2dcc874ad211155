"""Difficulty levels and topics as learners name them, in Korean or English (seed scenario 3 sends
``{"difficulty": "중", "topic": "일상 대화"}``)."""

from __future__ import annotations

import re
from enum import Enum

from speaktracker.errors import Invalid

MAX_SENTENCES = 10  # in one practice set


class Level(str, Enum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def korean(self) -> str:
        return {"beginner": "초급", "intermediate": "중급", "advanced": "고급"}[self.value]


_LEVEL_NAMES: dict[str, Level] = {}
for _level, _names in {
    Level.BEGINNER: ("하", "초급", "초보", "기초", "쉬움", "beginner", "easy", "basic", "elementary", "low", "1"),
    Level.INTERMEDIATE: ("중", "중급", "보통", "intermediate", "medium", "normal", "middle", "mid", "2"),
    Level.ADVANCED: ("상", "고급", "어려움", "advanced", "hard", "difficult", "high", "upper", "3"),
}.items():
    for _name in _names:
        _LEVEL_NAMES[_name] = _level

# Topic key -> (Korean label, English label, other names learners use).
TOPICS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "daily": (
        "일상 대화",
        "Daily conversation",
        ("일상", "일상대화", "대화", "daily conversation", "everyday", "daily life", "small talk"),
    ),
    "travel": ("여행", "Travel", ("여행 영어", "관광", "공항", "trip", "travelling", "traveling", "airport")),
    "food": (
        "음식과 식당",
        "Food and restaurants",
        ("음식", "식당", "레스토랑", "카페", "restaurant", "restaurants", "dining", "cafe", "food and restaurants"),
    ),
    "shopping": ("쇼핑", "Shopping", ("쇼핑 영어", "물건 사기", "shop", "store", "buying")),
    "work": (
        "직장과 비즈니스",
        "Work and business",
        ("직장", "회사", "비즈니스", "업무", "business", "office", "job", "work and business"),
    ),
    "school": (
        "학교와 공부",
        "School and study",
        ("학교", "공부", "학업", "수업", "study", "studying", "class", "education", "school and study"),
    ),
    "health": (
        "건강과 병원",
        "Health",
        ("건강", "병원", "약국", "hospital", "doctor", "pharmacy", "health and hospital"),
    ),
    "hobbies": (
        "취미와 여가",
        "Hobbies and free time",
        ("취미", "여가", "운동", "hobby", "leisure", "free time", "sports", "hobbies and free time"),
    ),
}


def _fold(raw: str) -> str:
    return re.sub(r"[\s_\-]+", " ", raw.strip().lower())


_TOPIC_NAMES: dict[str, str] = {}
for _key, (_ko, _en, _others) in TOPICS.items():
    for _name in (_key, _ko, _en, *_others):
        _TOPIC_NAMES[_fold(_name)] = _key
        _TOPIC_NAMES[_fold(_name).replace(" ", "")] = _key


def normalise_difficulty(raw: str | None) -> Level:
    if raw is None or not raw.strip():
        return Level.BEGINNER
    level = _LEVEL_NAMES.get(_fold(raw))
    if level is None:
        raise Invalid(
            "difficulty must be 하/중/상, 초급/중급/고급, beginner/intermediate/advanced or easy/medium/hard.",
            "UNKNOWN_DIFFICULTY",
            {"accepted": ["하", "중", "상", "beginner", "intermediate", "advanced"]},
        )
    return level


def normalise_topic(raw: str | None) -> str:
    if raw is None or not raw.strip():
        return "daily"
    folded = _fold(raw)
    topic = _TOPIC_NAMES.get(folded) or _TOPIC_NAMES.get(folded.replace(" ", ""))
    if topic is None:
        raise Invalid(
            f"Unknown topic {raw.strip()!r}.",
            "UNKNOWN_TOPIC",
            {"accepted": [{"key": k, "korean": v[0], "english": v[1]} for k, v in TOPICS.items()]},
        )
    return topic


def topic_label(topic: str) -> str:
    korean, english, _ = TOPICS[topic]
    return f"{korean} / {english}"
