"""Matching refuses a child's tutor request until the guardian consented (token group, no identity read)."""

from speaktracker.events import UserRegistered


def test_a_child_cannot_request_a_tutor_until_consent(api, aws):
    tutor = api.person("tutor", "Tutor Lee")
    child = aws.child()
    assert api.deliver(UserRegistered(email=child.email, name="Minji Kim", role="student", is_minor=True)) == []
    status, answer = api.call("post", f"/api/tutors/{tutor.email}/request", {"message": "hi"}, user=child)
    assert (status, answer["error"]) == (403, "GUARDIAN_CONSENT_REQUIRED")

    status, answer = api.call("post", f"/api/tutors/{tutor.email}/request", {"message": "hi"}, user=aws.consent(child))
    assert status == 201, answer


def test_a_tutor_sees_only_a_childs_first_name_in_requests_and_students(api, aws):
    tutor = api.person("tutor", "Tutor Park")
    child = aws.consent(aws.child())
    assert api.deliver(UserRegistered(email=child.email, name="Minji Kim", role="student", is_minor=True)) == []
    status, made = api.call("post", f"/api/tutors/{tutor.email}/request", {"message": "hi"}, user=child)
    assert status == 201, made
    status, page = api.call("get", "/api/tutors/requests", user=tutor)
    names = [r["studentName"] for r in page["requests"] if r["studentEmail"] == child.email]
    assert names == ["Minji"], page
    approve = api.call("post", f"/api/tutors/requests/{made['requestId']}/approve", user=tutor)
    assert approve[0] == 200, approve
    status, students = api.call("get", "/api/tutor/students", user=tutor)
    assert [s["studentName"] for s in students["students"] if s["studentEmail"] == child.email] == ["Minji"], students
