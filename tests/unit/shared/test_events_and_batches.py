import json

import pytest
from speaktracker import catalogue
from speaktracker.events import KNOWN_TYPES, MalformedEvent, StudentStatusUpdate, TutorMatch, parse_event
from speaktracker.sqs import process_batch


def test_event_round_trip_uses_camel_case_and_keeps_identity():
    event = StudentStatusUpdate(studentEmail="s@x.co", tutorEmail="t@x.co", room="practice", isLearning=True)
    body = json.loads(event.to_json())
    assert body["type"] == "student_status_update" and body["version"] == 1
    assert body["studentEmail"] == "s@x.co" and body["isLearning"] is True and body["eventId"]
    assert parse_event(event.to_json()) == event


def test_unknown_event_types_are_ignored_not_failed():
    assert parse_event(json.dumps({"type": "something_new", "version": 3})) is None


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps([1]),
        json.dumps({"no": "type"}),
        json.dumps({"type": "tutor_match", "action": "approved"}),
    ],
)
def test_malformed_events_raise(body):
    with pytest.raises(MalformedEvent):
        parse_event(body)


def test_tutor_match_contract():
    event = parse_event(
        {
            "type": "tutor_match",
            "action": "requested",
            "studentEmail": "s@x.co",
            "tutorEmail": "t@x.co",
            "requestId": "r1",
            "extraField": "ignored",
        }
    )
    assert isinstance(event, TutorMatch) and event.request_id == "r1"


def lambda_event(*bodies):
    return {
        "Records": [
            {"messageId": f"m{i}", "receiptHandle": f"h{i}", "body": b, "attributes": {"ApproximateReceiveCount": "2"}}
            for i, b in enumerate(bodies)
        ]
    }


def test_partial_batch_reports_only_failures():
    seen = []

    def handle(message):
        seen.append((message.message_id, message.receive_count))
        if message.body == "bad":
            raise ValueError("poison")

    result = process_batch(lambda_event("ok", "bad", "ok"), handle)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert seen == [("m0", 2), ("m1", 2), ("m2", 2)]


def test_catalogue_is_self_consistent():
    contexts = {"identity", "matching", "practice", "conversation", "notifications"}
    names = [t.logical for t in catalogue.TABLES] + [q.logical for q in catalogue.QUEUES]
    assert len(names) == len(set(names))
    for table in catalogue.TABLES:
        assert table.owner in contexts | {"platform"}
        definitions = table.attribute_definitions()
        for index in table.indexes:
            assert index.hash_key.name in definitions
    for queue in catalogue.QUEUES:
        assert queue.consumer in contexts
        assert set(queue.subscribes_to) <= KNOWN_TYPES, queue.logical
    for access in catalogue.SERVICES:
        assert set(access.sends_to) <= {q.logical for q in catalogue.QUEUES}
        prefixes = catalogue.BUCKETS[0].prefixes
        assert set(access.bucket_prefixes) <= set(prefixes)
