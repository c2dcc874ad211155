"""Speech for SpeakTracker: pronunciation assessment, synthesis and recognition behind small ports.

    from speaktracker.speech import build_speech
    engine = build_speech(settings)                  # local: pocketsphinx + hama + espeak-ng
    result = engine.assessor.assess(audio_bytes, "How was your day?")
    result.model_dump(by_alias=True)                 # camelCase JSON for the SPA

Domain modules (text, scoring, feedback, result, evidence, ctc, phone_evidence, scorer, judgement, intonation,
sound_tips) import no engine and no boto3; the scorer runs on numpy alone with the weights in ``models/``.
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
from .result import Feedback, PhonemeAssessment, PronunciationAssessment, SoundedLike, WordAssessment

__all__ = [
    "AudioClipped", "AudioEmpty", "AudioError", "AudioNoSpeech", "AudioSilent", "AudioTooLong", "AudioTooShort",
    "AudioUndecodable", "Feedback", "PhonemeAssessment", "PronunciationAssessment", "PronunciationAssessor",
    "RecognizedWord", "Recognizer", "ReferenceTextError", "SpeechEngine", "SpeechEngineError", "SpeechInputError",
    "SoundedLike", "SpeechSynthesizer", "SynthesizedSpeech", "Transcript", "WordAssessment", "WordTiming",
    "build_recognizer", "build_speech",
]
