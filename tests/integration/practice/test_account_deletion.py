"""A deleted student's practice is erased: sessions, results, statistics, mastery, jobs, tutor link, recordings."""

import jwt
from speaktracker import catalogue
from speaktracker.events import SnsEventPublisher, UserDeleted

from .test_recordings_api import SENTENCE, evaluate, recordings  # noqa: F401 - the recordings fixture
from .test_sessions_and_progress_api import link


def test_a_deleted_students_practice_is_erased_and_others_stay(api, aws, queues, student, tutor, recordings):
    other = aws.user(None, "student")
    link(aws, queues, tutor, student)
    for user in (student, other):
        session = api.call("post", "/api/sessions/start", {"sessionType": "practice"}, user=user)[1]
        assert evaluate(api, user, recordings["whole"], sessionId=session["sessionId"])[0] == 200
        assert api.call("post", "/api/sessions/end", {"sessionId": session["sessionId"]}, user=user)[0] == 200
    assert api.call("post", "/api/sentences/generate", {"count": 1}, user=student)[0] == 200  # a TTS job each
    sub = jwt.decode(student.access_token, options={"verify_signature": False})["sub"]

    sns = aws.client("sns")
    topic = sns.create_topic(Name=aws.settings.name("events"))["TopicArn"]
    SnsEventPublisher(sns, topic).publish(UserDeleted(email=student.email, userId=sub, role="student"))
    assert queues.drain("practice-events") == 1

    dynamodb, s3 = aws.client("dynamodb"), aws.client("s3")
    for table in catalogue.tables_of("practice"):
        items = str(dynamodb.scan(TableName=aws.settings.name(table.logical))["Items"])
        assert student.email not in items and sub not in items, table.logical
    bucket = aws.settings.name("user-content")
    versions = s3.list_object_versions(Bucket=bucket, Prefix=f"user-audio/{sub}/")
    assert not versions.get("Versions") and not versions.get("DeleteMarkers")
    assert api.call("get", "/api/results?limit=5", user=other)[1]["results"]  # another student's stays


def test_a_turn_delivered_after_the_erasure_brings_nothing_back_and_a_new_account_counts(api, aws, student):
    """Found by the e2e deletion test under load: a conversation turn's event, queued before the account was
    deleted and delivered after the erasure, wrote the deleted student's day again."""
    from datetime import UTC, datetime, timedelta

    from speaktracker.events import ConversationTurnCompleted

    def turn(request_id: str, at: datetime) -> ConversationTurnCompleted:
        return ConversationTurnCompleted(
            studentEmail=student.email,
            conversationId="conv-late",
            requestId=request_id,
            turnIndex=1,
            speakingSeconds=2.0,
            occurredAt=at,
        )

    sub = jwt.decode(student.access_token, options={"verify_signature": False})["sub"]
    before = datetime.now(UTC) - timedelta(seconds=5)
    deleted = UserDeleted(email=student.email, userId=sub, role="student")
    assert api.deliver("follow_tutor_links", "practice-events", deleted) == []
    assert api.deliver("follow_tutor_links", "practice-events", turn("req-late", before)) == []

    dynamodb = aws.client("dynamodb")
    items = str(dynamodb.scan(TableName=aws.settings.name("daily-statistics"))["Items"])
    assert student.email not in items and sub not in items

    # The same address signed up again later: its own turns count as any student's.
    assert api.deliver("follow_tutor_links", "practice-events", turn("req-new", datetime.now(UTC))) == []
    days = dynamodb.query(
        TableName=aws.settings.name("daily-statistics"),
        KeyConditionExpression="studentEmail = :s",
        ExpressionAttributeValues={":s": {"S": student.email}},
    )["Items"]
    assert [d["conversationTurns"]["N"] for d in days] == ["1"]
