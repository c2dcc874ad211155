"""The load mix of ``make load`` (locust, headless): students sign in, practise (generate five sentences, wait
for their audio, have an espeak-ng recording evaluated) and talk with the AI partner; tutors read their
dashboard and send feedback. Accounts come from ``SPEAKTRACKER_LOAD_ACCOUNTS`` (a JSON file the driver,
``test_load.py``, writes); every job and turn submitted is written to ``SPEAKTRACKER_LOAD_WORK`` at the end,
so the driver can check that none was lost."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(Path(os.environ["SPEAKTRACKER_LOAD_ACCOUNTS"]).read_text())
SERVICES = ACCOUNTS["services"]
SENTENCES = ["I would like a cup of coffee.", "My neighbor invited me to dinner on Friday.", "Where is the station?"]
_next = {role: itertools.cycle(ACCOUNTS[role]) for role in ("students", "tutors")}
_lock = threading.Lock()
_work: dict[str, list[str]] = {"jobs": [], "turns": []}


def _espeak(text: str) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".wav") as wav:
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", wav.name, text], check=True)
        return Path(wav.name).read_bytes()


RECORDINGS = {text: _espeak(text) for text in SENTENCES}


@events.test_stop.add_listener
def _write_work(**_: object) -> None:
    Path(os.environ["SPEAKTRACKER_LOAD_WORK"]).write_text(json.dumps(_work))


class _Signed(HttpUser):
    abstract = True
    host = SERVICES["identity"]
    role = "students"

    def on_start(self) -> None:
        with _lock:
            self.account = next(_next[self.role])
        self.sign_in()

    @task(1)
    def sign_in(self) -> None:
        answer = self.client.post(
            f"{SERVICES['identity']}/api/auth/login",
            json={"email": self.account["email"], "password": self.account["password"]},
            name="POST /api/auth/login",
        )
        if answer.ok:
            self.headers = {"Authorization": f"Bearer {answer.json()['accessToken']}"}

    def call(self, method: str, service: str, path: str, name: str, **options):
        return self.client.request(
            method, f"{SERVICES[service]}{path}", headers=self.headers, name=f"{method} {name}", **options
        )

    def wait_for(self, method: str, service: str, path: str, name: str, done, timeout: float = 90.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answer = self.call(method, service, path, name)
            if answer.ok and done(answer.json()):
                return answer.json()
            time.sleep(0.5)
        return None


class Student(_Signed):
    wait_time = between(0.5, 2.0)
    role = "students"

    @task(3)
    def practise(self) -> None:
        session = self.call(
            "POST", "practice", "/api/sessions/start", "/api/sessions/start", json={"sessionType": "practice"}
        )
        if not session.ok:
            return
        made = self.call(
            "POST",
            "practice",
            "/api/sentences/generate",
            "/api/sentences/generate",
            json={"difficulty": "하", "topic": "일상 대화", "count": 5, "sessionId": session.json()["sessionId"]},
        )
        if not made.ok:
            return
        with _lock:
            _work["jobs"] += [f"{self.account['email']} {job}" for job in made.json()["jobIds"]]
        for job_id in made.json()["jobIds"]:
            self.wait_for(
                "GET",
                "practice",
                f"/api/tts/status/{job_id}",
                "/api/tts/status/[jobId]",
                lambda b: b["status"] != "PENDING" and b["status"] != "PROCESSING",
            )
        text = SENTENCES[len(_work["jobs"]) % len(SENTENCES)]
        self.call(
            "POST",
            "practice",
            "/api/stt/evaluate",
            "/api/stt/evaluate",
            files={"audioFile": ("take.wav", RECORDINGS[text], "audio/wav")},
            data={"originalText": text, "sessionId": session.json()["sessionId"]},
        )
        self.call(
            "POST",
            "practice",
            "/api/sessions/end",
            "/api/sessions/end",
            json={"sessionId": session.json()["sessionId"]},
        )

    @task(2)
    def converse(self) -> None:
        if not getattr(self, "conversation_id", None):
            started = self.call(
                "POST",
                "conversation",
                "/api/ai/chat/start",
                "/api/ai/chat/start",
                json={"difficulty": "하", "scenarioId": "cafe-order"},
            )
            if not started.ok:
                return
            self.conversation_id = started.json()["conversationId"]
        sent = self.call(
            "POST",
            "conversation",
            "/api/ai/chat/message",
            "/api/ai/chat/message",
            json={"conversationId": self.conversation_id, "userMessage": "Hi, I would like a coffee please."},
        )
        if not sent.ok:
            return
        request_id = sent.json()["requestId"]
        with _lock:
            _work["turns"].append(f"{self.account['email']} {request_id}")
        self.wait_for(
            "GET",
            "conversation",
            f"/api/ai/chat/status/{request_id}",
            "/api/ai/chat/status/[requestId]",
            lambda b: b["status"] != "PROCESSING",
        )

    @task(1)
    def home(self) -> None:
        self.call("GET", "practice", "/api/stats/summary", "/api/stats/summary")
        self.call("GET", "notifications", "/api/notifications", "/api/notifications")


class Tutor(_Signed):
    wait_time = between(1.0, 3.0)
    role = "tutors"
    weight = 1

    @task(3)
    def dashboard(self) -> None:
        students = self.call("GET", "matching", "/api/tutor/students", "/api/tutor/students")
        self.call("GET", "matching", "/api/tutors/requests", "/api/tutors/requests")
        if students.ok:
            for student in students.json().get("students", [])[:2]:
                email = student.get("studentEmail") or student.get("email")
                self.call(
                    "GET", "practice", f"/api/stats/summary?studentEmail={email}", "/api/stats/summary?studentEmail"
                )

    @task(1)
    def feedback(self) -> None:
        for email in self.account.get("students", [])[:1]:
            self.call(
                "POST",
                "notifications",
                "/api/tutor/feedback",
                "/api/tutor/feedback",
                json={"studentEmail": email, "message": "Good job on the vowels!"},
            )


Student.weight = 4
