"""Issue 13 part 5 on the dev stack: a student with real data in every context deletes their account, and
nothing of theirs remains in any table or bucket, while their tutor's other data stays."""

import base64
import uuid

import requests
from speaktracker import catalogue

from .conftest import PASSWORD, Person, wait_until
from .test_practice_flow import espeak, evaluate


def matched(student, tutor):
    request = student.call("POST", "matching", f"/api/tutors/{tutor.email}/request", {"message": "잘 부탁드립니다"})
    tutor.call("POST", "matching", f"/api/tutors/requests/{request['requestId']}/approve")


def feedback_to(tutor, student, message):
    def send():
        response = tutor.request(
            "POST",
            "notifications",
            "/api/tutor/feedback",
            json={"studentEmail": student.email, "message": message, "messageType": "praise"},
        )
        return response if response.status_code == 201 else None

    wait_until(send, 30, "notifications to learn of the link")


def traces(stack, needles):
    """Every item of every table and every object key (all versions) of every bucket naming a needle."""
    found = []
    dynamodb, s3 = stack.client("dynamodb"), stack.client("s3")
    for table in catalogue.TABLES:
        for page in dynamodb.get_paginator("scan").paginate(TableName=stack.table(table.logical)):
            found += [f"{table.logical}: {item}" for item in page["Items"] if any(n in str(item) for n in needles)]
    for bucket in s3.list_buckets()["Buckets"]:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket["Name"]):
            for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
                if any(n in version["Key"] for n in needles):
                    found.append(f"{bucket['Name']}: {version['Key']}")
    return found


def test_a_deleted_student_leaves_nothing_anywhere_and_their_tutor_keeps_the_rest(dev_stack, tmp_path):
    tutor = Person(dev_stack, f"Han Tutor {uuid.uuid4().hex[:4]}", "tutor")
    student, classmate = Person(dev_stack, "삭제학생", "student"), Person(dev_stack, "남는학생", "student")
    wait_until(lambda: tutor.request("GET", "matching", "/api/tutor/settings").status_code == 200, 30, "the tutor")
    matched(student, tutor)
    matched(classmate, tutor)
    user_id = student.call("GET", "identity", "/api/users/me")["userId"]

    # A profile photo, a practice session with an evaluated recording, a spoken conversation turn.
    slot = student.call(
        "POST", "identity", "/api/users/me/profile-image/upload", {"contentType": "image/png", "size": 68}
    )
    sent = requests.post(
        slot["upload"]["url"], data=slot["upload"]["fields"], files={"file": ("me.png", b"\x89PNG" * 17)}, timeout=20
    )
    assert sent.status_code in (200, 201, 204)
    student.call("PUT", "identity", "/api/users/me/profile-image", {"key": slot["key"]})
    session = student.call("POST", "practice", "/api/sessions/start", {"sessionType": "practice"})
    said = "How was your day?"
    evaluated = evaluate(student, espeak(said, tmp_path / "p.wav"), said, session["sessionId"])
    assert evaluated.status_code == 200, evaluated.text
    student.call("POST", "practice", "/api/sessions/end", {"sessionId": session["sessionId"]})
    chat = student.call("POST", "conversation", "/api/ai/chat/start", {"difficulty": "중", "scenarioId": "cafe-order"})
    audio = base64.b64encode(espeak("I would like a coffee please", tmp_path / "c.wav")).decode()
    accepted = student.call(
        "POST",
        "conversation",
        "/api/ai/chat/message",
        {"conversationId": chat["conversationId"], "audioData": audio, "audioContentType": "audio/wav"},
    )
    wait_until(
        lambda: student.call("GET", "conversation", f"/api/ai/chat/status/{accepted['requestId']}")["status"]
        == "COMPLETED",
        90,
        "the conversation turn",
    )
    feedback_to(tutor, student, "발음이 좋아졌어요!")
    feedback_to(tutor, classmate, "계속 연습해요!")
    wait_until(lambda: student.call("GET", "notifications", "/api/notifications")["notifications"], 30, "notifications")
    assert traces(dev_stack, [student.email, user_id])  # the test can see their data before the deletion

    # Bad tokens and a wrong password are clean 4xx and delete nothing.
    identity = dev_stack.services["identity"]
    assert requests.delete(f"{identity}/api/users/me", json={"password": PASSWORD}, timeout=20).status_code == 401
    forged = requests.delete(
        f"{identity}/api/users/me", json={"password": PASSWORD}, headers={"Authorization": "Bearer x.y.z"}, timeout=20
    )
    assert forged.status_code == 401
    wrong = student.request("DELETE", "identity", "/api/users/me", json={"password": "Wr0ng!Password"})
    assert (wrong.status_code, wrong.json()["error"]) == (403, "PASSWORD_WRONG")

    assert student.request("DELETE", "identity", "/api/users/me", json={"password": PASSWORD}).status_code == 200
    again = student.request("DELETE", "identity", "/api/users/me", json={"password": PASSWORD})
    assert (again.status_code, again.json()["error"]) == (401, "ACCOUNT_DELETED")
    for service, path in (
        ("identity", "/api/users/me"),
        ("matching", "/api/student/tutor"),
        ("practice", "/api/stats/summary"),
        ("conversation", "/api/ai/chat"),
        ("notifications", "/api/notifications"),
    ):
        refused = student.request("GET", service, path)
        assert (refused.status_code, refused.json()["error"]) == (401, "ACCOUNT_DELETED"), service
    login = requests.post(f"{identity}/api/auth/login", json={"email": student.email, "password": PASSWORD}, timeout=20)
    assert login.status_code == 401

    remaining: list[str] = []

    def erased():
        remaining[:] = traces(dev_stack, [student.email, user_id])
        return not remaining

    try:
        wait_until(erased, 90, "every context to erase the student", interval=2)
    except AssertionError as error:
        raise AssertionError(f"left behind: {remaining[:10]}") from error

    # The tutor keeps everything else: the other student, their feedback, a free seat for the deleted one.
    students = tutor.call("GET", "matching", "/api/tutor/students")["students"]
    assert [s["studentEmail"] for s in students] == [classmate.email]
    assert tutor.call("GET", "matching", "/api/tutor/settings")["studentCount"] == 1
    kept = tutor.call("GET", "notifications", f"/api/feedback?studentEmail={classmate.email}")["feedback"]
    assert [f["message"] for f in kept] == ["계속 연습해요!"]
    assert classmate.call("GET", "matching", "/api/student/tutor")["tutor"]["email"] == tutor.email
