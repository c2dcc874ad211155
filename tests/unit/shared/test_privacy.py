"""Personal data outside the tables: the analytics record names users by keyed pseudonym and drops names, and
log lines have emails and names redacted wherever they appear."""

import json
import logging

import pytest
from speaktracker import logging as slog
from speaktracker.events import FeedbackSent, TutorMatch
from speaktracker.privacy import Pseudonyms, analytics_record, scrub_text

KEY = bytes(range(32))


def test_a_record_names_users_by_a_stable_keyed_pseudonym_and_drops_names_and_free_text():
    pseudonyms = Pseudonyms(KEY)
    event = TutorMatch(
        action="requested",
        requestId="req-1",
        studentEmail="Kim@Example.com",
        tutorEmail="park@example.com",
        studentName="김학생",
        tutorName="Park",
        message="I am Kim, kim@example.com",
        endedBy="park@example.com",
        reason="asked by kim@example.com",
    ).model_dump(mode="json", by_alias=True)
    record = analytics_record(event, pseudonyms)
    assert record["studentEmail"] == pseudonyms.of("kim@example.com") != record["tutorEmail"]
    assert record["studentEmail"].startswith("u_") and len(record["studentEmail"]) == 34
    assert Pseudonyms(bytes(32)).of("kim@example.com") != record["studentEmail"]  # another key, another name
    assert {"studentName", "tutorName", "message"}.isdisjoint(record)
    assert record["endedBy"] == record["tutorEmail"]  # a user named in a field not called *Email
    assert record["reason"] == "asked by [redacted]"
    assert (record["eventId"], record["type"], record["requestId"]) == (event["eventId"], "tutor_match", "req-1")
    text = json.dumps(record, ensure_ascii=False)
    assert "example.com" not in text and "김학생" not in text and "Park" not in text


def test_a_short_key_is_refused():
    with pytest.raises(ValueError):
        Pseudonyms(b"short")


def test_emails_plain_or_url_encoded_are_redacted_from_text():
    line = '"POST /api/tutors/park%40example.com/request HTTP/1.1" 200 - from kim.lee+1@school.ac.kr'
    assert scrub_text(line) == '"POST /api/tutors/[redacted]/request HTTP/1.1" 200 - from [redacted]'


def test_log_lines_carry_no_email_or_name_in_fields_messages_or_exceptions(capsys, bare_root_logger):
    slog.configure("INFO", "notifications")
    logger = slog.get_logger("notifications.test")
    with slog.log_context(userEmail="kim@example.com"):
        slog.log(logger, logging.INFO, "connected", connectionId="c-1", tutorEmail="park@example.com",
                 studentName="김학생")  # fmt: skip
        try:
            raise LookupError(f"no profile for {FeedbackSent.__name__} of lee@example.com")
        except LookupError:
            logger.exception("failed for %s", "lee@example.com")
    first, second = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert (first["userEmail"], first["tutorEmail"], first["studentName"]) == ("[redacted]",) * 3
    assert first["connectionId"] == "c-1" and first["message"] == "connected" and first["name"] == "notifications.test"
    assert second["message"] == "failed for [redacted]" and "LookupError" in second["exception"]
    assert "example.com" not in json.dumps([first, second]) and "김학생" not in json.dumps([first, second])
