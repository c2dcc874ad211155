"""The assessment as the SPA sees it (camelCase JSON, as in the seed design)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

ErrorType = Literal["none", "omission", "insertion", "mispronunciation"]
BreakError = Literal["unexpected_break", "missing_break"]


class _Camel(BaseModel):
    model_config = ConfigDict(defer_build=True, alias_generator=to_camel, populate_by_name=True, frozen=True)


class SoundedLike(_Camel):
    phoneme: str = Field(description="ARPAbet symbol of a phone the recording sounded like here")
    ipa: str
    probability: float = Field(ge=0, le=100, description="percent, among the phones that could stand here")


class PhonemeAssessment(_Camel):
    phoneme: str = Field(description="ARPAbet symbol, e.g. 'TH'")
    ipa: str
    score: float = Field(ge=0, le=100)
    start: float | None = Field(None, description="seconds; null when the word was not said")
    end: float | None = None
    sounded_like: list[SoundedLike] = Field(
        default_factory=list, description="n-best phones heard in its place, most likely first (mispronounced phones)"
    )


class WordAssessment(_Camel):
    text: str
    score: float = Field(ge=0, le=100)
    error_type: ErrorType
    start: float | None = None
    end: float | None = None
    phonemes: list[PhonemeAssessment] = Field(default_factory=list)
    break_error: BreakError | None = Field(
        None,
        description="unexpected_break: a long pause before this word inside a phrase; missing_break: no "
        "pause before it where the sentence has a comma or other phrase break",
    )


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
    prosody_score: float | None = Field(
        None,
        ge=0,
        le=100,
        description="rhythm and phrasing as examiners rate prosody (learned; no pitch): see "
        "docs/pronunciation.md; null when nothing was said",
    )
    grade: Literal["A", "B", "C", "D", "F"]
    feedback: Feedback
    missed_words: list[str]
    extra_words: list[str]
    words: list[WordAssessment]
    audio_duration: float = Field(description="seconds")
    speech_rate: float = Field(description="words per minute while speaking")
    pause_count: int
    pitch_range: float | None = Field(
        None,
        description="semitones between the 10th and 90th percentile of the "
        "voiced pitch; null when too little was voiced",
    )
    monotone: bool = Field(False, description="the pitch hardly moves (Azure's Monotone): under 3 semitones")
