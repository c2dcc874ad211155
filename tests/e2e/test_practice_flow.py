"""Seed scenario 3 end to end on the dev stack, offline, over HTTP and WebSocket: a student practises
sentences with speech made by espeak-ng and recordings assessed by pocketsphinx; their tutor sees each
result live and reads their progress."""

import subprocess
import uuid
from datetime import UTC, datetime, timedelta

import requests

from .conftest import Person, frames, wait_until


def espeak(text, path):
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(path), text], check=True)
    return path.read_bytes()


def evaluate(student, audio, text, session_id):
    return student.request(
        "POST",
        "practice",
        "/api/stt/evaluate",
        files={"audioFile": ("take.wav", audio, "audio/wav")},
        data={"originalText": text, "sessionId": session_id},
    )


def test_a_student_practises_and_their_tutor_follows(dev_stack, tmp_path):
    tutor = Person(dev_stack, f"Park Tutor {uuid.uuid4().hex[:4]}", "tutor")
    student = Person(dev_stack, "김학생", "student")
    wait_until(
        lambda: [
            t
            for t in student.call("GET", "matching", "/api/tutors?search=park tut")["tutors"]
            if t["email"] == tutor.email
        ],
        20,
        "the tutor to be known to matching",
    )
    request = student.call("POST", "matching", f"/api/tutors/{tutor.email}/request", {"message": "발음 연습"})
    tutor.call("POST", "matching", f"/api/tutors/requests/{request['requestId']}/approve")
    summary_path = f"/api/stats/summary?studentEmail={student.email}"
    wait_until(
        lambda: tutor.request("GET", "practice", summary_path).status_code == 200,
        20,
        "practice to learn of the tutor link",
    )

    with student.socket() as student_socket, tutor.socket() as tutor_socket:
        session = student.call(
            "POST", "practice", "/api/sessions/start", {"sessionType": "practice", "metadata": {"difficulty": "하"}}
        )
        made = student.call(
            "POST",
            "practice",
            "/api/sentences/generate",
            {"difficulty": "하", "topic": "일상 대화", "count": 5, "sessionId": session["sessionId"]},
        )
        assert len(made["sentences"]) == 5 and all(s["korean"] for s in made["sentences"])

        ready = frames(student_socket, "tts_ready", 5)
        assert sorted(f["jobId"] for f in ready) == sorted(made["jobIds"])
        assert {f["status"] for f in ready} == {"COMPLETED"}
        for job_id in made["jobIds"]:
            job = student.call("GET", "practice", f"/api/tts/status/{job_id}")
            audio = requests.get(job["audioUrl"], timeout=20)
            assert audio.status_code == 200 and audio.content[:4] == b"RIFF" and len(audio.content) > 5000

        sentence = made["sentences"][0]["english"]
        answer = evaluate(student, espeak(sentence, tmp_path / "whole.wav"), sentence, session["sessionId"])
        assert answer.status_code == 200, answer.text
        result = answer.json()
        assert result["overallScore"] >= 70 and result["missedWords"] == []
        assert all(w["phonemes"] for w in result["words"])
        [pushed] = frames(tutor_socket, "practice_result", 1, timeout=30)
        assert (pushed["studentEmail"], pushed["resultId"]) == (student.email, result["resultId"])

        # A sentence of the bank read without one word: the word is reported missing.
        reference, dropped = "My neighbor invited me to dinner on Friday.", "dinner"
        spoken = reference.replace(f" {dropped}", "")
        answer = evaluate(student, espeak(spoken, tmp_path / "missing.wav"), reference, session["sessionId"])
        assert answer.status_code == 200, answer.text
        assert dropped in [w.lower() for w in answer.json()["missedWords"]]
        frames(tutor_socket, "practice_result", 1, timeout=30)

        ended = student.call("POST", "practice", "/api/sessions/end", {"sessionId": session["sessionId"]})
        assert ended["speakingDuration"] >= 1

    today = (datetime.now(UTC) + timedelta(hours=9)).date().isoformat()
    daily = student.call("GET", "practice", f"/api/stats/daily?from={today}&to={today}")["days"]
    assert daily[0]["date"] == today and daily[0]["practiceCount"] == 1 and daily[0]["evaluationCount"] == 2
    assert daily[0]["totalSpeakingTime"] == ended["speakingDuration"]
    summary = student.call("GET", "practice", "/api/stats/summary")
    assert summary["streakDays"] == 1 and summary["practiceCount"] == 1 and summary["evaluationCount"] == 2
    sessions = student.call("GET", "practice", f"/api/sessions?from={today}&to={today}")["sessions"]
    assert [s["sessionId"] for s in sessions] == [session["sessionId"]] and sessions[0]["status"] == "ENDED"

    assert tutor.call("GET", "practice", summary_path)["evaluationCount"] == 2
    stranger = Person(dev_stack, "Another Tutor", "tutor")
    assert stranger.request("GET", "practice", summary_path).status_code == 403
