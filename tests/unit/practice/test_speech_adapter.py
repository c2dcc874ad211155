"""The speech engine behind practice's ports: voices, what practice keeps of an assessment, error mapping."""

from types import SimpleNamespace

import pytest
from chalicelib.adapters.speech import EngineAssessor, EngineSynthesizer
from speaktracker import speech
from speaktracker.errors import Invalid, Unavailable, Unprocessable, UnsupportedMediaType
from speaktracker.speech import Feedback, PhonemeAssessment, PronunciationAssessment, WordAssessment


def word(text, score, error_type="none", phonemes=()):
    return WordAssessment(
        text=text,
        score=score,
        error_type=error_type,
        phonemes=[PhonemeAssessment(phoneme=p, ipa=p.lower(), score=s) for p, s in phonemes],
    )


RESULT = PronunciationAssessment(
    reference_text="How was your day?",
    transcribed_text="how was day um",
    overall_score=71.5,
    accuracy_score=80,
    fluency_score=70,
    completeness_score=75,
    prosody_score=None,
    grade="B",
    feedback=Feedback(ko="좋아요", en="Good"),
    missed_words=["your"],
    extra_words=["um"],
    words=[
        word("How", 90, phonemes=[("HH", 88), ("AW", 92)]),
        word("was", 60, "mispronunciation", [("W", 40)]),
        word("your", 0, "omission", [("Y", 0)]),
        word("day", 85, phonemes=[("D", 85)]),
        word("um", 0, "insertion"),
    ],
    audio_duration=2.345,
    speech_rate=120,
    pause_count=1,
)


class FakeEngine:
    def __init__(self, local=True, fail=None):
        self.local, self.fail, self.calls = local, fail, []
        self.assessor = SimpleNamespace(assess=self._assess)
        self.synthesizer = SimpleNamespace(synthesize=self._synthesize)

    def get(self):
        return self

    def _assess(self, audio, text, content_type):
        if self.fail:
            raise self.fail
        return RESULT

    def _synthesize(self, text, voice):
        self.calls.append(voice)
        if self.fail:
            raise self.fail
        return speech.SynthesizedSpeech(b"RIFF", "wav", "audio/wav", [], 1.2345)


def test_the_assessment_keeps_spoken_words_and_their_phonemes():
    kept = EngineAssessor(FakeEngine()).assess(b"RIFF", "How was your day?", "audio/wav")
    assert (kept.overall_score, kept.grade, kept.audio_duration_ms) == (71.5, "B", 2345)
    assert [w.word for w in kept.digest.words] == ["How", "was", "day"]
    assert kept.digest.words[1].phonemes[0].phoneme == "W" and kept.digest.missed_words == ("your",)
    assert kept.payload["overallScore"] == 71.5 and kept.payload["words"][2]["errorType"] == "omission"


@pytest.mark.parametrize(
    "error, kind, status",
    [
        (speech.AudioTooLong("A recording may be at most 30 s."), Unprocessable, 422),
        (speech.AudioUndecodable("Not audio."), UnsupportedMediaType, 415),
        (speech.AudioEmpty("Nothing recorded."), Invalid, 400),
        (speech.AudioSilent("Only silence."), Unprocessable, 422),
        (speech.ReferenceTextError("No words."), Invalid, 400),
        (speech.SpeechEngineError("crashed"), Unavailable, 503),
    ],
)
def test_engine_errors_become_clear_answers(error, kind, status):
    with pytest.raises(kind) as caught:
        EngineAssessor(FakeEngine(fail=error)).assess(b"x", "Hi", None)
    assert caught.value.status == status and caught.value.code == error.code


def test_polly_voice_names_become_espeak_variants_offline_only():
    offline, online = FakeEngine(local=True), FakeEngine(local=False)
    spoken = EngineSynthesizer(offline).synthesize("Hi", "Joanna")
    EngineSynthesizer(online).synthesize("Hi", "Joanna")
    assert offline.calls == ["en-us+f3"] and online.calls == ["Joanna"]
    assert (spoken.extension, spoken.content_type, spoken.duration_ms) == ("wav", "audio/wav", 1234)
