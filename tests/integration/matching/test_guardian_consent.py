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
