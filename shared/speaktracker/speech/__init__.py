"""Speech for SpeakTracker: pronunciation assessment, synthesis and recognition behind small ports.

    from speaktracker.speech import build_speech
    engine = build_speech(settings)                  # local: pocketsphinx + espeak-ng
    result = engine.assessor.assess(audio_bytes, "How was your day?")
    result.model_dump(by_alias=True)                 # camelCase JSON for the SPA

Domain modules (text, scoring, feedback, result, evidence) import no engine and no boto3.
"""

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
from .result import Feedback, PhonemeAssessment, PronunciationAssessment, WordAssessment

__all__ = [
    "AudioClipped", "AudioEmpty", "AudioError", "AudioNoSpeech", "AudioSilent", "AudioTooLong", "AudioTooShort",
    "AudioUndecodable", "Feedback", "PhonemeAssessment", "PronunciationAssessment", "PronunciationAssessor",
    "RecognizedWord", "Recognizer", "ReferenceTextError", "SpeechEngine", "SpeechEngineError", "SpeechInputError",
    "SpeechSynthesizer", "SynthesizedSpeech", "Transcript", "WordAssessment", "WordTiming", "build_recognizer",
    "build_speech",
]
