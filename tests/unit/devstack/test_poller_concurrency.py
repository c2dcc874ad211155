"""The dev stack's pollers run each queue handler like an event source mapping with maximum concurrency:
several batches in flight at once, never more than configured, visibility timeouts as the queue's (or the
dev override), and partial batch failures still honoured per invocation."""

import threading
import time
import uuid

import pytest
from chalice import Chalice
from speaktracker_dev.poller import DEFAULT_CONCURRENCY, QueuePoller, queue_concurrency, start_pollers


def fresh_queue(sqs, visibility_timeout=30):
    name = f"concurrency-{uuid.uuid4().hex[:10]}"
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": str(visibility_timeout)})["QueueUrl"]
    return name, url


def send(sqs, url, count, prefix="job"):
    for start in range(0, count, 10):
        sqs.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "MessageBody": f"{prefix} {i}"} for i in range(start, min(count, start + 10))],
        )


class SlowHandler:
    """Records the most invocations it saw running at once; fails the messages whose body starts with fail."""

    def __init__(self, seconds=0.3):
        self.seconds, self.lock = seconds, threading.Lock()
        self.running = self.most_at_once = 0
        self.bodies = []

    def __call__(self, event, context):
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        time.sleep(self.seconds)
        with self.lock:
            self.running -= 1
            self.bodies += [r["body"] for r in event["Records"]]
        failed = [r["messageId"] for r in event["Records"] if r["body"].startswith("fail")]
        return {"batchItemFailures": [{"itemIdentifier": i} for i in failed]}


def app_polling(queue_name, handler, batch_size=2):
    app = Chalice("concurrency-test")
    app.on_sqs_message(queue=queue_name, batch_size=batch_size, name="work")(
        lambda event: handler(event.to_dict(), None)
    )
    return app


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition was not met in time"
        time.sleep(0.05)


def in_flight(sqs, url):
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


@pytest.mark.parametrize("setting,expected", [(None, DEFAULT_CONCURRENCY), ("1", 1), ("4", 4)])
def test_the_concurrency_setting_for_every_queue(setting, expected):
    assert queue_concurrency("speaktracker-dev-tts", setting) == expected


def test_a_queues_own_concurrency_wins_over_the_default():
    setting = "2,tts=5,ai-chat=1"
    assert queue_concurrency("speaktracker-dev-tts", setting) == 5
    assert queue_concurrency("speaktracker-dev-ai-chat", setting) == 1
    assert queue_concurrency("speaktracker-dev-ai-feedback", setting) == 2
    assert queue_concurrency("speaktracker-dev-notifications-events", "ai-feedback=4") == DEFAULT_CONCURRENCY


@pytest.mark.parametrize("setting", ["0", "tts=", "many", "tts=-1", "events=4"])
def test_a_bad_concurrency_setting_is_refused_with_the_variable_named(setting):
    with pytest.raises(ValueError, match="SPEAKTRACKER_DEV_QUEUE_CONCURRENCY"):
        queue_concurrency("speaktracker-dev-tts", setting)


@pytest.mark.parametrize("concurrency", [1, 3])
def test_batches_run_at_once_up_to_the_concurrency_and_never_beyond(emulator, concurrency):
    sqs = emulator.client("sqs")
    name, url = fresh_queue(sqs)
    send(sqs, url, 12)
    handler, stop = SlowHandler(), threading.Event()
    threads = start_pollers(
        app_polling(name, handler), sqs, stop, environ={"SPEAKTRACKER_DEV_QUEUE_CONCURRENCY": str(concurrency)}
    )
    try:
        assert len(threads) == concurrency
        wait_for(lambda: len(handler.bodies) == 12)
        wait_for(lambda: in_flight(sqs, url) == 0)
    finally:
        stop.set()
    assert sorted(handler.bodies) == sorted(f"job {i}" for i in range(12))
    assert handler.most_at_once == concurrency


def test_partial_failures_of_concurrent_batches_stay_on_the_queue_and_the_rest_are_deleted(emulator):
    sqs = emulator.client("sqs")
    name, url = fresh_queue(sqs)
    send(sqs, url, 6, prefix="ok")
    send(sqs, url, 2, prefix="fail")
    handler, stop = SlowHandler(seconds=0.1), threading.Event()
    start_pollers(app_polling(name, handler), sqs, stop, environ={"SPEAKTRACKER_DEV_QUEUE_CONCURRENCY": "3"})
    try:
        wait_for(lambda: handler.bodies.count("fail 0") >= 2 and handler.bodies.count("fail 1") >= 2)
    finally:
        stop.set()
    assert sorted(b for b in handler.bodies if b.startswith("ok")) == [f"ok {i}" for i in range(6)]


def test_receives_use_the_queues_visibility_timeout_or_the_dev_override(emulator):
    sqs = emulator.client("sqs")
    _, url = fresh_queue(sqs, visibility_timeout=45)
    assert QueuePoller(sqs, url, SlowHandler(), batch_size=1).visibility_timeout == 45
    assert QueuePoller(sqs, url, SlowHandler(), batch_size=1, visibility_timeout=5).visibility_timeout == 5


def test_a_message_whose_receiver_never_answers_comes_back_after_the_visibility_timeout(emulator):
    """What a killed host leaves behind: received, never deleted; another poller gets it once it is visible."""
    sqs = emulator.client("sqs")
    _, url = fresh_queue(sqs, visibility_timeout=60)
    send(sqs, url, 1)
    assert sqs.receive_message(QueueUrl=url, VisibilityTimeout=2)["Messages"]  # the receiver then dies
    handler = SlowHandler(seconds=0)
    poller = QueuePoller(sqs, url, handler, batch_size=1, wait_seconds=0, visibility_timeout=2)
    assert poller.poll_once().received == 0
    wait_for(lambda: poller.poll_once().deleted == 1, timeout=10)
    assert handler.bodies == ["job 0"] and in_flight(sqs, url) == 0


def test_an_invocation_that_outlives_the_visibility_timeout_deletes_nothing(emulator):
    """Like a Lambda function running past its timeout: the batch may already be with another invocation."""
    sqs = emulator.client("sqs")
    _, url = fresh_queue(sqs)
    send(sqs, url, 2)
    handler = SlowHandler(seconds=1.2)
    result = QueuePoller(sqs, url, handler, batch_size=2, visibility_timeout=1).poll_once()
    assert (result.received, result.deleted, result.failed) == (2, 0, 2)
    assert in_flight(sqs, url) == 2
