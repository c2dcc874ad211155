"""Matching refuses a child's tutor request until the guardian consented (token group, no identity read)."""

import json

from speaktracker.events import UserRegistered, child_handle


def test_a_child_cannot_request_a_tutor_until_consent(api, aws):
    tutor = api.person("tutor", "Tutor Lee")
    child = aws.child()
    assert api.deliver(UserRegistered(email=child.email, name="Minji Kim", role="student", is_minor=True)) == []
    status, answer = api.call("post", f"/api/tutors/{tutor.email}/request", {"message": "hi"}, user=child)
    assert (status, answer["error"]) == (403, "GUARDIAN_CONSENT_REQUIRED")

    status, answer = api.call("post", f"/api/tutors/{tutor.email}/request", {"message": "hi"}, user=aws.consent(child))
    assert status == 201, answer


def test_a_tutor_sees_only_a_childs_first_name_and_handle_in_requests_and_students(api, aws):
    tutor, other_tutor = api.person("tutor", "Tutor Park"), api.person("tutor", "Tutor Oh")
    child = aws.consent(aws.child())
    handle = child_handle(f"sub-{child.email}")
    registered = UserRegistered(
        email=child.email, name="Minji Kim", role="student", is_minor=True, student_handle=handle
    )
    assert api.deliver(registered) == []
    status, made = api.call("post", f"/api/tutors/{tutor.email}/request", {"message": "hi"}, user=child)
    assert status == 201, made
    assert made["studentEmail"] == child.email  # the child's own copy
    status, page = api.call("get", "/api/tutors/requests", user=tutor)
    mine = [r for r in page["requests"] if r["requestId"] == made["requestId"]]
    assert [(r["studentName"], r["studentEmail"]) for r in mine] == [("Minji", handle)], page
    approve = api.call("post", f"/api/tutors/requests/{made['requestId']}/approve", user=tutor)
    assert approve[0] == 200 and approve[1]["link"]["studentEmail"] == handle, approve
    status, students = api.call("get", "/api/tutor/students", user=tutor)
    assert [(s["studentName"], s["studentEmail"]) for s in students["students"]] == [("Minji", handle)], students
    for answer in (page, approve[1], students):
        assert child.email not in json.dumps(answer) and "Kim" not in json.dumps(answer)

    status, answer = api.call("delete", f"/api/tutor/students/{handle}", user=other_tutor)
    assert (status, answer["error"]) == (404, "LINK_NOT_FOUND")  # a handle names a student only for their tutor
    status, ended = api.call("delete", f"/api/tutor/students/{handle}", user=tutor)
    assert (status, ended["studentEmail"]) == (200, handle), ended
