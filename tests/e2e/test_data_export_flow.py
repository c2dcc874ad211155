"""Data portability (GDPR art. 20) end to end on the dev stack: a student with a tutor practises (a real
recording assessed), talks with the AI partner, gets tutor feedback and notifications, then exports their
data. The ZIP holds every kind of record the run made for them, the recording's own bytes, and nothing of
another student who did the same things."""

import io
import json
import uuid
import zipfile

import requests

from .conftest import Person, frames, wait_until
from .test_authorization_matrix import CAFE, _known_to_matching, _link
from .test_practice_flow import espeak, evaluate


def _a_students_day(student, tutor, tmp_path, sentence):
    """Linked to the tutor, one evaluated recording in a session, one answered AI turn, one feedback."""
    _link(student, tutor)
    wait_until(
        lambda: tutor.request("GET", "notifications", "/api/feedback", params={"studentEmail": student.email}).ok,
        30,
        "notifications to know the tutor",
    )
    session = student.call("POST", "practice", "/api/sessions/start", {})
    audio = espeak(sentence, tmp_path / f"{uuid.uuid4().hex}.wav")
    result = evaluate(student, audio, sentence, session["sessionId"])
    assert result.status_code == 200, result.text
    conversation = student.call("POST", "conversation", "/api/ai/chat/start", CAFE)["conversationId"]
    request = student.call(
        "POST",
        "conversation",
        "/api/ai/chat/message",
        {"conversationId": conversation, "userMessage": "A large latte, please."},
    )["requestId"]
    wait_until(
        lambda: student.call("GET", "conversation", f"/api/ai/chat/status/{request}")["status"] == "COMPLETED",
        90,
        "the AI partner to answer",
    )
    feedback = f"Nice linking in 'cup of' {uuid.uuid4().hex[:6]}"
    tutor.call("POST", "notifications", "/api/tutor/feedback", {"studentEmail": student.email, "message": feedback})
    wait_until(
        lambda: any(
            n["type"] == "feedback" for n in student.call("GET", "notifications", "/api/notifications")["notifications"]
        ),
        30,
        "the feedback to reach the inbox",
    )
    return {"result": result.json(), "audio": audio, "conversation": conversation, "feedback": feedback}


def test_the_export_holds_every_kind_of_record_of_the_user_and_nothing_of_anyone_else(dev_stack, tmp_path):
    tag = uuid.uuid4().hex[:4]
    tutor = Person(dev_stack, f"Export Tutor {tag}", "tutor")
    student, other = Person(dev_stack, f"Export Student {tag}", "student"), Person(dev_stack, "Other", "student")
    wait_until(lambda: _known_to_matching(student, tutor), 30, "the tutor to be known to matching")
    mine, theirs = (
        _a_students_day(student, tutor, tmp_path, "I would like a cup of coffee."),
        _a_students_day(other, tutor, tmp_path, "Could I have some tea, please?"),
    )

    with student.socket() as socket:  # the user waits on the profile screen: the push says it is ready
        started = student.call("POST", "identity", "/api/users/me/export", {})
        again = student.request("POST", "identity", "/api/users/me/export")
        assert again.status_code == 409 or again.json().get("status") == "RUNNING"
        [pushed] = frames(socket, "user_export_ready", 1, timeout=120)
    assert pushed["exportId"] == started["exportId"] and pushed["availableUntil"]
    # The push names the export; its link is fetched fresh from identity (a presigned URL expires soon).
    ready = student.call("GET", "identity", f"/api/users/me/export/{pushed['exportId']}")
    assert ready["status"] == "READY" and ready["downloadUrl"], ready
    assert other.request("GET", "identity", f"/api/users/me/export/{started['exportId']}").status_code == 404

    archive = zipfile.ZipFile(io.BytesIO(requests.get(ready["downloadUrl"], timeout=30).content))
    names = set(archive.namelist())

    def records(path):
        return json.loads(archive.read(path))

    manifest = records("manifest.json")
    assert {f["path"] for f in manifest["files"]} == names - {"manifest.json"}
    assert all(f["description"] for f in manifest["files"])
    # identity
    assert records("identity/profile.json")[0]["email"] == student.email
    # matching: the approved request and the link
    assert [(r["studentEmail"], r["status"]) for r in records("matching/requests.json")] == [
        (student.email, "APPROVED")
    ]
    assert [link["tutorEmail"] for link in records("matching/links.json")] == [tutor.email]
    # practice: the session, the result with per-word scores, the recording's bytes
    assert records("practice/sessions.json")
    [result] = records("practice/results.json")
    assert result["resultId"] == mine["result"]["resultId"] and result["assessment"]["words"]
    assert archive.read(result["recordingFile"]) == mine["audio"]
    # conversation: the conversation with the answered turn and its feedback
    [conversation] = records("conversation/conversations.json")
    assert conversation["conversationId"] == mine["conversation"]
    assert any(t.get("typedText") == "A large latte, please." for t in conversation["turns"])
    # notifications: the tutor's feedback and the inbox (the approval, the feedback)
    assert [f["message"] for f in records("notifications/feedback.json")] == [mine["feedback"]]
    assert {"tutor_match", "feedback"} <= {n["type"] for n in records("notifications/inbox.json")}
    # nothing of the other student
    everything = b"".join(archive.read(name) for name in names)
    for foreign in (other.email, theirs["result"]["resultId"], theirs["conversation"], theirs["feedback"]):
        assert foreign.encode() not in everything, foreign
    assert theirs["audio"] not in everything

    inbox = wait_until(
        lambda: [
            n
            for n in student.call("GET", "notifications", "/api/notifications")["notifications"]
            if n["type"] == "user_export_ready"
        ],
        30,
        "the export's notification",
    )
    assert inbox[0]["data"]["exportId"] == started["exportId"]
