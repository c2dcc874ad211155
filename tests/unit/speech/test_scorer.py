"""The committed scorer: its files load, run on numpy alone, and give back the figures recorded when it was
trained (a regression guard on a fixed sample of real recordings, not a timing test)."""

from pathlib import Path

import numpy as np
import pytest
from speaktracker.speech.adapters.hama import FRAME_SECONDS, HamaPhoneRecognizer
from speaktracker.speech.audio import decode_recording
from speaktracker.speech.intonation import pitch_range
from speaktracker.speech.phone_evidence import phone_scoring
from speaktracker.speech.scorer import SENTENCE_TARGETS, packaged_metadata, packaged_scorer

DEV = Path(__file__).resolve().parents[3] / ".." / "shared" / "datasets" / "speechocean762-dev"


def test_the_model_files_load_with_every_level_and_a_calibration_for_each_output():
    scorer = packaged_scorer()
    assert set(scorer.sentence) == set(SENTENCE_TARGETS)
    assert set(scorer.calibration) == {"word", *SENTENCE_TARGETS}
    assert all(stretch > 0 for _, _, stretch in scorer.calibration.values())
    figures = packaged_metadata()["cross_validation"]
    assert figures["accuracy"]["n"] == 411 and figures["phone"]["speakers"] == 26


@pytest.mark.skipif(not (DEV / "scores.jsonl").exists(), reason="speechocean762 dev subset not present")
def test_the_committed_model_reproduces_its_recorded_scores_on_the_fixed_sample():
    expected = packaged_metadata()["regression_sample"]
    recognizer, scorer = HamaPhoneRecognizer(), packaged_scorer()
    assert len(expected) == 8
    for utt, recorded in expected.items():
        words = [tuple(w) for w in recorded["pronunciations"]]
        samples = decode_recording((DEV / "wav" / f"{utt}.wav").read_bytes()).samples
        scoring = phone_scoring(recognizer.log_posteriors(samples), words, FRAME_SECONDS)
        scores = scorer.score(scoring, pitch_range(samples))
        for target, value in recorded["sentence"].items():
            assert scores.sentence[target] == pytest.approx(value, abs=0.01), (utt, target)
        assert np.allclose(scores.words, recorded["words"], atol=0.01), utt
