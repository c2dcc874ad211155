"""The end report says only what the turns can support: the CEFR estimate is bounded by the evidence, the
next focus names sounds as IPA with a Korean tip, and the success condition reads as a goal still to reach."""

from chalicelib.domain.conversation import Turn
from chalicelib.domain.report import end_report
from chalicelib.domain.scenarios import Catalogue

SCENARIO = Catalogue.load().all()[0]


def _scenario():
    return SCENARIO


def _turns(*texts, accuracy=95.0, fluency=95.0, sounds=({"phoneme": "ER", "ipa": "ɝ", "score": 40.0},)):
    turns = [Turn("c", 0, "Hi!", "안녕!", "t")]
    for i, text in enumerate(texts, start=1):
        pronunciation = {
            "overallScore": accuracy,
            "accuracyScore": accuracy,
            "fluencyScore": fluency,
            "words": [],
            "weakestSounds": list(sounds),
        }
        turns.append(
            Turn(
                "c",
                i,
                "Okay.",
                "좋아요.",
                "t",
                heard_text=text,
                feedback={"corrections": [], "betterPhrasing": None, "newWords": [], "pronunciation": pronunciation},
            )
        )
    return turns


def test_a_two_turn_beginner_chat_cannot_earn_a_high_band_or_a_grammar_of_100():
    report = end_report(_scenario(), _turns("I want coffee.", "Yes, hot please."), "student")
    assert report["cefr"]["band"] in ("A1", "A2") and report["cefr"]["isEstimate"] is True
    assert report["cefr"]["evidence"] == {"words": 6, "turns": 2, "meanSentenceWords": 3.0}
    assert 50.0 < report["scores"]["grammar"] < 70.0  # no corrections, but six words are little evidence


def test_a_long_fluent_conversation_can_reach_a_higher_band():
    sentence = "I usually take the subway to work because it is faster than the bus and I can read on the way."
    report = end_report(_scenario(), _turns(*[sentence] * 6), "student")
    assert report["scores"]["grammar"] == 100.0
    assert report["cefr"]["band"] in ("B2", "C1")


def test_the_band_is_never_above_what_the_weakest_sub_score_supports():
    sentence = "I usually take the subway to work because it is faster than the bus and I can read on the way."
    report = end_report(_scenario(), _turns(*[sentence] * 6, accuracy=30.0), "student")
    assert report["cefr"]["band"] in ("A1", "A2")


def test_the_cefr_note_is_korean_and_english_in_separate_fields():
    cefr = end_report(_scenario(), _turns("I want coffee."), "student")["cefr"]
    assert "note" not in cefr and "/" not in cefr["noteKo"]
    assert all(not ("a" <= c.lower() <= "z") for c in cefr["noteKo"])
    assert cefr["noteEn"].startswith("An estimate")


def test_the_next_focus_shows_the_weakest_sound_as_ipa_with_a_korean_tip_never_arpabet():
    focus = end_report(_scenario(), _turns("I want coffee.", "Yes please.", accuracy=40.0), "student")["nextFocus"]
    assert focus["area"] == "accuracy"
    assert "/ɝ/" in focus["ko"] and "/ɝ/" in focus["en"] and "bird" in focus["ko"]
    assert "ER" not in focus["ko"] and "ER" not in focus["en"] and "혀" in focus["ko"]


def test_the_success_condition_reads_as_the_goal_still_to_reach():
    scenario = _scenario()
    report = end_report(scenario, _turns("Hello."), "student")
    assert report["success"] is False
    assert report["nextStep"]["ko"].endswith(f"아직 달성하지 못한 성공 조건: {scenario.success.ko}")
    assert "still to reach" in report["nextStep"]["en"]


def test_the_report_fits_the_routes_answer_model_field_for_field():
    from chalicelib.routes import ReportOut

    report = end_report(_scenario(), _turns("I want coffee.", "Yes please.", accuracy=40.0), "student")
    assert ReportOut.model_validate(report).model_dump(by_alias=True) == report
