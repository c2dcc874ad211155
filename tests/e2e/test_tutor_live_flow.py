"""Seed scenarios 2 and 5 end to end on the dev stack: both sides sign up through identity, the student finds
the tutor by a name prefix and asks; everything the other side must know arrives over its WebSocket, pushed,
never polled."""

import json
import uuid

import requests

from .conftest import Person, frames, wait_until


def test_request_approve_status_and_feedback_arrive_live(dev_stack):
    tutor = Person(dev_stack, f"Kim Tutor {uuid.uuid4().hex[:4]}", "tutor")
    student = Person(dev_stack, "이학생", "student")
    prefix = tutor.name[:7].lower()  # "kim tut": prefix and case-insensitive

    # The tutor exists for matching once identity's user_registered event has been projected.
    found = wait_until(
        lambda: [
            t
            for t in student.call("GET", "matching", f"/api/tutors?search={prefix}")["tutors"]
            if t["email"] == tutor.email
        ],
        20,
        "the tutor to be searchable",
    )
    assert found[0]["isAccepting"] is True

    with tutor.socket() as tutor_socket, student.socket() as student_socket:
        request = student.call(
            "POST",
            "matching",
            f"/api/tutors/{tutor.email}/request",
            {"message": "영어 회화 실력을 향상시키고 싶습니다."},
        )
        match = frames(tutor_socket, "tutor_match", 1, timeout=20)[0]
        assert (match["action"], match["requestId"]) == ("requested", request["requestId"])
        assert match["notification"]["title"]

        tutor.call("POST", "matching", f"/api/tutors/requests/{request['requestId']}/approve")
        approved = frames(student_socket, "tutor_match", 1, timeout=20)[0]
        assert (approved["action"], approved["tutorEmail"]) == ("approved", tutor.email)

        student.call("POST", "matching", "/api/student-status", {"room": "practice", "isLearning": True})
        status = frames(tutor_socket, "student_status_update", 1, timeout=20)[0]
        assert (status["studentEmail"], status["room"], status["isLearning"]) == (student.email, "practice", True)

        # Feedback needs notifications to know the link, which it learns from the approval event.
        def send_feedback():
            response = requests.post(
                f"{dev_stack.services['notifications']}/api/tutor/feedback",
                timeout=20,
                headers={"Authorization": f"Bearer {tutor.token}"},
                json={"studentEmail": student.email, "message": "오늘 발음 연습 잘했어요!", "messageType": "praise"},
            )
            return response if response.status_code == 201 else None

        wait_until(send_feedback, 20, "feedback to be accepted")
        feedback = frames(student_socket, "feedback", 1, timeout=20)[0]
        assert (feedback["message"], feedback["tutorEmail"]) == ("오늘 발음 연습 잘했어요!", tutor.email)

    inbox = student.call("GET", "notifications", "/api/notifications")["notifications"]
    assert {n["type"] for n in inbox} >= {"tutor_match", "feedback"}
    sent = wait_until(
        lambda: [f for f in student.call("GET", "notifications", "/api/feedback")["feedback"] if f["websocketSent"]],
        10,
        "websocketSent to be recorded",
    )
    assert sent[0]["message"] == "오늘 발음 연습 잘했어요!"
    students = tutor.call("GET", "matching", "/api/tutor/students")
    assert any(s["studentEmail"] == student.email and s["room"] == "practice" for s in students["students"])


def test_a_malformed_event_ends_in_the_dead_letter_queue_not_a_loop(dev_stack):
    sqs = dev_stack.client("sqs")
    queue = sqs.get_queue_url(QueueName=dev_stack.table("notifications-events"))["QueueUrl"]
    dead_letters = sqs.get_queue_url(QueueName=dev_stack.table("notifications-events-dlq"))["QueueUrl"]
    marker = uuid.uuid4().hex
    sqs.send_message(
        QueueUrl=queue, MessageBody=json.dumps({"type": "tutor_match", "action": "approved", "marker": marker})
    )

    def in_dead_letters():
        messages = sqs.receive_message(
            QueueUrl=dead_letters, MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=["ApproximateReceiveCount"]
        ).get("Messages", [])
        return [m for m in messages if marker in m["Body"]]

    # maxReceiveCount is 5 and the dev poller backs off a second or two between tries.
    assert wait_until(in_dead_letters, 60, "the malformed event to reach the DLQ")
    visible = sqs.get_queue_attributes(
        QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )
    assert visible["Attributes"]["ApproximateNumberOfMessages"] == "0"
