from speaktracker.events import UserDeleted

from .test_matching_api import events_for_notifications, request_id


def held_by(aws, email):
    """Every item of matching's tables that still names ``email`` (a test may scan)."""
    dynamodb = aws.client("dynamodb")
    found = []
    for table in ("tutors", "tutor-requests", "tutor-students"):
        found += [i for i in dynamodb.scan(TableName=aws.settings.name(table))["Items"] if email in str(i)]
    return found


def test_a_deleted_student_leaves_nothing_and_their_tutor_gets_the_seat_back(api, aws):
    tutor, student, other = api.person("tutor", "Deletion Tutor"), api.person("student"), api.person("student")
    api.call("put", "/api/tutor/settings", {"maxStudents": 1}, user=tutor)
    assert api.call("post", f"/api/tutors/requests/{request_id(api, student, tutor)}/approve", user=tutor)[0] == 200
    events_for_notifications(aws)
    deleted = UserDeleted(email=student.email, userId="sub-student", role="student")
    assert api.deliver(deleted, deleted) == []  # a redelivery in the same batch changes nothing
    assert held_by(aws, student.email) == []
    _, settings = api.call("get", "/api/tutor/settings", user=tutor)
    assert settings["studentCount"] == 0
    assert api.call("get", "/api/tutor/students", user=tutor)[1]["students"] == []
    ended = [e for e in events_for_notifications(aws) if e["type"] == "tutor_match" and e["action"] == "ended"]
    assert [(e["studentEmail"], e["endedBy"]) for e in ended] == [(student.email, "account_deleted")]
    assert api.call("post", f"/api/tutors/{tutor.email}/request", {"message": ""}, user=other)[0] == 201  # open again


def test_a_deleted_tutor_frees_their_students_who_may_ask_another(api, aws):
    tutor, student, other_tutor = api.person("tutor", "Leaving Tutor"), api.person("student"), api.person("tutor")
    assert api.call("post", f"/api/tutors/requests/{request_id(api, student, tutor)}/approve", user=tutor)[0] == 200
    assert api.deliver(UserDeleted(email=tutor.email, userId="sub-tutor", role="tutor")) == []
    assert held_by(aws, tutor.email) == []
    assert api.call("get", f"/api/tutors/{tutor.email}", user=student)[0] == 404
    assert api.call("post", f"/api/tutors/{other_tutor.email}/request", {"message": ""}, user=student)[0] == 201
