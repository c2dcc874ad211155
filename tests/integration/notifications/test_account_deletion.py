"""A deleted user leaves nothing in notifications: their inbox, connections, feedback both ways, tutor link,
and notifications about them in other people's inboxes."""

import time

from chalicelib.adapters.dynamodb_connections import DynamoConnections
from chalicelib.connections import LiveConnection
from speaktracker import catalogue
from speaktracker.events import TutorMatch, UserDeleted, child_handle

from .test_inbox_and_feedback import call, consume, drain_published


def test_a_deleted_student_leaves_nothing_and_their_tutor_keeps_the_rest(client, aws):
    tutor, student, other = aws.user(role="tutor"), aws.user(role="student"), aws.user(role="student")
    for who in (student, other):
        requested = TutorMatch(
            action="requested", requestId=f"r-{who.email}", studentEmail=who.email, tutorEmail=tutor.email
        )
        approved = TutorMatch(
            action="approved",
            requestId=f"r-{who.email}",
            studentEmail=who.email,
            tutorEmail=tutor.email,
            studentHandle=child_handle(f"sub-{who.email}"),  # as if both were children: their handle items too
        )
        assert consume(client, aws, requested, approved) == []
        body = {"studentEmail": who.email, "message": "Well done!", "messageType": "praise"}
        assert call(client, "post", "/api/tutor/feedback", tutor, body)[0] == 201
    published = [b for b in drain_published(aws) if '"feedback"' in b]
    assert len(published) == 2 and consume(client, aws, *published) == []
    now = int(time.time())
    connections = DynamoConnections(aws.client("dynamodb"), aws.settings.name("websocket-connections"))
    connections.add(LiveConnection("conn-student", student.email, "student", now, now + 3600))

    deleted = UserDeleted(email=student.email, userId="sub-student", role="student")
    ended = TutorMatch(
        action="ended",
        studentEmail=student.email,
        tutorEmail=tutor.email,
        endedBy="account_deleted",
        studentHandle=child_handle(f"sub-{student.email}"),
    )
    # Matching ends the links once it has heard of the deletion, so the end usually comes after the erasure here:
    # it must not leave a marker of the link behind (it would hold the email).
    assert consume(client, aws, deleted, ended, ended, deleted) == []

    dynamodb = aws.client("dynamodb")
    for table in catalogue.tables_of("notifications"):
        items = str(dynamodb.scan(TableName=aws.settings.name(table.logical))["Items"])
        assert student.email not in items, table.logical
    inbox = call(client, "get", "/api/notifications", tutor)[1]["notifications"]
    assert inbox and all(student.email not in str(n) for n in inbox)  # the other student's requests stay
    kept = call(client, "get", f"/api/feedback?studentEmail={other.email}", tutor)[1]["feedback"]
    assert [f["message"] for f in kept] == ["Well done!"]
