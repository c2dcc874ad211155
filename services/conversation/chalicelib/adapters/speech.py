"""The shared speech engine behind conversation's ports: the recogniser (Whisper tiny.en offline, Transcribe in
AWS), the voice (espeak-ng offline, Polly in AWS) and pronunciation scoring (the engine's assessor). Each is
built on first use; the engine's input errors become clear 4xx answers, its failures a 503."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from speaktracker.speech_errors import speech_errors

from ..ports import Heard, Voice

# The partner's voice: Polly's Matthew in AWS, the matching espeak-ng variant offline.
POLLY_VOICE, ESPEAK_VOICE = "Matthew", "en-us+m3"
MAX_WEAK_SOUNDS = 3


class Lazy:
    """One instance per process, made on first use (a route that never listens never loads a model)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make, self._value, self._lock = make, None, threading.Lock()

    def get(self) -> Any:
        with self._lock:
            if self._value is None:
                self._value = self._make()
            return self._value


class EngineEars:
    def __init__(self, recognizer: Lazy) -> None:
        self._recognizer = recognizer

    def check(self, audio: bytes) -> int:
        from speaktracker.speech.audio import decode_recording
        from speaktracker.speech.quality import check_recording

        with speech_errors():
            recording = decode_recording(audio)
            check_recording(recording)
        return round(recording.duration * 1000)

    def hear(self, audio: bytes, content_type: str | None) -> Heard:
        duration_ms = self.check(audio)
        with speech_errors():
            transcript = self._recognizer.get().recognize(audio, content_type)
        return Heard(transcript.text.strip(), duration_ms)


class EngineMouth:
    def __init__(self, engine: Lazy, local: bool) -> None:
        self._engine = engine
        self.voice = ESPEAK_VOICE if local else POLLY_VOICE
        self.extension = "wav" if local else "mp3"

    def speak(self, text: str) -> Voice:
        with speech_errors():
            speech = self._engine.get().synthesizer.synthesize(text, self.voice)
        return Voice(speech.audio, speech.content_type, speech.format)


class EngineScorer:
    """The turn's pronunciation, scored from its audio against what was heard (the engine's assessor)."""

    def __init__(self, engine: Lazy) -> None:
        self._engine = engine

    def score(self, audio: bytes, heard_text: str, content_type: str | None) -> dict[str, Any] | None:
        if not heard_text.strip():
            return None
        with speech_errors():
            result = self._engine.get().assessor.assess(audio, heard_text, content_type)
        words = [{"word": w.text, "score": w.score, "errorType": w.error_type} for w in result.words]
        sounds: dict[str, list[float]] = {}
        for word in result.words:
            for phone in word.phonemes:
                sounds.setdefault(phone.phoneme, []).append(phone.score)
        weakest = sorted(
            ({"phoneme": p, "ipa": _ipa(p), "score": round(sum(s) / len(s), 1)} for p, s in sounds.items()),
            key=lambda s: s["score"],
        )[:MAX_WEAK_SOUNDS]
        return {
            "overallScore": result.overall_score,
            "accuracyScore": result.accuracy_score,
            "fluencyScore": result.fluency_score,
            "words": words,
            "weakestSounds": weakest,
        }


def _ipa(phoneme: str) -> str:
    from speaktracker.speech.phonemes import ipa

    return ipa(phoneme)


class DictionaryWords:
    """Whether a word is a real English word: an entry of the speech engine's pronunciation dictionary
    (CMUdict, shipped with pocketsphinx), read once on first use. The lexicon's letter-to-sound guesses for
    unknown words are not consulted, so a misrecognition such as "kerpam" is not a word."""

    def __init__(self, path: str | None = None) -> None:
        self._path, self._words, self._lock = path, None, threading.Lock()

    def __call__(self, word: str) -> bool:
        return word.lower() in self._load()

    def _load(self) -> frozenset[str]:
        with self._lock:
            if self._words is None:
                path = self._path
                if path is None:
                    import pocketsphinx

                    path = pocketsphinx.get_model_path("en-us/cmudict-en-us.dict")
                with open(path, encoding="utf-8") as lines:
                    self._words = frozenset(line.split(" ", 1)[0].split("(", 1)[0] for line in lines if line.strip())
            return self._words
