import pytest
from speaktracker.speech.errors import ReferenceTextError
from speaktracker.speech.numbers import cardinal, ordinal, year
from speaktracker.speech.phonemes import arpabet_from_ipa, ipa
from speaktracker.speech.text import reference_words


def spoken(sentence: str) -> list[str]:
    return [" ".join(w.spoken) for w in reference_words(sentence)]


def test_case_and_punctuation_are_dropped():
    assert spoken("How was your DAY, today?!") == ["how", "was", "your", "day", "today"]


def test_contractions_stay_one_word_with_a_straight_apostrophe():
    assert spoken("I’m sure it's fine, don't worry") == ["i'm", "sure", "it's", "fine", "don't", "worry"]


def test_numbers_are_said_as_words_but_shown_as_written():
    words = reference_words("I have 23 apples and 1,200 won in 1990, 3rd time, 12.5% and $5")
    assert [w.written for w in words][2] == "23"
    assert spoken("23 1,200 1990 3rd 12.5% $5 2005 the 1980s") == [
        "twenty three",
        "one thousand two hundred",
        "nineteen ninety",
        "third",
        "twelve point five percent",
        "five dollars",
        "two thousand five",
        "the",
        "nineteen eighties",
    ]


@pytest.mark.parametrize(
    ("n", "words"), [(0, "zero"), (15, "fifteen"), (101, "one hundred one"), (2_000_017, "two million seventeen")]
)
def test_cardinals(n, words):
    assert " ".join(cardinal(n)) == words


def test_ordinals_and_years():
    assert ordinal(21) == ["twenty", "first"] and ordinal(40) == ["fortieth"] and ordinal(12) == ["twelfth"]
    assert year(1905) == ["nineteen", "oh", "five"] and year(2024) == ["twenty", "twenty", "four"]


def test_a_sentence_without_words_is_refused():
    with pytest.raises(ReferenceTextError) as caught:
        reference_words(" ?! ... ")
    assert caught.value.code == "REFERENCE_TEXT_INVALID"


def test_espeak_ipa_maps_to_arpabet_and_back():
    assert arpabet_from_ipa("kˈɪmtʃiː") == ["K", "IH", "M", "CH", "IY"]
    assert arpabet_from_ipa("ɡˈaŋnɑːm") == ["G", "AE", "NG", "N", "AA", "M"]
    assert [ipa(p) for p in ("TH", "R", "AE")] == ["θ", "ɹ", "æ"]


def test_a_comma_or_dash_inside_the_sentence_ends_a_phrase():
    words = reference_words("Well, I think so - maybe; a well-known yes.")
    assert [w.phrase_ends for w in words] == [True, False, False, True, True, False, False, False, False]
