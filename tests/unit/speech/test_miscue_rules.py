"""The miscue rules on hand-made evidence (no audio): which skipped words count as replaced, and where extra
speech goes. The grammars that produce such evidence are exercised on espeak-ng audio in test_assessment."""

from speaktracker.speech import assessment
from speaktracker.speech.adapters.sphinx import SUBSTITUTE_PHONES, SUBSTITUTE_PROBABILITY, _miscue_arcs
from speaktracker.speech.evidence import AcousticEvidence, PhoneEvidence, Span, SpokenWord
from speaktracker.speech.phonemes import PHONES as ARPABET

WORDS = ["where", "is", "the", "subway", "station"]
PHONES = [("W", "EH", "R"), ("IH", "Z"), ("DH", "AH"), ("S", "AH", "B", "W", "EY"), ("S", "T", "EY", "SH", "AH", "N")]
SPOKEN = [assessment._Spoken(i, w, p) for i, (w, p) in enumerate(zip(WORDS, PHONES))]


def said(start: int, end: int) -> SpokenWord:
    return SpokenWord(Span(start, end), (PhoneEvidence("AH", Span(start, end), -10.0),))


def evidence(extra: list[Span]) -> AcousticEvidence:
    # "subway" (index 3) skipped between "the" (ends at 50) and "station" (starts at 90).
    spoken = {0: said(0, 25), 1: said(25, 40), 2: said(40, 50), 4: said(90, 140)}
    return AcousticEvidence(frames=150, spoken=spoken, extra_speech=extra, speech_frames=120)


def test_speech_long_enough_to_hold_the_skipped_word_replaced_it():
    # "subway" has 5 phones: 15 frames at the model's minimum of three per phone.
    assert assessment._replaced_with_room(evidence([Span(55, 85)]), SPOKEN) == {3}
    assert assessment._replaced_with_room(evidence([Span(55, 70)]), SPOKEN) == {3}


def test_speech_too_short_for_the_word_may_be_the_word_said_too_fast():
    assert assessment._replaced_with_room(evidence([Span(55, 66)]), SPOKEN) == set()
    assert assessment._replaced_with_room(evidence([]), SPOKEN) == set()


def test_extra_speech_in_a_skipped_words_place_is_a_substitution_elsewhere_an_insertion():
    substituted, insertions = assessment._attribute_extra_speech(evidence([Span(55, 85)]), 5, {0: "bus"})
    assert substituted == {3: 0} and insertions == []
    # After the last word said: not in any skipped word's place, so an insertion ("subway" stays omitted).
    substituted, insertions = assessment._attribute_extra_speech(evidence([Span(141, 149)]), 5, {0: "please"})
    assert substituted == {} and [w.text for w in insertions] == ["please"]
    assert insertions[0].error_type == "insertion" and insertions[0].start == 1.41


def test_the_miscue_grammar_is_a_proper_distribution_from_every_state():
    arcs = _miscue_arcs(WORDS, said={0, 1, 2, 4})
    totals: dict[int, float] = {}
    for arc in arcs:
        totals[arc[0]] = totals.get(arc[0], 0.0) + arc[2]
    assert all(abs(total - 1.0) < 1e-9 for total in totals.values())
    # Said words are fixed; the skipped one is left out (a null arc) or replaced by free phones.
    assert (3, 4, 1.0 - SUBSTITUTE_PROBABILITY) in arcs
    assert {a[3] for a in arcs if a[0] == 3 and len(a) == 4} == {f"phoneloop_{p.lower()}" for p in SUBSTITUTE_PHONES}
    assert set(SUBSTITUTE_PHONES) <= set(ARPABET)
