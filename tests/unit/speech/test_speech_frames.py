"""Speech is where loudness and the free phone loop agree; the loop (the dearest search) runs only where it can
change the evidence, and then the evidence is what both together give."""

import numpy as np
import pytest
from speaktracker.speech.adapters import sphinx
from speaktracker.speech.audio import decode_recording
from speaktracker.speech.text import reference_words

from .conftest import wav_bytes

SENTENCE = "Where is the subway station?"


@pytest.fixture(scope="module")
def analyzer():
    return sphinx.SphinxAnalyzer()


def analyse(analyzer, engine, audio: bytes, sentence: str):
    words = engine.assessor._pronounce(reference_words(sentence))
    loops = []
    inner = analyzer._phone_loop

    def counted(pcm):
        loops.append(pcm)
        return inner(pcm)

    analyzer._phone_loop = counted
    try:
        pcm = decode_recording(audio).pcm
        evidence = analyzer.analyse(pcm, [w.word for w in words], [w.phones for w in words])
    finally:
        del analyzer._phone_loop
    return pcm, evidence, len(loops)


def test_a_clean_reading_is_analysed_without_the_phone_loop(analyzer, engine, speak):
    _, evidence, loops = analyse(analyzer, engine, speak(SENTENCE), SENTENCE)
    assert loops == 0
    assert len(evidence.spoken) == 5 and evidence.extra_speech == []


def test_speech_no_word_accounts_for_is_checked_by_the_phone_loop(analyzer, engine, speak):
    pcm, evidence, loops = analyse(analyzer, engine, speak(f"{SENTENCE} I am looking for the museum."), SENTENCE)
    assert loops == 1
    loud = sphinx._loud_frames(pcm, evidence.frames)
    both = loud & sphinx._phone_frames(analyzer._phone_loop(pcm), evidence.frames)
    assert evidence.extra_speech and evidence.extra_speech == sphinx._extra_speech(both, evidence.spoken)
    assert evidence.speech_frames == int(both.sum()) < int(loud.sum())


def test_with_no_word_said_the_frames_of_speech_are_the_loops(analyzer, engine):
    rng = np.random.default_rng(3)
    noise = (rng.normal(0, 3000, 16000) * np.repeat(rng.random(10) > 0.5, 1600)).astype("<i2")
    pcm, evidence, loops = analyse(analyzer, engine, wav_bytes(noise), SENTENCE)
    assert loops == 1
    both = sphinx._loud_frames(pcm, evidence.frames) & sphinx._phone_frames(analyzer._phone_loop(pcm), evidence.frames)
    assert evidence.speech_frames == int(both.sum())
