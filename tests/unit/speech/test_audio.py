"""Every accepted format decodes to the same 16 kHz mono speech; unusable recordings are refused with a reason."""

import numpy as np
import pytest
from speaktracker.speech.audio import SAMPLE_RATE, decode_recording, encode_recording
from speaktracker.speech.errors import AudioError
from speaktracker.speech.quality import check_recording

from .conftest import wav_bytes

SENTENCE = "How was your day today?"


@pytest.fixture(scope="module")
def reading(speak):
    return decode_recording(speak(SENTENCE))


def test_wav_from_espeak_is_resampled_to_16k_mono(reading):
    assert reading.samples.dtype == np.int16
    assert 1.0 < reading.duration < 3.0
    check_recording(reading)


@pytest.mark.parametrize(("container", "codec"), [("webm", "libopus"), ("ogg", "libopus"), ("mp3", "libmp3lame")])
def test_browser_formats_decode_to_the_same_length(reading, container, codec):
    encoded = encode_recording(reading, container, codec)
    decoded = decode_recording(encoded)
    assert abs(decoded.duration - reading.duration) < 0.08
    check_recording(decoded)


@pytest.mark.parametrize(("container", "codec"), [("webm", "libopus"), ("ogg", "libopus")])
def test_opus_recordings_are_assessed_like_wav(engine, reading, container, codec):
    result = engine.assessor.assess(encode_recording(reading, container, codec), SENTENCE, f"audio/{container}")
    assert result.completeness_score == 100
    assert result.missed_words == []


def _code(data: bytes) -> str:
    with pytest.raises(AudioError) as caught:
        check_recording(decode_recording(data))
    assert caught.value.message
    return caught.value.code


def test_empty_and_undecodable():
    assert _code(b"") == "AUDIO_EMPTY"
    assert _code(b"not audio at all" * 64) == "AUDIO_UNDECODABLE"
    assert _code(wav_bytes(np.zeros(0))) in ("AUDIO_EMPTY", "AUDIO_UNDECODABLE")


def test_too_short_and_too_long():
    assert _code(wav_bytes(np.full(1600, 1000))) == "AUDIO_TOO_SHORT"
    assert _code(wav_bytes(np.zeros(31 * SAMPLE_RATE))) == "AUDIO_TOO_LONG"


def test_silence_is_refused():
    assert _code(wav_bytes(np.zeros(2 * SAMPLE_RATE))) == "AUDIO_SILENT"
    faint = np.random.default_rng(1).normal(0, 5, 2 * SAMPLE_RATE)
    assert _code(wav_bytes(faint)) == "AUDIO_SILENT"


def test_noise_is_refused():
    noise = np.random.default_rng(2).normal(0, 3000, 2 * SAMPLE_RATE)
    assert _code(wav_bytes(noise)) == "AUDIO_NO_SPEECH"


def test_clipped_recording_is_refused(reading):
    assert _code(wav_bytes(reading.samples.astype(np.float64) * 40)) == "AUDIO_CLIPPED"


def test_audio_errors_are_value_errors_with_codes():
    with pytest.raises(ValueError):
        decode_recording(b"")


def test_espeak_word_times_only_when_asked(engine):
    """The alignment behind word timings is most of a synthesis's CPU; the products do not use it."""
    plain = engine.synthesizer.synthesize("How was your day")
    timed = engine.synthesizer.synthesize("How was your day", word_times=True)
    assert plain.words == [] and plain.audio == timed.audio and plain.duration == timed.duration > 0.5
    assert [w.text for w in timed.words] == ["How", "was", "your", "day"]
    assert all(0 <= w.start < w.end <= timed.duration for w in timed.words)


def test_espeak_loads_its_aligner_only_for_the_first_synthesis_that_asks_for_word_times(engine):
    from speaktracker.speech.adapters.espeak import EspeakSynthesizer
    from speaktracker.speech.adapters.sphinx import SphinxAnalyzer
    from speaktracker.speech.factory import _local_engine

    made = []

    def aligner():
        made.append(SphinxAnalyzer())
        return made[-1]

    synthesizer = EspeakSynthesizer(aligner, _local_engine().synthesizer._lexicon)
    assert synthesizer.synthesize("Good morning").words == [] and made == []
    assert [w.text for w in synthesizer.synthesize("Good morning", word_times=True).words] == ["Good", "morning"]
    synthesizer.synthesize("Good night", word_times=True)
    assert len(made) == 1
