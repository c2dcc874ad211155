"""Pitch and the monotone check (numpy only).

A pitch track by normalised autocorrelation (40 ms windows every 10 ms, 70-400 Hz); the reading's pitch
range is the spread (10th to 90th percentile) of its voiced frames in semitones around their median. A
reading whose range is under MONOTONE_SEMITONES is flat: Azure's "Monotone". Set on the speechocean762 train
speakers: 12 of 137 readings (every third) are that flat, and examiners gave them prosody 5.3 of 10 against
7.5 for the rest; the range itself correlates 0.31 with their prosody score.
"""

from __future__ import annotations

import numpy as np

from .arrays import FloatArray, Samples

WINDOW = 640  # 40 ms at 16 kHz
HOP = 160
LOW_HZ, HIGH_HZ = 70.0, 400.0
VOICED_CORRELATION = 0.3
VOICED_BELOW_PEAK_DB = 30.0  # frames this far under the loudest are silence, whatever their periodicity
MIN_VOICED_FRAMES = 30
MONOTONE_SEMITONES = 3.0


def pitch_track(samples: Samples, rate: int = 16_000) -> FloatArray:
    """F0 in Hz per 10 ms frame, 0 where unvoiced."""
    x = samples.astype(np.float64)
    if len(x) < WINDOW:
        return np.zeros(0)
    n = 1 + (len(x) - WINDOW) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(x, WINDOW)[::HOP][:n]
    frames = (frames - frames.mean(axis=1, keepdims=True)) * np.hanning(WINDOW)
    spectrum = np.fft.rfft(frames, 2 * WINDOW)
    corr = np.fft.irfft(np.abs(spectrum) ** 2)[:, :WINDOW]
    energy = corr[:, 0]
    lo, hi = int(rate / HIGH_HZ), int(rate / LOW_HZ)
    # biased (unnormalised by overlap) on purpose: a multiple of the period never beats the period itself
    normalised = corr[:, lo:hi] / np.maximum(energy[:, None], 1e-9)
    lag = np.argmax(normalised, axis=1)
    peak = normalised[np.arange(n), lag]
    level = 10 * np.log10(np.maximum(energy, 1e-9))
    voiced = (peak >= VOICED_CORRELATION) & (level >= level.max() - VOICED_BELOW_PEAK_DB)
    return np.where(voiced, rate / (lag + lo), 0.0)


def pitch_range(samples: Samples, rate: int = 16_000) -> float | None:
    """Semitone spread of the voiced frames (10th-90th percentile); None when too little is voiced."""
    f0 = pitch_track(samples, rate)
    f0 = f0[f0 > 0]
    if len(f0) < MIN_VOICED_FRAMES:
        return None
    semitones = 12 * np.log2(f0 / np.median(f0))
    semitones = semitones[np.abs(semitones) < 10]  # octave errors of the tracker
    low, high = np.quantile(semitones, [0.1, 0.9])
    return round(float(high - low), 2)


def is_monotone(range_semitones: float | None) -> bool:
    return range_semitones is not None and range_semitones < MONOTONE_SEMITONES
