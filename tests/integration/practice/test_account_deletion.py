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
