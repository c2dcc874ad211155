"""Learning analytics end to end: a short real flow on the dev stack (sign up, a practice session with an
assessed recording, a spoken conversation turn, a tutor request, its approval and feedback) lands in the
dev stack's archive, and the analytics over those files show that flow's figures.

The stack is shared by the whole e2e session, so the test keeps the archived lines that name its own two
people and asks its questions of those alone."""

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import requests
from speaktracker_analytics.__main__ import main as analytics_main
from speaktracker_analytics.queries import AnalyticsStore
from speaktracker_dev.analytics_sink import pseudonyms_of

from .conftest import Person, frames, wait_until
from .test_practice_flow import espeak

EXPECTED_TYPES = {
    "user_registered",
    "tutor_match",
    "practice_result",
    "practice_session_ended",
    "conversation_turn_completed",
    "feedback",
}


def archived_lines(archive, names):
    """The archive's lines that name one of ``names`` (users' pseudonyms), by relative path."""
    found = {}
    for path in sorted((archive / "events").glob("type=*/dt=*/*.json")):
        lines = [line for line in path.read_text().splitlines() if any(n in line for n in names)]
        if lines:
            found[path.relative_to(archive)] = lines
    return found


def test_a_short_flow_shows_in_the_analytics(dev_stack, tmp_path):
    tutor = Person(dev_stack, f"Choi Tutor {uuid.uuid4().hex[:4]}", "tutor")
    student = Person(dev_stack, "박학생", "student")

    # A tutor request and its approval, then practice in a session.
    wait_until(
        lambda: [
            t
            for t in student.call("GET", "matching", "/api/tutors?search=choi tut")["tutors"]
            if t["email"] == tutor.email
        ],
        20,
        "the tutor to be known to matching",
    )
    request = student.call("POST", "matching", f"/api/tutors/{tutor.email}/request", {"message": "도와주세요"})
    tutor.call("POST", "matching", f"/api/tutors/requests/{request['requestId']}/approve")

    session = student.call("POST", "practice", "/api/sessions/start", {"sessionType": "practice"})
    made = student.call(
        "POST",
        "practice",
        "/api/sentences/generate",
        {"difficulty": "하", "topic": "일상 대화", "count": 1, "sessionId": session["sessionId"]},
    )
    sentence = made["sentences"][0]["english"]
    assessed = student.request(
        "POST",
        "practice",
        "/api/stt/evaluate",
        files={"audioFile": ("take.wav", espeak(sentence, tmp_path / "take.wav"), "audio/wav")},
        data={"originalText": sentence, "sessionId": session["sessionId"]},
    )
    assert assessed.status_code == 200, assessed.text
    score = assessed.json()["overallScore"]
    ended = student.call("POST", "practice", "/api/sessions/end", {"sessionId": session["sessionId"]})

    # One spoken conversation turn, answered.
    started = student.call(
        "POST", "conversation", "/api/ai/chat/start", {"difficulty": "중", "scenarioId": "cafe-order"}
    )
    audio = base64.b64encode(espeak("I would like a coffee please", tmp_path / "turn.wav")).decode()
    with student.socket() as socket:
        student.call(
            "POST",
            "conversation",
            "/api/ai/chat/message",
            {"conversationId": started["conversationId"], "audioData": audio, "audioContentType": "audio/wav"},
        )
        frames(socket, "ai_reply", 1, timeout=60)

    # The tutor answers the practice with feedback (once notifications has learnt of the link).
    def send_feedback():
        response = requests.post(
            f"{dev_stack.services['notifications']}/api/tutor/feedback",
            timeout=20,
            headers={"Authorization": f"Bearer {tutor.token}"},
            json={"studentEmail": student.email, "message": "잘했어요!"},
        )
        return response if response.status_code == 201 else None

    wait_until(send_feedback, 20, "feedback to be accepted")

    archive = dev_stack.state_dir / "analytics"
    # The archive names people by the stack's pseudonyms, never by email (speaktracker.privacy).
    pseudonyms = pseudonyms_of(dev_stack.state_dir)
    names = (pseudonyms.of(student.email), pseudonyms.of(tutor.email))

    def everything_archived():
        lines = archived_lines(archive, names)
        types = {str(path).split("type=")[1].split("/")[0] for path in lines}
        return lines if types >= EXPECTED_TYPES else None

    mine = wait_until(everything_archived, 30, "the flow's events to reach .dev/analytics")

    # The dev stack's layout: events/type=<type>/dt=<UTC day of occurredAt>/, one JSON event per line.
    for path, lines in mine.items():
        for line in lines:
            event = json.loads(line)
            assert str(path.parent) == f"events/type={event['type']}/dt={event['occurredAt'][:10]}"
            assert student.email not in line and tutor.email not in line and "박학생" not in line
    flow = tmp_path / "flow"
    for path, lines in mine.items():
        (flow / path).parent.mkdir(parents=True, exist_ok=True)
        (flow / path).write_text("\n".join(lines) + "\n")

    today = (datetime.now(UTC) + timedelta(hours=9)).date()  # product days are Korean
    with AnalyticsStore(flow) as store:
        assert [(r.day, r.learners) for r in store.daily_active_learners()] == [(today, 1)]
        assert [r.learners for r in store.weekly_active_learners()] == [1]
        [practice] = store.practice_per_day()
        assert (practice.day, practice.sessions) == (today, 1)
        assert practice.session_minutes == round(ended["duration"] / 60, 2)
        assert practice.speaking_minutes > 0
        [level] = store.scores_by_level()
        assert (level.level, level.assessments, level.average_score) == ("beginner", 1, round(score, 1))
        [turns] = store.conversation_turns_per_day()
        assert (turns.day, turns.turns, turns.conversations, turns.learners) == (today, 1, 1, 1)
        [match] = store.match_response_times()
        assert (match.day, match.responses) == (today, 1) and 0 <= match.average_minutes < 5
        [feedback] = store.feedback_response_times()
        assert (feedback.day, feedback.responses) == (today, 1) and 0 <= feedback.average_minutes < 5

    # make analytics over the same files: the figures printed, every chart drawn.
    assert analytics_main(["--events", str(flow), "--out", str(tmp_path / "charts")]) == 0
    assert len(list((tmp_path / "charts").glob("*.png"))) == 5
