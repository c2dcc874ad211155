"""The speech engine of ``speaktracker.speech`` behind practice's ports: espeak-ng offline and Polly in AWS for
the voice, pocketsphinx for the assessment, chosen by ``settings.speech_engine``. The engine is built on first
use, so a route that never speaks never loads an acoustic model; its input errors become clear 4xx answers."""

from __future__ import annotations

import threading
from typing import Any

from speaktracker.speech_errors import speech_errors

from ..domain.progress import PhonemeScore, ResultDigest, WordScore
from ..ports import Assessment, Speech

FORMATS = "Record as WAV, WebM or Ogg audio."
# Practice names voices as Polly does (the seed's "Matthew"); offline, each is an espeak-ng variant.
ESPEAK_VOICES = {
    "Matthew": "en-us+m3",
    "Joey": "en-us+m1",
    "Justin": "en-us+m4",
    "Joanna": "en-us+f3",
    "Salli": "en-us+f2",
    "Kendra": "en-us+f4",
    "Kimberly": "en-us+f1",
    "Ivy": "en-us+f5",
}


class SpeechEngine:
    """One engine per process, shared by the synthesizer and the assessor."""

    def __init__(self, settings: Any, clients: Any) -> None:
        self._settings, self._clients = settings, clients
        self._engine: Any = None
        self._lock = threading.Lock()

    @property
    def local(self) -> bool:
        return self._settings.speech_engine == "local"

    def get(self) -> Any:
        with self._lock:
            if self._engine is None:
                from speaktracker.speech import build_speech

                if self.local:
                    self._engine = build_speech(self._settings)
                else:
                    self._engine = build_speech(
                        self._settings,
                        polly_client=self._clients.client("polly"),
                        transcribe_client=self._clients.client("transcribe"),
                        s3_client=self._clients.client("s3"),
                        transcribe_bucket=self._settings.name("user-content"),
                    )
            return self._engine


class EngineSynthesizer:
    def __init__(self, engine: SpeechEngine) -> None:
        self._engine = engine

    def synthesize(self, text: str, voice: str) -> Speech:
        engine_voice = ESPEAK_VOICES.get(voice, "en-us") if self._engine.local else voice
        with speech_errors(FORMATS):
            speech = self._engine.get().synthesizer.synthesize(text, engine_voice)
        return Speech(
            audio=speech.audio,
            content_type=speech.content_type,
            extension=speech.format,
            duration_ms=speech.duration_ms,
        )


class EngineAssessor:
    def __init__(self, engine: SpeechEngine) -> None:
        self._engine = engine

    def assess(self, audio: bytes, original_text: str, content_type: str | None) -> Assessment:
        with speech_errors(FORMATS):
            result = self._engine.get().assessor.assess(audio, original_text, content_type)
        said = [w for w in result.words if w.error_type in ("none", "mispronunciation")]
        digest = ResultDigest(
            overall_score=result.overall_score,
            words=tuple(
                WordScore(w.text, w.score, tuple(PhonemeScore(p.phoneme, p.score) for p in w.phonemes)) for w in said
            ),
            missed_words=tuple(result.missed_words),
        )
        return Assessment(
            payload=result.model_dump(mode="json", by_alias=True),
            overall_score=result.overall_score,
            grade=result.grade,
            audio_duration_ms=round(result.audio_duration * 1000),
            digest=digest,
        )
