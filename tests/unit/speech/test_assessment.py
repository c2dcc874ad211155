"""Assessments of espeak-ng readings: correct, with a word left out, with another word in its place."""

import json

import pytest

SENTENCE = "I like green apples very much."


@pytest.fixture(scope="module")
def correct(engine, speak):
    return engine.assessor.assess(speak(SENTENCE), SENTENCE)


def test_a_correct_reading_scores_high_with_every_word_said(correct):
    assert correct.overall_score >= 65
    assert correct.accuracy_score >= 65
    assert correct.completeness_score == 100
    assert correct.missed_words == [] and correct.extra_words == []
    assert [w.error_type for w in correct.words] == ["none"] * 6
    assert correct.transcribed_text == "I like green apples very much"
    assert correct.grade in "ABCD"


def test_words_and_phonemes_carry_scores_and_times_in_order(correct):
    starts = [w.start for w in correct.words]
    assert starts == sorted(starts)
    green = correct.words[2]
    assert [p.phoneme for p in green.phonemes] == ["G", "R", "IY", "N"]
    assert [p.ipa for p in green.phonemes] == ["ɡ", "ɹ", "i", "n"]
    assert all(0 <= p.score <= 100 and p.start < p.end for p in green.phonemes)


def test_a_word_left_out_is_reported_as_omitted(engine, speak, correct):
    result = engine.assessor.assess(speak("I like apples very much."), SENTENCE)
    assert result.missed_words == ["green"]
    assert result.words[2].error_type == "omission" and result.words[2].score == 0
    assert result.completeness_score < 100
    assert result.overall_score < correct.overall_score
    assert "'green'" in result.feedback.en and "'green'" in result.feedback.ko


def test_another_word_in_its_place_is_a_mispronunciation(engine, speak, correct):
    result = engine.assessor.assess(speak("I like purple apples very much."), SENTENCE)
    green = result.words[2]
    assert green.error_type == "mispronunciation"
    assert green.score < correct.words[2].score
    assert result.overall_score < correct.overall_score


def test_a_left_out_word_does_not_make_its_neighbours_look_mispronounced(engine, speak):
    # The aligner used to pin a missing word onto the next one: both then came out "mispronounced".
    sentence = "Where is the subway station?"
    result = engine.assessor.assess(speak("Where is the station?"), sentence)
    assert result.missed_words == ["subway"]
    assert [w.error_type for w in result.words] == ["none", "none", "none", "omission", "none"]
    assert result.transcribed_text == "Where is the station"


@pytest.mark.parametrize(
    "sentence, said, index",
    [
        ("Where is the subway station?", "Where is the bus station?", 3),
        # Slowed down for the fast-speech retry, "tennis" passes for "soccer": the retry must not rescue it.
        ("My brother plays soccer every weekend.", "My brother plays tennis every weekend.", 3),
    ],
)
def test_a_word_said_in_place_of_another_is_not_reported_as_left_out(engine, speak, sentence, said, index):
    result = engine.assessor.assess(speak(said), sentence)
    word = result.words[index]
    assert word.error_type == "mispronunciation" and word.score == 0
    assert result.missed_words == [] and result.extra_words == []
    assert word.text not in result.transcribed_text  # what was heard in its place, not the reference word
    before, after = sentence[:-1].split(word.text)
    assert result.transcribed_text.startswith(before.strip()) and result.transcribed_text.endswith(after.strip())


def test_numbers_and_contractions_in_the_reference(engine, speak):
    sentence = "I don't have 23 apples, it's fine."
    result = engine.assessor.assess(speak(sentence), sentence)
    assert [w.text for w in result.words] == ["I", "don't", "have", "23", "apples", "it's", "fine"]
    assert result.missed_words == []
    assert result.completeness_score == 100
    twenty_three = result.words[3]
    assert [p.phoneme for p in twenty_three.phonemes][:3] == ["T", "W", "EH"]  # "twenty three"


def test_json_uses_camel_case_and_accepts_snake_case(correct):
    payload = json.loads(correct.model_dump_json(by_alias=True))
    assert {
        "overallScore",
        "accuracyScore",
        "fluencyScore",
        "completenessScore",
        "prosodyScore",
        "missedWords",
        "extraWords",
        "transcribedText",
    } <= payload.keys()
    assert payload["words"][0]["errorType"] == "none"
    assert type(correct).model_validate(correct.model_dump()) == correct


def test_silence_gets_a_reason_not_a_score(engine):
    import numpy as np
    from speaktracker.speech.errors import AudioSilent

    from .conftest import wav_bytes

    with pytest.raises(AudioSilent):
        engine.assessor.assess(wav_bytes(np.zeros(32000)), SENTENCE)


@pytest.mark.parametrize(
    "said",
    [
        "My brother plays soccer every weekend.",
        "Where is the bus station?",
        "Could you tell me the way to the hospital?",
    ],
)
def test_another_sentence_read_in_its_place_scores_near_zero_and_its_words_get_no_credit(engine, speak, said):
    result = engine.assessor.assess(speak(said), SENTENCE)
    assert result.overall_score < 20
    reference = [w for w in result.words if w.error_type != "insertion"]
    assert all(w.error_type in ("omission", "mispronunciation") and w.score == 0 for w in reference)
    assert result.completeness_score < 20


def test_a_sound_heard_as_another_says_what_it_sounded_like_and_the_feedback_names_the_confusion(engine, speak):
    # "bear" read as "bill": the r comes out as an l.
    result = engine.assessor.assess(speak("We call it bill."), "We call it bear.")
    clean = engine.assessor.assess(speak("We call it bear."), "We call it bear.")
    bear = result.words[3]
    assert bear.score < clean.words[3].score
    r = bear.phonemes[-1]
    assert r.phoneme == "R" and r.sounded_like[0].phoneme == "L" and r.sounded_like[0].probability >= 90
    assert not clean.words[3].phonemes[-1].sounded_like
    assert "r을 l(ㄹ)처럼" in result.feedback.ko and "sounded like l" in result.feedback.en


def test_running_on_through_a_comma_is_a_missing_break(engine, speak):
    # espeak-ng pauses at a comma; read without it, the phrase break is missing.
    reference = "I like green apples, very much."
    paused = engine.assessor.assess(speak(reference), reference)
    ran_on = engine.assessor.assess(speak("I like green apples very much."), reference)
    assert paused.words[4].break_error is None
    assert ran_on.words[4].break_error == "missing_break"
    assert all(w.break_error is None for w in ran_on.words[:4])
