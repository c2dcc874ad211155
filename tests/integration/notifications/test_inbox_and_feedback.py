"""The inbox, tutor feedback and the events consumer through the Chalice app, against the emulator."""

import pytest
from speaktracker.events import StudentStatusUpdate, TutorMatch
from support.events import UnreachableTopic


@pytest.fixture(scope="module")
def people(aws):
    return {
        "tutor": aws.user(role="tutor"),
        "student": aws.user(role="student"),
        "other_student": aws.user(role="student"),
        "other_tutor": aws.user(role="tutor"),
    }


def call(client, method, path, user=None, body=None):
    return client.call(method, path, body, user=user)


def consume(client, aws, *events):
    """Runs the events consumer on these events as SQS would deliver them; returns the failed positions."""
    return client.deliver("deliver_events", "notifications-events", *events)


def drain_published(aws):
    """Events the app published, as the notifications-events queue received them from the topic."""
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=aws.settings.name("notifications-events"))["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    for m in messages:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return [m["Body"] for m in messages]


def link(client, aws, people):
    event = TutorMatch(
        action="approved", requestId="req-1", studentEmail=people["student"].email, tutorEmail=people["tutor"].email
    )
    assert consume(client, aws, event) == []


def test_consumer_fills_the_inbox_and_reports_malformed_events(client, aws, people):
    requested = TutorMatch(
        action="requested",
        requestId="req-9",
        studentEmail=people["other_student"].email,
        tutorEmail=people["tutor"].email,
        studentName="박학생",
    )
    status = StudentStatusUpdate(
        studentEmail=people["student"].email, tutorEmail=people["tutor"].email, room="practice", isLearning=True
    )
    result = consume(
        client,
        aws,
        requested,
        status,
        '{"type": "tutor_match", "action": "approved"}',
        "not json",
        '{"type": "from_the_future", "version": 9}',
    )
    assert result == [2, 3]  # the malformed tutor_match and the non-JSON body; the unknown type is ignored
    consume(client, aws, requested)  # redelivered: still one row
    code, body = call(client, "get", "/api/notifications?unread=true", people["tutor"])
    assert code == 200 and [n["type"] for n in body["notifications"]] == ["tutor_match"]
    assert "박학생" in body["notifications"][0]["message"]


def send_feedback(client, people, message):
    body = {"studentEmail": people["student"].email, "message": message, "messageType": "text"}
    return call(client, "post", "/api/tutor/feedback", people["tutor"], body)


def test_feedback_flow(client, aws, people):
    link(client, aws, people)
    drain_published(aws)
    code, body = send_feedback(client, people, "오늘 발음 연습 잘했어요!")
    assert code == 201, body
    published = [b for b in drain_published(aws) if '"feedback"' in b]
    assert len(published) == 1
    assert consume(client, aws, published[0]) == []
    code, inbox = call(client, "get", "/api/notifications", people["student"])
    assert [n["type"] for n in inbox["notifications"]][0] == "feedback"
    code, feedback = call(client, "get", "/api/feedback", people["student"])
    assert code == 200 and feedback["feedback"][0]["message"] == "오늘 발음 연습 잘했어요!"
    code, sent = call(client, "get", f"/api/feedback?studentEmail={people['student'].email}", people["tutor"])
    assert code == 200 and len(sent["feedback"]) == 1


def test_read_and_read_all(client, aws, people):
    consume(
        client,
        aws,
        TutorMatch(
            action="cancelled",
            requestId="req-8",
            studentEmail=people["other_student"].email,
            tutorEmail=people["tutor"].email,
        ),
    )
    _, body = call(client, "get", "/api/notifications?unread=true", people["tutor"])
    first = body["notifications"][0]["notificationId"]
    assert call(client, "post", f"/api/notifications/{first}/read", people["tutor"])[0] == 200
    code, err = call(client, "post", f"/api/notifications/{first}/read", people["other_tutor"])
    assert (code, err["error"]) == (404, "NOTIFICATION_NOT_FOUND")
    assert call(client, "post", "/api/notifications/read-all", people["tutor"])[0] == 200
    _, body = call(client, "get", "/api/notifications?unread=true", people["tutor"])
    assert body["notifications"] == []


def test_the_inbox_pages_each_note_once_and_its_cursor_is_the_owners_alone(client, aws, people):
    tutor, someone_else = aws.user(role="tutor"), people["other_tutor"]
    for n in range(3):
        asked = TutorMatch(
            action="requested", requestId=f"req-page-{n}", studentEmail=people["student"].email, tutorEmail=tutor.email
        )
        assert consume(client, aws, asked) == []
    seen, cursors, cursor = [], [], None
    while True:
        code, page = call(client, "get", "/api/notifications?limit=1" + (f"&cursor={cursor}" if cursor else ""), tutor)
        assert code == 200, page
        seen += [n["notificationId"] for n in page["notifications"]]
        cursor = page["cursor"]
        if not cursor:
            break
        cursors.append(cursor)
    assert len(seen) == len(set(seen)) == 3 and cursors
    for other, query in ((someone_else, ""), (tutor, "&unread=true")):  # another user's inbox; the unread list
        code, body = call(client, "get", f"/api/notifications?cursor={cursors[0]}{query}", other)
        assert (code, body["error"]) == (400, "INVALID_CURSOR")


@pytest.mark.parametrize(
    "path, query",
    [
        ("/api/notifications", "?limit=0"),
        ("/api/notifications", "?unread=maybe"),
        ("/api/notifications", "?cursor=garbage"),
        ("/api/feedback", "?limit=500"),
    ],
)
def test_bad_queries_are_400(client, people, path, query):
    code, body = call(client, "get", path + query, people["student"])
    assert code == 400 and body["error"] in ("VALIDATION_FAILED", "INVALID_CURSOR")


@pytest.mark.parametrize(
    "body, code",
    [
        ({}, "VALIDATION_FAILED"),
        ({"studentEmail": "a@b.co", "message": ""}, "VALIDATION_FAILED"),
        ({"studentEmail": "a@b.co", "message": "hi", "messageType": "shout"}, "INVALID_MESSAGE_TYPE"),
    ],
)
def test_bad_feedback_is_400(client, people, body, code):
    status, payload = call(client, "post", "/api/tutor/feedback", people["tutor"], body)
    assert (status, payload["error"]) == (400, code)


# Every route as anonymous, the owner, another student, the tutor and another tutor.
ROUTES = [
    ("get", "/api/notifications", None),
    ("post", "/api/notifications/read-all", None),
    ("get", "/api/feedback", None),
    ("post", "/api/tutor/feedback", "feedback"),
]
EXPECTED = {
    "/api/notifications": {"anonymous": 401, "student": 200, "other_student": 200, "tutor": 200, "other_tutor": 200},
    "/api/notifications/read-all": {
        "anonymous": 401,
        "student": 200,
        "other_student": 200,
        "tutor": 200,
        "other_tutor": 200,
    },
    "/api/feedback": {"anonymous": 401, "student": 200, "other_student": 200, "tutor": 200, "other_tutor": 200},
    "/api/tutor/feedback": {"anonymous": 401, "student": 403, "other_student": 403, "tutor": 201, "other_tutor": 403},
}


@pytest.mark.parametrize("method, path, body_kind", ROUTES)
@pytest.mark.parametrize("who", ["anonymous", "student", "other_student", "tutor", "other_tutor"])
def test_authorization_table(client, aws, people, method, path, body_kind, who):
    link(client, aws, people)
    body = (
        {"studentEmail": people["student"].email, "message": "Keep going", "messageType": "text"}
        if body_kind == "feedback"
        else None
    )
    status, payload = call(client, method, path, people.get(who), body)
    assert status == EXPECTED[path][who], payload
    if path == "/api/feedback" and who == "other_student":
        assert all(f["studentEmail"] == people["other_student"].email for f in payload["feedback"])
    if path == "/api/feedback" and who == "other_tutor":
        assert all(f["tutorEmail"] == people["other_tutor"].email for f in payload["feedback"])


def test_feedback_whose_event_cannot_be_published_is_a_503_and_is_not_kept(client, aws, people, monkeypatch):
    """Issue 13's outbox audit: stored feedback the student would never hear of is taken back out, so the
    tutor sends it again rather than believing it was delivered."""
    from chalicelib import wiring

    link(client, aws, people)
    drain_published(aws)
    _, before = call(client, "get", f"/api/feedback?studentEmail={people['student'].email}", people["tutor"])
    monkeypatch.setattr(wiring.notifications(), "events", UnreachableTopic())
    code, body = send_feedback(client, people, "이 메시지는 전달되지 않아요")
    assert code == 503 and body["error"] == "FEEDBACK_NOT_SENT", body
    _, after = call(client, "get", f"/api/feedback?studentEmail={people['student'].email}", people["tutor"])
    assert after["feedback"] == before["feedback"]
    _, seen = call(client, "get", "/api/feedback", people["student"])
    assert "이 메시지는 전달되지 않아요" not in [f["message"] for f in seen["feedback"]]
    assert drain_published(aws) == []
