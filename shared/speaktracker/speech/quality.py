"""Is there something worth scoring in this recording? Checked before any recognition runs."""

from __future__ import annotations

import numpy as np

from .arrays import FloatArray, Samples
from .audio import SAMPLE_RATE, Recording
from .errors import AudioClipped, AudioNoSpeech, AudioSilent, AudioTooShort

MIN_SECONDS = 0.3
# Loudest 10 ms frame below -45 dBFS: a muted or disconnected microphone.
SILENT_DBFS = -45.0
# More than 2% of samples at full scale: the shape of the speech is gone (a normal loud take clips < 0.1%).
CLIPPED_FRACTION = 0.02
CLIP_LEVEL = 32_000
# Speech alternates loud vowels and near-silent closures within a fraction of a second; a recording whose
# 10 ms frame levels span less than this (95th vs 10th percentile) is steady noise, hum or a tone.
MIN_DYNAMIC_RANGE_DB = 12.0


def check_recording(recording: Recording) -> None:
    if recording.duration < MIN_SECONDS:
        raise AudioTooShort(f"The recording is shorter than {MIN_SECONDS:.1f} seconds.")
    samples = recording.samples.astype(np.float64)
    if np.mean(np.abs(samples) >= CLIP_LEVEL) > CLIPPED_FRACTION:
        raise AudioClipped("The recording is distorted (too loud); move the microphone away and try again.")
    levels = frame_levels_db(samples)
    if levels.max() < SILENT_DBFS:
        raise AudioSilent("The recording is silent; check the microphone and try again.")
    if np.percentile(levels, 95) - np.percentile(levels, 10) < MIN_DYNAMIC_RANGE_DB:
        raise AudioNoSpeech("No speech was heard in the recording, only noise.")


def frame_levels_db(samples: FloatArray | Samples, frame: int = SAMPLE_RATE // 100) -> FloatArray:
    """RMS level of each 10 ms frame in dB relative to full scale."""
    usable = samples[: len(samples) // frame * frame].reshape(-1, frame)
    rms = np.sqrt(np.mean(usable**2, axis=1)) / 32768.0
    levels: FloatArray = 20 * np.log10(np.maximum(rms, 1e-7))
    return levels
