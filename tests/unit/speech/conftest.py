"""Real audio for the speech tests, made with espeak-ng at test time (no binary fixtures)."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest
from speaktracker.settings import Settings
from speaktracker.speech import build_speech
from speaktracker.speech.audio import SAMPLE_RATE


@pytest.fixture(scope="session")
def engine():
    return build_speech(Settings(speech_engine="local"))


@pytest.fixture(scope="session")
def speak(engine):
    """Text -> WAV bytes read by espeak-ng (cached: the same sentence is used by several tests)."""
    cache: dict[str, bytes] = {}

    def _speak(text: str) -> bytes:
        if text not in cache:
            cache[text] = engine.synthesizer.synthesize(text).audio
        return cache[text]

    return _speak


def wav_bytes(samples: np.ndarray, rate: int = SAMPLE_RATE) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(samples, -32768, 32767).astype("<i2").tobytes())
    return out.getvalue()
