"""Speech for SpeakTracker: pronunciation assessment, synthesis and recognition behind small ports.

    from speaktracker.speech import build_speech
    engine = build_speech(settings)                  # local: pocketsphinx + hama + espeak-ng
    result = engine.assessor.assess(audio_bytes, "How was your day?")
    result.model_dump(by_alias=True)                 # camelCase JSON for the SPA

Domain modules (text, scoring, feedback, result, evidence, ctc, phone_evidence, scorer, judgement, intonation,
sound_tips) import no engine and no boto3; the scorer runs on numpy alone with the weights in ``models/``.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Names resolve on first use (PEP 562), so a service that needs only the result models does not import numpy
# and the engines at cold start.
_HOMES = {
    "PronunciationAssessor": "assessment",
    **dict.fromkeys(
        (
            "AudioClipped",
            "AudioEmpty",
            "AudioError",
            "AudioNoSpeech",
            "AudioSilent",
            "AudioTooLong",
            "AudioTooShort",
            "AudioUndecodable",
            "ReferenceTextError",
            "SpeechEngineError",
            "SpeechInputError",
        ),
        "errors",
    ),
    **dict.fromkeys(("SpeechEngine", "build_recognizer", "build_speech"), "factory"),
    **dict.fromkeys(
        ("RecognizedWord", "Recognizer", "SpeechSynthesizer", "SynthesizedSpeech", "Transcript", "WordTiming"), "ports"
    ),
    **dict.fromkeys(
        ("Feedback", "PhonemeAssessment", "PronunciationAssessment", "SoundedLike", "WordAssessment"), "result"
    ),
}

if TYPE_CHECKING:
    from .assessment import PronunciationAssessor
    from .errors import (
        AudioClipped,
        AudioEmpty,
        AudioError,
        AudioNoSpeech,
        AudioSilent,
        AudioTooLong,
        AudioTooShort,
        AudioUndecodable,
        ReferenceTextError,
        SpeechEngineError,
        SpeechInputError,
    )
    from .factory import SpeechEngine, build_recognizer, build_speech
    from .ports import RecognizedWord, Recognizer, SpeechSynthesizer, SynthesizedSpeech, Transcript, WordTiming
    from .result import Feedback, PhonemeAssessment, PronunciationAssessment, SoundedLike, WordAssessment


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "AudioClipped",
    "AudioEmpty",
    "AudioError",
    "AudioNoSpeech",
    "AudioSilent",
    "AudioTooLong",
    "AudioTooShort",
    "AudioUndecodable",
    "Feedback",
    "PhonemeAssessment",
    "PronunciationAssessment",
    "PronunciationAssessor",
    "RecognizedWord",
    "Recognizer",
    "ReferenceTextError",
    "SpeechEngine",
    "SpeechEngineError",
    "SpeechInputError",
    "SoundedLike",
    "SpeechSynthesizer",
    "SynthesizedSpeech",
    "Transcript",
    "WordAssessment",
    "WordTiming",
    "build_recognizer",
    "build_speech",
]
