"""What the acoustic model found in a recording, in plain numbers: the input of the scoring rules.

Times are in 10 ms frames. Log-likelihood ratios are in the recogniser's own (scaled log) units; they
decide which words look left out (``scoring.looks_omitted``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

FRAME_SECONDS = 0.01


@dataclass(frozen=True)
class Span:
    start: int
    end: int  # exclusive

    @property
    def frames(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class PhoneEvidence:
    phone: str
    span: Span
    # Mean per-frame log-likelihood of the expected phone minus the best senone of each frame (<= 0).
    senone_ratio: float


@dataclass(frozen=True)
class SpokenWord:
    span: Span
    phones: tuple[PhoneEvidence, ...]


@dataclass(frozen=True)
class AcousticEvidence:
    frames: int
    # Reference word index -> where and how it was said; an index that is absent was skipped by the aligner.
    spoken: dict[int, SpokenWord]
    # Speech (phone loop and loudness agree) that no reference word accounts for.
    extra_speech: list[Span] = field(default_factory=list)
    # Frames heard as speech rather than silence or noise (exact wherever no word may count: see adapters/sphinx).
    speech_frames: int = 0

    def rescaled(self, factor: float) -> AcousticEvidence:
        """The same evidence on a time axis ``factor`` times as long (evidence from a time-stretched copy
        mapped back onto the recording's own frames)."""

        def span(s: Span) -> Span:
            start = round(s.start * factor)
            return Span(start, max(start + 1, round(s.end * factor)))

        spoken = {
            i: replace(w, span=span(w.span), phones=tuple(replace(p, span=span(p.span)) for p in w.phones))
            for i, w in self.spoken.items()
        }
        return AcousticEvidence(
            frames=round(self.frames * factor),
            spoken=spoken,
            extra_speech=[span(s) for s in self.extra_speech],
            speech_frames=round(self.speech_frames * factor),
        )


class AcousticAnalyzer(Protocol):
    def analyse(self, pcm: bytes, words: list[str], pronunciations: list[tuple[str, ...]]) -> AcousticEvidence:
        """Aligns the reference words (each may be skipped) and finds speech that none of them accounts for."""

    def lookup(self, word: str) -> tuple[str, ...] | None:
        """The acoustic model's dictionary pronunciation of a word, if any."""


class WordAligner(Protocol):
    def word_times(
        self, pcm: bytes, words: list[str], pronunciations: list[tuple[str, ...]]
    ) -> dict[int, tuple[float, float]]:
        """Reference word index -> (start, end) seconds, by forced alignment of every word."""


class SpanTranscriber(Protocol):
    def words_in(self, pcm: bytes) -> list[str]:
        """Open-vocabulary words in a short piece of audio (for speech outside the reference)."""
