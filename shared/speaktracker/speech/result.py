"""The assessment as the SPA sees it (camelCase JSON, as in the seed design)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

ErrorType = Literal["none", "omission", "insertion", "mispronunciation"]


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class PhonemeAssessment(_Camel):
    phoneme: str = Field(description="ARPAbet symbol, e.g. 'TH'")
    ipa: str
    score: float = Field(ge=0, le=100)
    start: float | None = Field(None, description="seconds; null when the word was not said")
    end: float | None = None


class WordAssessment(_Camel):
    text: str
    score: float = Field(ge=0, le=100)
    error_type: ErrorType
    start: float | None = None
    end: float | None = None
    phonemes: list[PhonemeAssessment] = Field(default_factory=list)


class Feedback(_Camel):
    ko: str
    en: str


class PronunciationAssessment(_Camel):
    reference_text: str
    transcribed_text: str
    overall_score: float = Field(ge=0, le=100)
    accuracy_score: float = Field(ge=0, le=100)
    fluency_score: float = Field(ge=0, le=100)
    completeness_score: float = Field(ge=0, le=100)
    prosody_score: float | None = Field(None, ge=0, le=100, description="null: this engine does not measure prosody (see docs/pronunciation.md)")
    grade: Literal["A", "B", "C", "D", "F"]
    feedback: Feedback
    missed_words: list[str]
    extra_words: list[str]
    words: list[WordAssessment]
    audio_duration: float = Field(description="seconds")
    speech_rate: float = Field(description="words per minute while speaking")
    pause_count: int
