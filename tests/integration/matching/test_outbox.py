"""The transactional outbox against the emulator: an approval whose event cannot be published is still
committed, its event waits in ``tutor-requests``, and the relay publishes it to the events topic."""

import json
import time
from dataclasses import replace

import pytest
from support.events import UnreachableTopic


def drain(aws, queue):
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=aws.settings.name(queue))["QueueUrl"]
    found = []
    # WaitTimeSeconds=0: the queue long-polls by default, and an empty queue would hold each call 20 s.
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", []):
        found += [json.loads(m["Body"]) for m in messages]
        for m in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return found


@pytest.fixture
def matching(api):
    from chalicelib import service, wiring

    wiring.matching.cache_clear()
    yield service, wiring.matching()
    wiring.matching.cache_clear()


def outbox_item(aws, event_id):
    return (
        aws.client("dynamodb")
        .get_item(
            TableName=aws.settings.name("tutor-requests"),
            Key={"requestId": {"S": f"OUTBOX#{event_id}"}},
            ConsistentRead=True,
        )
        .get("Item")
    )


def test_an_approval_whose_event_is_lost_is_committed_and_relayed_later(api, aws, matching):
    service, ctx = matching
    tutor, student = api.person("tutor"), api.person("student")
    request = service.request_tutor(ctx, student.email, tutor.email, "잘 부탁드립니다")
    drain(aws, "notifications-events")

    offline = replace(ctx, events=UnreachableTopic())
    link = service.approve_request(offline, tutor.email, request.request_id)
    assert ctx.requests.get(request.request_id).status == "APPROVED"
    assert ctx.links.get(tutor.email, student.email) == link
    [staged] = ctx.outbox.staged_before(ctx.moment(seconds_ago=-1), 100)
    assert (staged.action, staged.request_id) == ("approved", request.request_id)
    item = outbox_item(aws, staged.event_id)
    assert item["outboxShard"] == {"S": "OUTBOX"} and json.loads(item["event"]["S"])["eventId"] == staged.event_id
    assert drain(aws, "notifications-events") == []

    assert service.relay_outbox(ctx) == 0  # not yet: the publish after the commit may still be under way
    later = replace(ctx, clock=lambda: time.time() + service.RELAY_AFTER_SECONDS + 1)
    assert service.relay_outbox(later) == 1
    [announced] = drain(aws, "notifications-events")
    assert (announced["eventId"], announced["action"], announced["studentEmail"]) == (
        staged.event_id,
        "approved",
        student.email,
    )
    assert outbox_item(aws, staged.event_id) is None
    assert service.relay_outbox(later) == 0


def test_published_events_leave_nothing_staged_and_requests_stay_out_of_the_outbox(api, aws, matching):
    service, ctx = matching
    tutor, student = api.person("tutor"), api.person("student")
    request = service.request_tutor(ctx, student.email, tutor.email, "안녕하세요")
    service.cancel_request(ctx, student.email, request.request_id)
    assert ctx.outbox.staged_before(ctx.moment(seconds_ago=-1), 100) == []
    assert [
        (e["action"], e["requestId"])
        for e in drain(aws, "notifications-events")
        if e.get("requestId") == request.request_id
    ] == [("requested", request.request_id), ("cancelled", request.request_id)]


def test_the_scheduled_relay_runs(api):
    payload = api.app.client.lambda_.invoke(
        "relay_outbox",
        {
            "detail-type": "Scheduled Event",
            "detail": {},
            "id": "1",
            "source": "aws.events",
            "account": "123456789012",
            "region": "us-east-1",
            "time": "2026-03-01T00:00:00Z",
            "resources": [],
            "version": "0",
        },
    ).payload
    assert payload is None
