"""The embedded emulator's fix to moto: a queue's attributes read per key. SQS still behaves as SQS (FIFO
content-based deduplication, standard queues, GetQueueAttributes), and a send no longer looks at every message
already in the queue."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError
from moto.sqs.models import Message, Queue
from speaktracker_dev.moto_fixes import read_queue_attributes_per_key


def _queue(sqs, fifo: bool = False, content_dedup: bool = False) -> str:
    name = f"fix-{uuid.uuid4().hex[:10]}" + (".fifo" if fifo else "")
    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": str(content_dedup).lower()} if fifo else {}
    return sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]


def _drain(sqs, url: str) -> list[str]:
    bodies = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        if not got:
            return bodies
        bodies += [m["Body"] for m in got]
        sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)]
        )


def test_fifo_content_based_deduplication_still_drops_a_repeated_body(emulator):
    sqs = emulator.client("sqs")
    url = _queue(sqs, fifo=True, content_dedup=True)
    for body in ("same", "same", "other"):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g")
    assert _drain(sqs, url) == ["same", "other"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ContentBasedDeduplication"] == "true"
    assert attributes["FifoQueue"] == "true"


def test_fifo_without_content_deduplication_still_needs_a_deduplication_id(emulator):
    sqs = emulator.client("sqs")
    url = _queue(sqs, fifo=True, content_dedup=False)
    with pytest.raises(ClientError) as refused:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
    assert "ContentBasedDeduplication" in refused.value.response["Error"]["Message"]
    for body in ("a", "b"):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g", MessageDeduplicationId="one")
    assert _drain(sqs, url) == ["a"]
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ContentBasedDeduplication"])["Attributes"] == {
        "ContentBasedDeduplication": "false"
    }


def test_standard_queue_keeps_every_message_and_counts_them(emulator):
    sqs = emulator.client("sqs")
    url = _queue(sqs)
    for _ in range(3):
        sqs.send_message(QueueUrl=url, MessageBody="same")
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "3"
    assert "ContentBasedDeduplication" not in attributes and "FifoQueue" not in attributes
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"] == {
        "ApproximateNumberOfMessages": "3"
    }
    assert _drain(sqs, url) == ["same"] * 3


@pytest.fixture
def message_reads(monkeypatch):
    """How many times moto looks at a message's visibility: the work a scan of the queue does."""
    reads = {"n": 0}
    visible = Message.visible

    def counted(message):
        reads["n"] += 1
        return visible.fget(message)

    monkeypatch.setattr(Message, "visible", property(counted))
    return reads


@pytest.mark.parametrize("fifo", [False, True])
def test_a_send_does_not_look_at_the_messages_already_queued(emulator, message_reads, fifo):
    sqs = emulator.client("sqs")
    url = _queue(sqs, fifo=fifo, content_dedup=fifo)
    extra = {"MessageGroupId": "g"} if fifo else {}
    work = {}
    for depth in (10, 200):
        while (
            int(
                sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"][
                    "ApproximateNumberOfMessages"
                ]
            )
            < depth
        ):
            sqs.send_message_batch(
                QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": uuid.uuid4().hex, **extra} for i in range(10)]
            )
        message_reads["n"] = 0
        sqs.send_message(QueueUrl=url, MessageBody=uuid.uuid4().hex, **extra)
        work[depth] = message_reads["n"]
    assert work == {10: 0, 200: 0}


def test_an_sns_delivery_does_not_scan_the_subscribed_queue(emulator, message_reads):
    sqs, sns = emulator.client("sqs"), emulator.client("sns")
    url = _queue(sqs)
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    topic = sns.create_topic(Name=f"fix-{uuid.uuid4().hex[:10]}")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    for _ in range(20):
        sns.publish_batch(
            TopicArn=topic, PublishBatchRequestEntries=[{"Id": str(i), "Message": json.dumps(i)} for i in range(10)]
        )
    message_reads["n"] = 0
    sns.publish(TopicArn=topic, Message="one more")
    assert message_reads["n"] == 0
    queued = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert queued == {"ApproximateNumberOfMessages": "201"}


def test_moto_itself_scans_the_queue_for_the_full_attributes(emulator, message_reads):
    """The control: the full set (GetQueueAttributes All, and moto's own property on every send before the fix)
    reads every message, so the counts above would grow with depth without the fix."""
    sqs = emulator.client("sqs")
    url = _queue(sqs)
    for _ in range(5):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "m"} for i in range(10)])
    message_reads["n"] = 0
    sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    assert message_reads["n"] >= 50


def test_installing_the_fix_twice_keeps_one_wrapper(emulator):
    installed = Queue.__dict__["attributes"]
    read_queue_attributes_per_key()
    assert Queue.__dict__["attributes"] is installed
