"""The embedded emulator's fix to moto: a queue's attributes read per key. SQS still behaves as SQS (FIFO
content-based deduplication, standard queues, GetQueueAttributes), and a send no longer looks at every message
already in the queue."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError
from moto.sqs.models import Message, Queue
from speaktracker_dev.moto_fixes import install


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


def _counted(monkeypatch, owner, name: str) -> dict[str, int]:
    """Counts the calls of ``owner.name`` (a method, or a property's getter) from now on."""
    calls, current = {"n": 0}, owner.__dict__[name]
    is_property = isinstance(current, property)
    original = current.fget if is_property else current

    def counting(self):
        calls["n"] += 1
        return original(self)

    monkeypatch.setattr(owner, name, property(counting) if is_property else counting)
    return calls


@pytest.fixture
def message_reads(monkeypatch):
    """How many times moto looks at a message's visibility: the work a scan of the queue does."""
    return _counted(monkeypatch, Message, "visible")


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
    install()
    assert Queue.__dict__["attributes"] is installed


# --- Query reads one partition --------------------------------------------------------------------------------
@pytest.fixture
def scans(monkeypatch):
    """How many times moto lists every item of a table."""
    from moto.dynamodb.models.table import Table

    return _counted(monkeypatch, Table, "all_items")


def _history_table(db) -> str:
    name = f"fix-{uuid.uuid4().hex[:10]}"
    db.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "student", "KeyType": "HASH"}, {"AttributeName": "key", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "student", "AttributeType": "S"},
            {"AttributeName": "key", "AttributeType": "S"},
            {"AttributeName": "score", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-score",
                "KeySchema": [{"AttributeName": "score", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    for student in ("kim", "lee", "park"):
        for i in range(12):
            db.put_item(
                TableName=name,
                Item={"student": {"S": student}, "key": {"S": f"k{i:02d}"}, "score": {"N": str(i % 3)}},
            )
    return name


def _keys(answer) -> list[tuple[str, str]]:
    return [(item["student"]["S"], item["key"]["S"]) for item in answer["Items"]]


def test_a_query_still_answers_as_dynamodb_does(emulator, scans):
    db = emulator.client("dynamodb")
    table = _history_table(db)
    scans["n"] = 0
    lee = {":s": {"S": "lee"}}
    everything = db.query(TableName=table, KeyConditionExpression="student = :s", ExpressionAttributeValues=lee)
    assert _keys(everything) == [("lee", f"k{i:02d}") for i in range(12)]
    newest = db.query(
        TableName=table,
        KeyConditionExpression="student = :s AND #k BETWEEN :a AND :b",
        FilterExpression="score > :zero",
        ExpressionAttributeNames={"#k": "key"},
        ExpressionAttributeValues={**lee, ":a": {"S": "k03"}, ":b": {"S": "k08"}, ":zero": {"N": "0"}},
        ScanIndexForward=False,
    )
    assert _keys(newest) == [("lee", k) for k in ("k08", "k07", "k05", "k04")]
    pages, start = [], {}
    while True:
        page = db.query(
            TableName=table,
            KeyConditionExpression="student = :s",
            ExpressionAttributeValues=lee,
            Limit=5,
            **start,
        )
        pages.append(_keys(page))
        if "LastEvaluatedKey" not in page:
            break
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
    assert [len(p) for p in pages] == [5, 5, 2] and sum(pages, []) == _keys(everything)
    nobody = db.query(
        TableName=table, KeyConditionExpression="student = :s", ExpressionAttributeValues={":s": {"S": "choi"}}
    )
    assert nobody["Items"] == [] and nobody["Count"] == 0
    assert scans["n"] == 0  # none of these listed the whole table
    by_score = db.query(
        TableName=table,
        IndexName="by-score",
        KeyConditionExpression="score = :two",
        ExpressionAttributeValues={":two": {"N": "2"}},
    )
    assert sorted(_keys(by_score)) == sorted((s, f"k{i:02d}") for s in ("kim", "lee", "park") for i in (2, 5, 8, 11))
    assert len(db.scan(TableName=table)["Items"]) == 36  # the table's own listing is untouched
