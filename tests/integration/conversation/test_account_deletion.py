"""A deleted student's conversations are erased: META, turns, reply requests, tutor record and recordings."""

from speaktracker import catalogue
from speaktracker.events import SnsEventPublisher, TutorMatch, UserDeleted

from .conftest import b64, espeak_wav, sub_of
from .test_conversation_api import quiet_queues, send, start  # noqa: F401 - quiet_queues is autouse


def publish(aws, event):
    sns = aws.client("sns")
    SnsEventPublisher(sns, sns.create_topic(Name=aws.settings.name("events"))["TopicArn"]).publish(event)


def test_a_deleted_students_conversations_are_erased_and_others_stay(api, aws, queues, student, tutor, tmp_path):
    other = aws.user(role="student")
    publish(aws, TutorMatch(action="approved", studentEmail=student.email, tutorEmail=tutor.email))
    assert queues.drain("conversation-events") == 1
    for user in (student, other):
        cid = start(api, user)["conversationId"]
        audio = b64(espeak_wav("I would like a coffee please", tmp_path / "t.wav"))
        assert send(api, user, cid, audioData=audio, audioContentType="audio/wav")[0] == 202
        queues.drain("ai-chat")
        queues.drain("ai-feedback")
        assert send(api, user, cid, userMessage="Thank you")[0] == 202
        queues.drain("ai-chat")
        queues.drain("ai-feedback")
    sub = sub_of(student)

    publish(aws, UserDeleted(email=student.email, userId=sub, role="student"))
    assert queues.drain("conversation-events") == 1

    dynamodb, s3 = aws.client("dynamodb"), aws.client("s3")
    for table in catalogue.tables_of("conversation"):
        items = str(dynamodb.scan(TableName=aws.settings.name(table.logical))["Items"])
        assert student.email not in items and sub not in items, table.logical
        if table.logical != "generated-content":  # the scenario pictures hold no one's data
            assert other.email in items
    versions = s3.list_object_versions(Bucket=aws.settings.name("user-content"), Prefix=f"user-audio/{sub}/")
    assert not versions.get("Versions") and not versions.get("DeleteMarkers")
    assert s3.list_objects_v2(Bucket=aws.settings.name("user-content"), Prefix=f"user-audio/{sub_of(other)}/")[
        "KeyCount"
    ]
