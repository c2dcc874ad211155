"""Why a recording or a sentence cannot be assessed.

Each error carries a machine ``code`` and a human ``message``; the services map them to HTTP 400/422.
They are raised instead of returning a score, because a score for silence or noise would be a lie.
"""

from __future__ import annotations


class SpeechInputError(ValueError):
    code = "SPEECH_INPUT_INVALID"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class AudioError(SpeechInputError):
    code = "AUDIO_INVALID"


class AudioEmpty(AudioError):
    code = "AUDIO_EMPTY"


class AudioTooShort(AudioError):
    code = "AUDIO_TOO_SHORT"


class AudioTooLong(AudioError):
    code = "AUDIO_TOO_LONG"


class AudioUndecodable(AudioError):
    code = "AUDIO_UNDECODABLE"


class AudioSilent(AudioError):
    code = "AUDIO_SILENT"


class AudioClipped(AudioError):
    code = "AUDIO_CLIPPED"


class AudioNoSpeech(AudioError):
    code = "AUDIO_NO_SPEECH"


class ReferenceTextError(SpeechInputError):
    code = "REFERENCE_TEXT_INVALID"


class SpeechEngineError(RuntimeError):
    """The engine (Transcribe, Polly, espeak-ng) failed: a server-side problem, not the user's input."""

    code = "SPEECH_ENGINE_FAILED"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
