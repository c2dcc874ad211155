import unicodedata

import pytest
from chalicelib import domain
from chalicelib.domain import MatchRequest, Student, Tutor
from speaktracker.errors import Conflict, Invalid


def test_names_are_searched_composed_case_folded_and_single_spaced():
    decomposed = unicodedata.normalize("NFD", "김튜터")
    assert decomposed != "김튜터"
    assert domain.normalise_name(decomposed) == "김튜터"
    assert domain.normalise_name("  John   SMITH ") == "john smith"
    assert domain.normalise_name("Straße") == "strasse"


def test_a_name_key_sorts_by_name_and_keeps_equal_names_apart():
    first, second = domain.name_key("Kim", "a@x.com"), domain.name_key("kim", "b@x.com")
    assert first < second and first != second
    assert domain.name_key("김튜터", "kim@tutor.com").startswith(domain.search_prefix("김"))
    assert domain.name_key("John Smith", "j@x.com").startswith(domain.search_prefix("JOHN s"))


def test_later_words_of_a_name_are_search_keys_too():
    assert domain.search_keys("John  Smith", "j@x.com") == ["john smith#j@x.com", "smith#j@x.com"]
    assert domain.search_keys("김튜터", "k@x.com") == ["김튜터#k@x.com"]
    assert len(domain.search_keys("a b c d e f g", "a@x.com")) == 1 + domain.MAX_SEARCH_WORDS


@pytest.mark.parametrize(
    "prefix, position", [("", 0), ("sam", 0), ("s", 0), ("smi", 1), ("smith sm", 1), ("smithson", 2), ("x", None)]
)
def test_the_first_matching_key_finds_a_tutor(prefix, position):
    assert domain.finding_key("Sam Smith Smithson", "s@x.com", prefix) == position


def test_a_new_name_is_a_new_revision():
    tutor = Tutor("t@x.com", "Old", intro="hi", revision=3)
    assert tutor.renamed("New", None) == Tutor("t@x.com", "New", intro="hi", revision=4)
    assert tutor.renamed("New", "bye").intro == "bye"


def test_a_hash_in_a_name_cannot_reach_into_the_email_part():
    assert domain.normalise_name("A#B") == "a b"
    assert not domain.name_key("Ann", "ann@x.com").startswith(domain.search_prefix("ann#ann"))


def test_an_open_tutor_accepts_and_has_a_free_seat():
    assert Tutor("t@x.com", "T", max_students=2, student_count=1).is_open
    assert not Tutor("t@x.com", "T", max_students=2, student_count=2).is_open
    assert not Tutor("t@x.com", "T", is_accepting=False).is_open


@pytest.mark.parametrize(
    "tutor, code",
    [
        (Tutor("t@x.com", "T", is_accepting=False), "TUTOR_NOT_ACCEPTING"),
        (Tutor("t@x.com", "T", max_students=1, student_count=1), "TUTOR_FULL"),
    ],
)
def test_a_closed_tutor_takes_no_requests(tutor, code):
    with pytest.raises(Conflict) as caught:
        tutor.ensure_takes_requests()
    assert caught.value.code == code


def test_a_tutor_has_at_most_max_students_students():
    tutor = Tutor("t@x.com", "T", max_students=2, student_count=1, revision=4)
    full = tutor.with_student_added()
    assert (full.student_count, full.revision, full.is_open) == (2, 5, False)
    with pytest.raises(Conflict) as caught:
        full.with_student_added()
    assert caught.value.code == "TUTOR_FULL"
    assert full.with_student_removed().is_open
    assert Tutor("t@x.com", "T").with_student_removed().student_count == 0


def test_max_students_cannot_drop_below_the_students_taught():
    tutor = Tutor("t@x.com", "T", max_students=5, student_count=3)
    with pytest.raises(Conflict) as caught:
        tutor.with_settings(None, 2, None)
    assert caught.value.code == "MAX_BELOW_STUDENT_COUNT" and caught.value.details == {"studentCount": 3}
    assert tutor.with_settings(False, 3, "hi") == Tutor("t@x.com", "T", "hi", False, 3, 3, 1)
    with pytest.raises(Invalid):
        tutor.with_settings(None, domain.MAX_STUDENTS_LIMIT + 1, None)


def test_a_student_learns_with_one_tutor_at_a_time():
    Student("s@x.com").ensure_has_no_tutor()
    with pytest.raises(Conflict) as caught:
        Student("s@x.com", tutor_email="t@x.com").ensure_has_no_tutor()
    assert caught.value.code == "ALREADY_HAS_TUTOR"


def test_only_a_pending_request_can_be_decided():
    request = MatchRequest("r", "s@x.com", "t@x.com", "PENDING", "hi", "2026-01-01T00:00:00.000Z")
    rejected = request.decided("REJECTED", "2026-01-02T00:00:00.000Z", "full")
    assert (rejected.status, rejected.reason, rejected.tutor_email_status) == ("REJECTED", "full", "t@x.com#REJECTED")
    with pytest.raises(Conflict) as caught:
        rejected.decided("APPROVED", "2026-01-03T00:00:00.000Z")
    assert caught.value.code == "REQUEST_NOT_PENDING" and caught.value.details == {"status": "REJECTED"}


@pytest.mark.parametrize("reason, code", [("   ", "REASON_REQUIRED"), ("x" * 501, "REASON_TOO_LONG")])
def test_a_rejection_needs_a_short_reason(reason, code):
    with pytest.raises(Invalid) as caught:
        domain.check_reason(reason)
    assert caught.value.code == code


def test_request_ids_are_uuids_and_guards_are_not_requests():
    assert domain.is_request_id("0b8f3c1e-4a51-4c7e-9d0a-2f6b8f1e9a77")
    assert not domain.is_request_id(domain.pair_guard_id("s@x.com", "t@x.com"))
    assert not domain.is_request_id("x" * 3000)


@pytest.mark.parametrize("raw", ["nope", "a@b", "a b@c.d", "STUDENT#x@y.z", "x" * 250 + "@b.co"])
def test_bad_emails(raw):
    with pytest.raises(Invalid):
        domain.normalise_email(raw)
