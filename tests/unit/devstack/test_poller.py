import json
import time
import uuid

import pytest
from chalice import Chalice
from speaktracker import catalogue
from speaktracker.sqs import process_batch
from speaktracker_dev.poller import QueuePoller, sqs_subscriptions


class RecordingHandler:
    """A Lambda handler that records each batch and fails the messages whose body says so."""

    def __init__(self, raise_always=False):
        self.batches = []
        self.raise_always = raise_always

    def __call__(self, event, context):
        self.batches.append(event["Records"])
        if self.raise_always:
            raise RuntimeError("the handler broke")
        failed = [r["messageId"] for r in event["Records"] if r["body"].startswith("fail")]
        return {"batchItemFailures": [{"itemIdentifier": i} for i in failed]}

    @property
    def bodies(self):
        return [r["body"] for batch in self.batches for r in batch]


def fresh_queue(sqs):
    return sqs.create_queue(QueueName=f"poller-{uuid.uuid4().hex[:10]}")["QueueUrl"]


def send(sqs, url, *bodies):
    for body in bodies:
        sqs.send_message(QueueUrl=url, MessageBody=body)


def poll_until(poller, condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition was not met in time"
        poller.poll_once()


def visible_and_in_flight(sqs, url):
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]), int(attributes["ApproximateNumberOfMessagesNotVisible"])


def test_batches_never_exceed_the_handlers_batch_size(emulator):
    sqs = emulator.client("sqs")
    url = fresh_queue(sqs)
    send(sqs, url, *[f"message {i}" for i in range(7)])
    handler = RecordingHandler()
    poller = QueuePoller(sqs, url, handler, batch_size=3)
    poll_until(poller, lambda: len(handler.bodies) == 7)
    assert all(1 <= len(batch) <= 3 for batch in handler.batches)
    assert len(handler.batches[0]) == 3
    assert visible_and_in_flight(sqs, url) == (0, 0)


def test_a_batch_larger_than_ten_takes_several_receives(emulator):
    sqs = emulator.client("sqs")
    url = fresh_queue(sqs)
    send(sqs, url, *[f"message {i}" for i in range(13)])
    handler = RecordingHandler()
    result = QueuePoller(sqs, url, handler, batch_size=12).poll_once()
    assert result.received == 12 and len(handler.batches) == 1 and len(handler.batches[0]) == 12


def test_only_the_successful_messages_are_deleted(emulator):
    sqs = emulator.client("sqs")
    url = fresh_queue(sqs)
    send(sqs, url, "ok 1", "fail 2", "ok 3")
    handler = RecordingHandler()
    poller = QueuePoller(sqs, url, handler, batch_size=10, retry_after_seconds=0)
    poll_until(poller, lambda: handler.bodies.count("fail 2") == 2)
    assert sorted(handler.bodies) == ["fail 2", "fail 2", "ok 1", "ok 3"]
    again = [r for r in handler.batches[-1] if r["body"] == "fail 2"][0]
    assert again["attributes"]["ApproximateReceiveCount"] == "2"


def test_a_raising_handler_leaves_the_whole_batch_on_the_queue(emulator):
    sqs = emulator.client("sqs")
    url = fresh_queue(sqs)
    send(sqs, url, "a", "b")
    handler = RecordingHandler(raise_always=True)
    result = QueuePoller(sqs, url, handler, batch_size=10, retry_after_seconds=30).poll_once()
    assert (result.received, result.deleted, result.failed) == (2, 0, 2)
    assert visible_and_in_flight(sqs, url) == (0, 2)


def test_an_unknown_failure_id_fails_the_whole_batch_as_lambda_does(emulator):
    sqs = emulator.client("sqs")
    url = fresh_queue(sqs)
    send(sqs, url, "a", "b")
    poller = QueuePoller(
        sqs,
        url,
        lambda event, context: {"batchItemFailures": [{"itemIdentifier": "nope"}]},
        batch_size=10,
        retry_after_seconds=30,
    )
    assert poller.poll_once().deleted == 0
    assert visible_and_in_flight(sqs, url) == (0, 2)


def test_a_message_whose_handler_raises_reaches_the_dlq_after_max_receive_count(emulator):
    sqs = emulator.client("sqs")
    queue = catalogue.queue("tts")
    url, dlq_url = emulator.outputs["queue_urls"]["tts"], emulator.outputs["dead_letter_queue_urls"]["tts"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"jobId": "poison"}))
    handler = RecordingHandler(raise_always=True)
    poller = QueuePoller(sqs, url, handler, batch_size=queue.batch_size)  # the dev stack's 1 s retry delay
    dead = []

    def in_dlq():
        dead.extend(sqs.receive_message(QueueUrl=dlq_url, WaitTimeSeconds=0).get("Messages", []))
        return bool(dead)

    started = time.monotonic()
    poll_until(poller, in_dlq, timeout=20)
    assert [r["attributes"]["ApproximateReceiveCount"] for b in handler.batches for r in b] == [
        str(n) for n in range(1, queue.max_receive_count + 1)
    ]
    assert json.loads(dead[0]["Body"]) == {"jobId": "poison"}
    assert time.monotonic() - started < 10  # seconds, not the queue's 120 s visibility timeout
    assert visible_and_in_flight(sqs, url) == (0, 0)


def test_a_chalice_handler_sees_a_lambda_shaped_event_from_the_topic(emulator):
    """Published event -> filtered subscription -> queue -> poller -> @app.on_sqs_message -> process_batch."""
    sqs, sns = emulator.client("sqs"), emulator.client("sns")
    queue_name = emulator.settings.name("notifications-events")
    app = Chalice("poller-test")
    seen = []

    @app.on_sqs_message(queue=queue_name, batch_size=2)
    def deliver_events(event):
        seen.extend(event.to_dict()["Records"])
        return process_batch(event, lambda message: None)

    [subscription] = sqs_subscriptions(app)
    assert (subscription.queue_name, subscription.batch_size) == (queue_name, 2)
    sns.publish(
        TopicArn=emulator.outputs["events_topic_arn"],
        Message=json.dumps({"type": "tutor_match"}),
        MessageAttributes={"type": {"DataType": "String", "StringValue": "tutor_match"}},
    )
    url = emulator.outputs["queue_urls"]["notifications-events"]
    poller = QueuePoller(sqs, url, subscription.handler, subscription.batch_size)
    poll_until(poller, lambda: bool(seen))
    [record] = seen
    assert json.loads(record["body"]) == {"type": "tutor_match"}
    assert record["messageAttributes"]["type"] == {
        "dataType": "String",
        "stringValue": "tutor_match",
        "stringListValues": [],
        "binaryListValues": [],
    }
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["eventSource"] == "aws:sqs" and record["awsRegion"] == emulator.settings.region
    assert record["eventSourceARN"].endswith(f":{queue_name}") and record["receiptHandle"]
    assert visible_and_in_flight(sqs, url) == (0, 0)


@pytest.mark.parametrize("returned", [None, {"batchItemFailures": []}])
def test_a_handler_that_returns_nothing_in_particular_succeeds(emulator, returned):
    sqs = emulator.client("sqs")
    url = fresh_queue(sqs)
    send(sqs, url, "a")
    assert QueuePoller(sqs, url, lambda event, context: returned, batch_size=1).poll_once().deleted == 1
