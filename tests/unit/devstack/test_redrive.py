"""``make redrive QUEUE=<name>`` on the emulator: a poison message reaches the dead-letter queue after the
queue's maxReceiveCount, is moved back once the consumer is fixed, and is processed exactly once."""

import json
import time
import uuid

from redrive import main, redrive
from speaktracker import catalogue
from speaktracker.sqs import process_batch
from speaktracker_dev.poller import QueuePoller

QUEUE = "notifications-events"


class Consumer:
    """A consumer with a bug: an event of a type it should know (``feedback_v2``) makes it fail, until fixed.
    It records each event id it processed."""

    def __init__(self):
        self.fixed = False
        self.processed: list[str] = []

    def __call__(self, event, context):
        return process_batch(event, self._handle)

    def _handle(self, message):
        body = json.loads(message.body)
        if body["type"] == "feedback_v2" and not self.fixed:
            raise ValueError("feedback_v2 is not understood yet")
        self.processed.append(body["eventId"])


def _count(sqs, url):
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def _in_queue(sqs, url, marker):
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0, WaitTimeSeconds=0).get(
        "Messages", []
    )
    return [m for m in messages if marker in m["Body"]]


def _poll_until(poller, condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition was not met in time"
        poller.poll_once()


def test_a_poison_message_is_dead_lettered_then_redriven_after_the_fix_and_processed_once(emulator):
    sqs = emulator.client("sqs")
    url = sqs.get_queue_url(QueueName=emulator.settings.name(QUEUE))["QueueUrl"]
    dead_letters = sqs.get_queue_url(QueueName=emulator.settings.name(f"{QUEUE}-dlq"))["QueueUrl"]
    poison, healthy = f"poison-{uuid.uuid4().hex}", f"healthy-{uuid.uuid4().hex}"
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"type": "feedback_v2", "eventId": poison}))
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"type": "feedback", "eventId": healthy}))
    consumer = Consumer()
    poller = QueuePoller(sqs, url, consumer, batch_size=10, retry_after_seconds=0)

    # Redrive policy of the catalogue: after maxReceiveCount failed deliveries the queue gives it up.
    _poll_until(poller, lambda: _in_queue(sqs, dead_letters, poison))
    assert consumer.processed.count(healthy) == 1 and poison not in consumer.processed
    assert _count(sqs, url) == 0
    assert catalogue.queue(QUEUE).max_receive_count == 5

    consumer.fixed = True
    result = redrive(sqs, url)  # moto has no StartMessageMoveTask: moved in batches
    assert result.task_handle is None and result.moved >= 1
    assert not _in_queue(sqs, dead_letters, poison)
    _poll_until(poller, lambda: poison in consumer.processed)
    poller.poll_once()
    assert consumer.processed.count(poison) == 1
    assert _count(sqs, url) == 0

    # Idempotent: nothing is left to move, nothing is delivered again.
    assert redrive(sqs, url).moved == 0
    poller.poll_once()
    assert consumer.processed.count(poison) == 1


def test_the_command_takes_a_logical_queue_name(emulator, capsys):
    sqs = emulator.client("sqs")
    dead_letters = sqs.get_queue_url(QueueName=emulator.settings.name("tts-dlq"))["QueueUrl"]
    url = sqs.get_queue_url(QueueName=emulator.settings.name("tts"))["QueueUrl"]
    marker = uuid.uuid4().hex
    sqs.send_message(QueueUrl=dead_letters, MessageBody=marker)
    main(["tts"])
    assert "moved 1 message(s)" in capsys.readouterr().out
    assert _in_queue(sqs, url, marker)
    assert not _in_queue(sqs, dead_letters, marker)
