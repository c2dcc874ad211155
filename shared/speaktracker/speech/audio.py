"""Recordings in: WAV, webm/opus, ogg/opus, mp3 ... decoded with PyAV (bundled ffmpeg) to 16 kHz mono int16."""

from __future__ import annotations

import io
from dataclasses import dataclass
from fractions import Fraction

import av
import numpy as np
from av.audio.stream import AudioStream

from .arrays import Samples
from .errors import AudioEmpty, AudioTooLong, AudioUndecodable

SAMPLE_RATE = 16_000
MAX_SECONDS = 30.0


@dataclass(frozen=True)
class Recording:
    """Mono 16 kHz signed 16-bit samples."""

    samples: Samples

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    @property
    def pcm(self) -> bytes:
        return self.samples.astype("<i2").tobytes()


def decode_recording(data: bytes, max_seconds: float = MAX_SECONDS) -> Recording:
    if not data:
        raise AudioEmpty("The recording is empty.")
    try:
        samples = _decode(data, max_seconds)
    except (av.FFmpegError, ValueError, IndexError, OSError) as exc:
        if isinstance(exc, AudioTooLong):
            raise
        raise AudioUndecodable("The recording could not be read; send WAV, webm/opus, ogg/opus or mp3.") from exc
    if samples.size == 0:
        raise AudioEmpty("The recording has no audio in it.")
    return Recording(samples)


def _decode(data: bytes, max_seconds: float) -> Samples:
    limit = int((max_seconds + 0.05) * SAMPLE_RATE)  # a few ms of codec padding is not "too long"
    chunks: list[Samples] = []
    total = 0
    with av.open(io.BytesIO(data), mode="r") as container:
        if not container.streams.audio:
            raise ValueError("no audio stream")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                total = _append(chunks, out, total)
            if total > limit:
                raise AudioTooLong(f"The recording is longer than {max_seconds:.0f} seconds.")
        for out in resampler.resample(None):
            total = _append(chunks, out, total)
    if total > limit:
        raise AudioTooLong(f"The recording is longer than {max_seconds:.0f} seconds.")
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


def _append(chunks: list[Samples], frame: av.AudioFrame, total: int) -> int:
    samples = frame.to_ndarray().reshape(-1).astype(np.int16, copy=False)
    chunks.append(samples)
    return total + samples.size


def encode_recording(recording: Recording, container: str, codec: str, rate: int = 48_000) -> bytes:
    """Encodes samples the way a browser would send them (webm/opus, ogg/opus, mp3); used by tests and tools."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as muxer:
        stream = muxer.add_stream(codec, rate=rate, layout="mono")
        if not isinstance(stream, AudioStream):
            raise ValueError(f"{codec} is not an audio codec")
        resampler = av.AudioResampler(format=stream.format.name if stream.format else "s16", layout="mono", rate=rate)
        frame = av.AudioFrame.from_ndarray(recording.samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        for resampled in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(resampled):
                muxer.mux(packet)
        for packet in stream.encode(None):
            muxer.mux(packet)
    return out.getvalue()


def stretched(pcm: bytes, tempo: float) -> bytes:
    """16 kHz mono PCM played at ``tempo`` (0.8 = slower) with its pitch kept (ffmpeg's atempo)."""
    graph = av.filter.Graph()
    source = graph.add_abuffer(format="s16", sample_rate=SAMPLE_RATE, layout="mono", time_base=Fraction(1, SAMPLE_RATE))
    atempo = graph.add("atempo", str(tempo))
    sink = graph.add("abuffersink")
    source.link_to(atempo)
    atempo.link_to(sink)
    graph.configure()
    frame = av.AudioFrame.from_ndarray(np.frombuffer(pcm, dtype="<i2").reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate, frame.pts, frame.time_base = SAMPLE_RATE, 0, Fraction(1, SAMPLE_RATE)
    source.push(frame)
    source.push(None)  # type: ignore[arg-type]  # PyAV's stub omits None, which flushes the graph
    pieces = []
    while True:
        try:
            pulled = sink.pull()
            if not isinstance(pulled, av.AudioFrame):  # an abuffersink gives audio frames only
                raise TypeError(f"the audio filter gave a {type(pulled).__name__}")
            pieces.append(pulled.to_ndarray().reshape(-1))
        except (av.BlockingIOError, av.EOFError):
            break
    return np.concatenate(pieces).astype("<i2").tobytes() if pieces else b""
