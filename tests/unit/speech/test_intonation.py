"""The pitch track and the monotone check on signals whose pitch is known."""

import numpy as np
from speaktracker.speech.intonation import MONOTONE_SEMITONES, is_monotone, pitch_range, pitch_track

RATE = 16_000
T = np.arange(2 * RATE) / RATE


def _voice(f0: np.ndarray) -> np.ndarray:
    """A buzz with harmonics at the given pitch contour, syllable-like loudness."""
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    buzz = sum(np.sin(k * phase) / k for k in range(1, 6))
    return 6000 * buzz * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * T))


def test_the_track_finds_the_pitch_not_a_multiple_of_its_period():
    f0 = pitch_track(_voice(np.full(len(T), 140.0)))
    assert abs(np.median(f0[f0 > 0]) - 140) < 5


def test_a_flat_voice_is_monotone_and_a_moving_one_is_not():
    flat = pitch_range(_voice(np.full(len(T), 140.0)))
    moving = pitch_range(_voice(120 + 60 * np.sin(2 * np.pi * 0.7 * T)))
    assert flat is not None and flat < MONOTONE_SEMITONES and is_monotone(flat)
    assert moving is not None and moving > 2 * MONOTONE_SEMITONES and not is_monotone(moving)


def test_silence_has_no_pitch_range():
    assert pitch_range(np.zeros(RATE)) is None
    assert not is_monotone(None)
