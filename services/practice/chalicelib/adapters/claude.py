"""Sentences written by Claude: a forced tool call whose input is validated by pydantic (``speaktracker.llm``),
then checked again for what a schema cannot say (English on one side, Korean on the other)."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong

from pydantic import BaseModel, ConfigDict, Field, field_validator
from speaktracker.errors import Unavailable
from speaktracker.llm import LanguageModel, ModelOutputInvalid

from ..domain.levels import Level, topic_label
from ..domain.sentences import MAX_SENTENCE_CHARS, Sentence

_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[A-Za-z]")
LEVEL_GUIDE = {
    Level.BEGINNER: "beginner (CEFR A1-A2): 3-8 words, present or simple past, everyday vocabulary",
    Level.INTERMEDIATE: "intermediate (CEFR B1): 8-15 words, two clauses, common phrasal verbs",
    Level.ADVANCED: "advanced (CEFR B2-C1): 12-25 words, conditionals, idioms, nuanced vocabulary",
}
SYSTEM = (
    "You write English speaking-practice sentences for Korean learners. Each sentence is natural, correct, "
    "something a person would really say aloud, and comes with a natural Korean translation in polite "
    "해요체 (or 합니다체 where the English is formal). No numbering, no quotes, no romanisation."
)


class WrittenSentence(BaseModel):
    model_config = ConfigDict(defer_build=True)
    english: str = Field(min_length=2, max_length=MAX_SENTENCE_CHARS, description="The English sentence.")
    korean: str = Field(min_length=1, max_length=MAX_SENTENCE_CHARS, description="Its Korean translation.")

    @field_validator("english")
    @classmethod
    def _english(cls, value: str) -> str:
        value = " ".join(value.split())
        if not _LATIN.search(value) or _HANGUL.search(value):
            raise ValueError("english must be an English sentence")
        return value

    @field_validator("korean")
    @classmethod
    def _korean(cls, value: str) -> str:
        value = " ".join(value.split())
        if not _HANGUL.search(value):
            raise ValueError("korean must be written in Hangul")
        return value


class WrittenSentences(BaseModel):
    model_config = ConfigDict(defer_build=True)
    sentences: list[WrittenSentence] = Field(min_length=1, max_length=15)


class ClaudeSentenceWriter:
    """Sentences from Claude within ``deadline_seconds`` in all: the SDK bounds each attempt and retries
    429/5xx/529 with backoff, and this bounds the whole (attempts, retries and a second ask after a malformed
    answer), so the request ends well inside API Gateway's 29 s and the bank can still answer."""

    name = "claude"
    _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="claude")

    def __init__(self, model: Callable[[], LanguageModel], deadline_seconds: float = 18.0) -> None:
        # Built on first use: a missing key or secret becomes this call's Unavailable (and the bank steps in),
        # not an import-time crash of the whole service.
        self._model, self._deadline = model, deadline_seconds

    def write(self, level: Level, topic: str, count: int, avoid: list[str]) -> list[Sentence]:
        answer = self._pool.submit(self._ask, level, topic, count, avoid)
        try:
            return answer.result(timeout=self._deadline)
        except WaitedTooLong as exc:
            answer.cancel()
            raise Unavailable("The AI took too long to write sentences.", "AI_TIMEOUT") from exc

    def _ask(self, level: Level, topic: str, count: int, avoid: list[str]) -> list[Sentence]:
        avoid_note = (
            ("\nDo not repeat any of these, which the student has just practised:\n- " + "\n- ".join(avoid[:30]))
            if avoid
            else ""
        )
        prompt = (
            f"Write {count} different {LEVEL_GUIDE[level]} English sentences about "
            f"{topic_label(topic)}, each with its Korean translation.{avoid_note}"
        )
        answer = self._model().structured(
            SYSTEM,
            [{"role": "user", "content": prompt}],
            WrittenSentences,
            "record_practice_sentences",
            "Record the practice sentences with their Korean translations.",
            max_tokens=1500,
        )
        sentences = [Sentence(s.english, s.korean, level, topic, "claude") for s in answer.sentences]
        if not sentences:
            raise ModelOutputInvalid("The AI wrote no sentences.")
        return sentences[:count]
