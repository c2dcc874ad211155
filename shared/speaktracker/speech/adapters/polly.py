"""Amazon Polly behind the ``SpeechSynthesizer`` port: MP3 audio, and word marks (a second call) when asked."""

from __future__ import annotations

import json
from typing import Any

from ..audio import decode_recording
from ..errors import SpeechEngineError
from ..ports import SynthesizedSpeech, WordTiming


class PollySynthesizer:
    def __init__(self, polly_client: Any, default_voice: str = "Joanna", engine: str = "neural") -> None:
        self._polly = polly_client
        self._voice = default_voice
        self._engine = engine

    def synthesize(self, text: str, voice: str | None = None, *, word_times: bool = False) -> SynthesizedSpeech:
        request = {"Text": text, "VoiceId": voice or self._voice, "Engine": self._engine}
        try:
            audio = self._polly.synthesize_speech(OutputFormat="mp3", **request)["AudioStream"].read()
            lines: list[str] = []
            if word_times:
                marks = self._polly.synthesize_speech(OutputFormat="json", SpeechMarkTypes=["word"], **request)
                lines = marks["AudioStream"].read().decode("utf-8").splitlines()
        except Exception as exc:  # botocore's ClientError / BotoCoreError, without importing botocore here
            raise SpeechEngineError(f"Polly failed: {exc}") from exc
        duration = round(decode_recording(audio).duration, 3)
        return SynthesizedSpeech(
            audio=audio,
            format="mp3",
            content_type="audio/mpeg",
            words=word_timings(lines, duration) if word_times else [],
            duration=duration,
        )


def word_timings(lines: list[str], duration: float) -> list[WordTiming]:
    """Polly marks give each word's start only; a word ends where the next begins (the last at the end)."""
    marks = [json.loads(line) for line in lines if line.strip()]
    words = [m for m in marks if m.get("type") == "word"]
    starts = [m["time"] / 1000 for m in words]
    ends = starts[1:] + [duration]
    return [WordTiming(m["value"], s, max(s, e)) for m, s, e in zip(words, starts, ends)]
