"""Fast, fluent readings: the aligner's three-states-per-phone minimum must not turn speed into omissions."""

import subprocess

import pytest
from speaktracker.speech.audio import decode_recording, stretched
from speaktracker.speech.evidence import AcousticEvidence, PhoneEvidence, Span, SpokenWord

# Sentences whose espeak-ng reading runs words together ("get to the", "like to") faster than the
# acoustic model's minimum durations allow.
FAST = ["Do I need to change trains to get to the museum?", "I would like to order a cup of coffee, please."]


def espeak(text: str, words_per_minute: int) -> bytes:
    return subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", str(words_per_minute), "--stdout", text], check=True, capture_output=True
    ).stdout


# 175 is espeak-ng's default rate: there the whole sentence once found no path through the skip grammar.
@pytest.mark.parametrize("words_per_minute", [175, 200])
@pytest.mark.parametrize("sentence", FAST)
def test_a_fast_clean_reading_loses_no_words(engine, sentence, words_per_minute):
    result = engine.assessor.assess(espeak(sentence, words_per_minute), sentence)
    assert result.missed_words == [] and result.completeness_score == 100
    assert result.overall_score >= 70
    starts = [w.start for w in result.words]
    assert None not in starts and starts == sorted(starts)
    assert result.words[-1].end <= result.audio_duration + 0.05  # times are the recording's own


def test_a_word_left_out_of_a_fast_reading_is_still_reported(engine):
    sentence = "Do I need to change trains to get to the museum?"
    result = engine.assessor.assess(espeak("Do I need to change to get to the museum?", 200), sentence)
    assert "trains" in result.missed_words


def test_stretching_keeps_the_sound_and_lengthens_the_time():
    original = decode_recording(espeak("How was your day?", 175))
    slowed = stretched(original.pcm, 0.8)
    ratio = len(slowed) / len(original.pcm)
    assert 1.2 < ratio < 1.3


def test_rescaled_evidence_maps_spans_back_onto_the_recording():
    phone = PhoneEvidence("AY", Span(10, 15), senone_ratio=-20.0)
    evidence = AcousticEvidence(
        frames=125, spoken={0: SpokenWord(Span(10, 15), (phone,))}, extra_speech=[Span(50, 75)], speech_frames=100
    )
    back = evidence.rescaled(0.8)
    assert back.frames == 100 and back.speech_frames == 80 and back.extra_speech == [Span(40, 60)]
    assert back.spoken[0].span == Span(8, 12) and back.spoken[0].phones[0].span == Span(8, 12)
    assert back.spoken[0].phones[0].senone_ratio == -20.0
