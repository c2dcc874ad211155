"""The analytics delivery stream's transformation Lambda on Firehose-shaped invocations: each record answered by
its recordId, events pseudonymised as the dev stack's sink does, what is not an event failed (Firehose keeps it
under errors/), blank records dropped, unknown types kept."""

import json

from speaktracker.analytics_archive import firehose_handler, transform_firehose_records
from speaktracker.events import UserRegistered
from speaktracker.privacy import Pseudonyms, platform_pseudonyms
from speaktracker_dev.analytics_sink import LocalEventArchive, archive_handler
from support.firehose import invocation, line_of, record_of, tutor_request
from support.platform_secret import TEST_PLATFORM_SECRET

PSEUDONYMS = Pseudonyms(bytes(range(32)))


JOINED = UserRegistered(email="Kim@Example.com", name="김학생", role="student", occurredAt="2026-12-01T23:59:00Z")
MATCHED = tutor_request()


def test_a_mixed_batch_is_answered_record_by_record():
    future = json.dumps({"type": "badge_earned", "eventId": "e-9", "occurredAt": "2026-12-02T00:00:00Z"})
    sent = invocation(
        JOINED.to_json(),
        "not json",
        future,
        json.dumps({"type": "x"}),  # JSON, but no event: no id, no time
        json.dumps(["a", "list"]),
        b"\xff\xfe not text",
        "  \n",
        MATCHED,
    )
    answer = transform_firehose_records(sent, PSEUDONYMS)
    records = answer["records"]
    assert [r["recordId"] for r in records] == [r["recordId"] for r in sent["records"]]
    assert [r["result"] for r in records] == [
        "Ok",
        "ProcessingFailed",
        "Ok",
        "ProcessingFailed",
        "ProcessingFailed",
        "ProcessingFailed",
        "Dropped",
        "Ok",
    ]
    # A failed record goes to Firehose's error prefix as it came: nothing is lost, nothing is rewritten.
    for got, given in zip(records, sent["records"], strict=True):
        if got["result"] != "Ok":
            assert got["data"] == given["data"]

    joined = record_of(records[0])
    assert joined["email"] == PSEUDONYMS.of("kim@example.com") and "name" not in joined
    assert joined["type"] == "user_registered" and joined["occurredAt"] == "2026-12-01T23:59:00Z"
    assert record_of(records[2]) == json.loads(future)  # a type this version does not know is kept as it is
    matched = record_of(records[7])
    assert matched["studentEmail"] == PSEUDONYMS.of("kim@example.com") != matched["tutorEmail"]
    assert matched["tutorEmail"] == PSEUDONYMS.of("choi@example.com")
    assert not {"studentName", "tutorName", "message"} & set(matched)
    every_line = "".join(line_of(r) for r in records if r["result"] == "Ok")
    assert "example.com" not in every_line.lower() and "김학생" not in every_line and "Choi" not in every_line


def test_each_record_is_the_dev_stacks_archived_line_for_the_same_key(tmp_path):
    archive = LocalEventArchive(tmp_path, PSEUDONYMS)
    archive_handler(archive)({"Records": [{"messageId": "m1", "body": MATCHED}]})
    [dev_line] = (tmp_path / "events/type=tutor_match").glob("dt=*/events.json")
    [answer] = transform_firehose_records(invocation(MATCHED), PSEUDONYMS)["records"]
    assert line_of(answer) == dev_line.read_text().rstrip("\n")


def test_an_event_whose_day_firehose_would_file_elsewhere_is_failed_not_misfiled():
    # Firehose partitions by occurredAt's first ten characters, the dev stack by the date it parses: ISO 8601's
    # basic format parses but would make Firehose's partition "dt=20261202T0", so neither archives it.
    for occurred_at, result in (("20261202T010000Z", "ProcessingFailed"), ("2026-12-02T01:00:00+09:00", "Ok")):
        event = json.dumps({"type": "feedback", "eventId": "e-1", "occurredAt": occurred_at})
        [answer] = transform_firehose_records(invocation(event), PSEUDONYMS)["records"]
        assert answer["result"] == result, occurred_at


def test_the_handler_names_users_under_the_platform_secrets_analytics_subkey():
    # Unit tests set SPEAKTRACKER_PLATFORM_SECRET (tests/unit/conftest.py); in AWS it is read by ARN.
    [answer] = firehose_handler(invocation(JOINED.to_json()), None)["records"]
    expected = platform_pseudonyms(TEST_PLATFORM_SECRET).of("kim@example.com")
    assert answer["result"] == "Ok" and record_of(answer)["email"] == expected
    assert expected != PSEUDONYMS.of("kim@example.com")
