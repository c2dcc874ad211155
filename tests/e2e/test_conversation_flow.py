"""Seed scenario 4 end to end on the dev stack, offline, over HTTP and WebSocket: a student starts a role-play,
speaks a turn (an espeak-ng recording), hears the partner's reply pushed as ai_reply, reads the status with
what was heard, the transcript and the end report; practice counts the turn; another student sees nothing."""

import base64
import json
import subprocess
import time
import uuid

import requests
from speaktracker.events import SnsEventPublisher, TurnFeedbackReady

from .conftest import Person, frames, wait_until


def espeak(text, path):
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(path), text], check=True)
    return path.read_bytes()


def test_a_spoken_role_play_from_start_to_report(dev_stack, tmp_path):
    student = Person(dev_stack, "이민지", "student")
    stranger = Person(dev_stack, "Other Student", "student")
    scenarios = student.call("GET", "conversation", "/api/ai/scenarios")["scenarios"]
    assert len(scenarios) >= 12 and "cafe-order" in {s["scenarioId"] for s in scenarios}

    started = student.call(
        "POST", "conversation", "/api/ai/chat/start", {"difficulty": "중", "scenarioId": "cafe-order"}
    )
    cid = started["conversationId"]
    opener = requests.get(started["audioUrl"], timeout=20)
    assert opener.status_code == 200 and opener.content[:4] == b"RIFF"

    said = "I would like a large coffee please"
    audio = base64.b64encode(espeak(said, tmp_path / "turn.wav")).decode()
    with student.socket() as socket:
        sent_at = time.monotonic()
        accepted = student.call(
            "POST",
            "conversation",
            "/api/ai/chat/message",
            {"conversationId": cid, "audioData": audio, "audioContentType": "audio/wav"},
        )
        assert accepted["status"] == "PROCESSING"
        [pushed] = frames(socket, "ai_reply", 1, timeout=60)
        waited = time.monotonic() - sent_at
    assert pushed["requestId"] == accepted["requestId"] and pushed["status"] == "COMPLETED"
    assert pushed["aiMessage"] and pushed["aiMessageKo"] and waited < 60

    status = student.call("GET", "conversation", f"/api/ai/chat/status/{accepted['requestId']}")
    assert status["status"] == "COMPLETED" and status["aiMessage"] == pushed["aiMessage"]
    assert {"large", "coffee"} <= set(status["heardText"].lower().replace(".", "").split())
    reply_audio = requests.get(status["audioUrl"], timeout=20)
    assert reply_audio.status_code == 200 and reply_audio.content[:4] == b"RIFF"

    def feedback_ready():
        body = student.call("GET", "conversation", f"/api/ai/chat/{cid}")
        return body if body["turns"][-1]["feedback"] else None

    transcript = wait_until(feedback_ready, 30, "the turn's feedback")
    turn = transcript["turns"][1]
    assert turn["heardText"] == status["heardText"] and turn["userAudioUrl"] and turn["aiAudioUrl"]
    assert turn["feedback"]["pronunciation"]["words"]

    for method, path in (
        ("GET", f"/api/ai/chat/{cid}"),
        ("GET", f"/api/ai/chat/status/{accepted['requestId']}"),
        ("POST", f"/api/ai/chat/{cid}/hint"),
        ("POST", f"/api/ai/chat/{cid}/end"),
    ):
        assert stranger.request(method, "conversation", path).status_code == 404, path
    assert (
        stranger.request(
            "POST", "conversation", "/api/ai/chat/message", json={"conversationId": cid, "userMessage": "hi"}
        ).status_code
        == 404
    )

    report = student.call("POST", "conversation", f"/api/ai/chat/{cid}/end")["report"]
    assert report["turns"] == 1 and report["goals"][0]["met"] and report["cefr"]["isEstimate"]
    assert report["scores"]["accuracy"] is not None
    assert [c["conversationId"] for c in student.call("GET", "conversation", "/api/ai/chat")["conversations"]] == [cid]

    summary = wait_until(
        lambda: (s := student.call("GET", "practice", "/api/stats/summary"))["conversationTurns"] and s,
        30,
        "practice to count the turn",
    )
    assert summary["streakDays"] == 1 and summary["totalSpeakingTime"] >= 1


def turn_feedback_frames(socket, seconds):
    """Every turn_feedback frame pushed within ``seconds``."""
    found, deadline = [], time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            frame = json.loads(socket.recv(timeout=remaining))
        except TimeoutError:
            break
        if frame.get("type") == "turn_feedback":
            found.append(frame)
    return found


def test_a_typed_turns_feedback_is_pushed_to_the_learner_once(dev_stack):
    student = Person(dev_stack, "Kim Jisoo", "student")
    cid = student.call("POST", "conversation", "/api/ai/chat/start", {"scenarioId": "cafe-order"})["conversationId"]
    with student.socket() as socket:
        accepted = student.call(
            "POST", "conversation", "/api/ai/chat/message", {"conversationId": cid, "userMessage": "I very like latte"}
        )
        [reply] = frames(socket, "ai_reply", 1, timeout=60)
        [pushed] = frames(socket, "turn_feedback", 1, timeout=60)
        assert reply["requestId"] == pushed["requestId"] == accepted["requestId"]
        assert (pushed["conversationId"], pushed["turnIndex"]) == (cid, 1)
        assert pushed["feedback"]["status"] == "READY" and pushed["feedback"]["corrections"][0]["corrected"]
        status = student.call("GET", "conversation", f"/api/ai/chat/status/{accepted['requestId']}")
        assert status["feedback"] == pushed["feedback"]  # pushed once saved: the status route has it too

        # The event delivered again (SQS at least once, conversation's retry) is not pushed again; a new event is.
        topic = next(
            t["TopicArn"] for t in dev_stack.client("sns").list_topics()["Topics"] if t["TopicArn"].endswith("-events")
        )
        publisher = SnsEventPublisher(dev_stack.client("sns"), topic)
        fields = {k: pushed[k] for k in ("requestId", "conversationId", "turnIndex", "feedback")}
        publisher.publish(TurnFeedbackReady(eventId=pushed["eventId"], studentEmail=student.email, **fields))
        publisher.publish(TurnFeedbackReady(eventId=str(uuid.uuid4()), studentEmail=student.email, **fields))
        later = turn_feedback_frames(socket, 8)
    assert len(later) == 1 and later[0]["eventId"] != pushed["eventId"]
