"""The speech ports shared by the practice and conversation services, and the plain values they return.

Adapters: ``adapters.sphinx`` (pocketsphinx) and ``adapters.espeak`` offline; ``adapters.transcribe`` and
``adapters.polly`` in AWS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .result import PronunciationAssessment


@dataclass(frozen=True)
class RecognizedWord:
    text: str
    start: float  # seconds
    end: float
    confidence: float  # 0..1


@dataclass(frozen=True)
class Transcript:
    text: str
    words: list[RecognizedWord] = field(default_factory=list)


@dataclass(frozen=True)
class WordTiming:
    text: str
    start: float  # seconds
    end: float


@dataclass(frozen=True)
class SynthesizedSpeech:
    audio: bytes
    format: str  # "wav" | "mp3"
    content_type: str
    words: list[WordTiming]
    duration: float  # seconds

    @property
    def duration_ms(self) -> int:
        return round(self.duration * 1000)


class Recognizer(Protocol):
    def recognize(self, audio: bytes, content_type: str | None = None) -> Transcript:
        """Words heard in a recording (any accepted format), with times and confidences."""


class SpeechSynthesizer(Protocol):
    def synthesize(self, text: str, voice: str | None = None, *, word_times: bool = False) -> SynthesizedSpeech:
        """Speech for ``text`` in ``voice`` (the engine's default when None). Word timings only when asked
        (``word_times``): they cost an alignment offline and a second Polly request in AWS, and neither
        practice nor conversation uses them."""


class Assessor(Protocol):
    def assess(self, audio: bytes, reference_text: str, content_type: str | None = None) -> PronunciationAssessment:
        """How a learner read ``reference_text`` aloud in ``audio`` (any accepted format)."""
