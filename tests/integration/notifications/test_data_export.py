"""Notifications and data exports, against the emulator: a finished export becomes an inbox notification,
and notifications' part of an export holds the user's inbox and feedback, nobody else's."""

import json

from speaktracker.events import UserExportReady, UserExportRequested
from speaktracker.export import part_prefix

from .test_inbox_and_feedback import call, consume, drain_published, link, people  # noqa: F401


def test_a_ready_export_reaches_the_inbox_once(client, aws, people):
    ready = UserExportReady(exportId="1764600000-abc", email=people["student"].email, availableUntil="2026-12-08")
    assert consume(client, aws, ready, ready) == []
    code, inbox = call(client, "get", "/api/notifications", people["student"])
    exports = [n for n in inbox["notifications"] if n["type"] == "user_export_ready"]
    assert code == 200 and len(exports) == 1
    assert exports[0]["data"] == {"exportId": "1764600000-abc", "availableUntil": "2026-12-08"}


def test_the_part_holds_the_users_inbox_and_feedback_only(client, aws, people):
    link(client, aws, people)
    code, _ = call(
        client,
        "post",
        "/api/tutor/feedback",
        people["tutor"],
        {"studentEmail": people["student"].email, "message": "Linking sounds: great!", "messageType": "praise"},
    )
    assert code == 201
    assert consume(client, aws, *[b for b in drain_published(aws) if '"feedback"' in b]) == []
    student = people["student"].email
    request = UserExportRequested(exportId="1764600001-def", email=student, role="student")
    assert consume(client, aws, request) == []

    s3, bucket = aws.client("s3"), aws.settings.name("user-content")
    prefix = part_prefix(request.export_id, "notifications")

    def read(name):
        return json.loads(s3.get_object(Bucket=bucket, Key=prefix + name)["Body"].read())

    inbox, feedback = read("inbox.json"), read("feedback.json")
    assert inbox and {n["userEmail"] for n in inbox} == {student}
    assert any(f["message"] == "Linking sounds: great!" for f in feedback)
    assert {f["studentEmail"] for f in feedback} == {student}
    assert read("tutor.json")[0]["tutorEmail"] == people["tutor"].email
    announced = [json.loads(b) for b in _identity_events(aws)]
    assert [(e["exportId"], e["context"]) for e in announced] == [(request.export_id, "notifications")]


def _identity_events(aws):
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=aws.settings.name("identity-events"))["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    return [m["Body"] for m in messages]
