"""A 10-year-old on the running stack: blocked from recording until the guardian consents through the link in
the dev mailbox; the refreshed token records; their tutor sees only the first name and the child's handle, in
every answer and every push."""

import base64
import json
import re
import time
import uuid

import requests
from speaktracker.events import is_child_handle

from .conftest import PASSWORD, Person, wait_until
from .test_practice_flow import espeak, evaluate


def test_a_child_records_only_after_the_guardian_consents(dev_stack, tmp_path):
    identity = dev_stack.services["identity"]
    email, guardian = f"kid-{uuid.uuid4().hex[:8]}@example.com", f"mum-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": PASSWORD, "name": "Minji Ballantyne", "role": "student"}
    body |= {"birthYear": time.gmtime().tm_year - 10, "guardianEmail": guardian}
    registered = requests.post(f"{identity}/api/auth/register", json=body, timeout=20)
    assert registered.status_code == 201 and registered.json()["consent"] == "PENDING_CONSENT", registered.text
    code = re.search(r"\b(\d{6})\b", dev_stack.mailbox(email)[0]["body"]).group(1)
    assert requests.post(f"{identity}/api/auth/confirm", json={"email": email, "code": code}, timeout=20).ok
    login = requests.post(f"{identity}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=20).json()

    child = Person.__new__(Person)
    child.stack, child.email, child.token = dev_stack, email, login["accessToken"]
    blocked = child.request("post", "practice", "/api/sessions/start", json={"sessionType": "practice"})
    assert blocked.status_code == 403 and blocked.json()["error"] == "GUARDIAN_CONSENT_REQUIRED", blocked.text

    token = re.search(r"/consent#token=(\S+)", dev_stack.mailbox(guardian)[0]["body"]).group(1)
    consent = requests.post(
        f"{identity}/api/guardian-consent", json={"token": token, "decision": "consent"}, timeout=20
    )
    assert consent.status_code == 200 and consent.json()["consent"] == "CONSENTED", consent.text

    refreshed = requests.post(f"{identity}/api/auth/refresh", json={"refreshToken": login["refreshToken"]}, timeout=20)
    child.token = refreshed.json()["accessToken"]
    session = child.call("post", "practice", "/api/sessions/start", {"sessionType": "practice"})
    sentence = "I like apples."
    answer = evaluate(child, espeak(sentence, tmp_path / "child.wav"), sentence, session["sessionId"])
    assert answer.status_code == 200 and answer.json()["overallScore"] > 0, answer.text

    _a_childs_tutor_sees_neither_email_nor_surname(dev_stack, child, tmp_path)


class _Tutor(Person):
    """A tutor whose every answer from the services is kept, to be scanned afterwards."""

    seen: list

    def request(self, method, service, path, **options):
        response = super().request(method, service, path, **options)
        self.seen.append(f"{method} {path} {options.get('params', '')} -> {response.status_code} {response.text}")
        return response


def _pushes_until(socket, wanted, timeout=90):
    """Every frame pushed to the socket until one of each type in ``wanted`` arrived."""
    got, deadline = [], time.monotonic() + timeout
    while not wanted <= {f.get("type") for f in got}:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"pushed only {[f.get('type') for f in got]}, waiting for {wanted}"
        got.append(json.loads(socket.recv(timeout=remaining)))
    return got


def _a_childs_tutor_sees_neither_email_nor_surname(dev_stack, child, tmp_path):
    """The issue: "Tutors see only a child's first name". Everything the tutor is answered or pushed about
    the child names them by first name and handle; the tutor still opens their summary and sends feedback."""
    tutor = _Tutor(dev_stack, "Tutor Han", "tutor")
    tutor.seen = []
    with tutor.socket() as socket:
        wait_until(
            lambda: child.request(
                "post", "matching", f"/api/tutors/{tutor.email}/request", json={"message": "hi"}
            ).status_code
            == 201,
            60,
            "matching to know the child and the tutor",
        )
        [request] = [r for r in tutor.call("get", "matching", "/api/tutors/requests")["requests"]]
        handle = request["studentEmail"]
        assert request["studentName"] == "Minji" and is_child_handle(handle), request
        tutor.call("post", "matching", f"/api/tutors/requests/{request['requestId']}/approve")
        [linked] = tutor.call("get", "matching", "/api/tutor/students")["students"]
        assert linked["studentEmail"] == handle
        # The child's tutor link reaches practice and notifications through TutorMatch: then the handle works.
        wait_until(
            lambda: tutor.request("get", "practice", "/api/stats/summary", params={"studentEmail": handle}).ok
            and tutor.request("get", "notifications", "/api/feedback", params={"studentEmail": handle}).ok,
            60,
            "practice and notifications to know the child's tutor",
        )
        child.call("post", "matching", "/api/student-status", {"room": "practice", "isLearning": True})
        session = child.call("post", "practice", "/api/sessions/start", {"sessionType": "practice"})
        sentence = "I like apples."
        answer = evaluate(child, espeak(sentence, tmp_path / "child-2.wav"), sentence, session["sessionId"])
        assert answer.status_code == 200, answer.text
        pushed = _pushes_until(socket, {"tutor_match", "student_status_update", "practice_result"})

    summary = tutor.call("get", "practice", f"/api/stats/summary?studentEmail={handle}")
    assert summary["studentEmail"] == handle
    results = tutor.request("get", "practice", "/api/results", params={"studentEmail": handle}).json()
    assert results["results"] and results["results"][0]["originalText"] == sentence
    _the_tutor_pages_the_childs_results_through_sealed_cursors(tutor, child, handle, results["results"])
    tutor.request("get", "practice", "/api/stats/daily", params={"studentEmail": handle})
    tutor.request("get", "practice", "/api/sessions", params={"studentEmail": handle})
    tutor.request("get", "conversation", "/api/ai/chat", params={"studentEmail": handle})
    sent = tutor.call("post", "notifications", "/api/tutor/feedback", {"studentEmail": handle, "message": "Great!"})
    assert sent["feedback"]["studentEmail"] == handle
    tutor.request("get", "notifications", "/api/feedback", params={"studentEmail": handle})
    tutor.request("get", "notifications", "/api/notifications")
    tutor.request("get", "matching", "/api/tutors/requests", params={"status": "APPROVED"})
    assert any(
        n["type"] == "feedback" for n in child.call("get", "notifications", "/api/notifications")["notifications"]
    )

    everything = "\n".join([*tutor.seen, *(json.dumps(frame, ensure_ascii=False) for frame in pushed)])
    assert handle in everything
    for secret in (child.email, child.email.split("@")[0], "Ballantyne"):
        assert secret not in everything, f"{secret} reached the tutor"


def _the_tutor_pages_the_childs_results_through_sealed_cursors(tutor, child, handle, every_result):
    """One result a page: each arrives exactly once, and no cursor carries anything readable about the child (it
    is sealed: AES-GCM under the stack's platform secret, bound to the child's results list and to its caller: the
    child and the tutor read the same list, each with cursors of their own)."""
    assert len(every_result) == 2  # the two recordings, newest first
    seen, cursors, cursor = [], [], None
    while True:
        params = {"studentEmail": handle, "limit": 1, **({"cursor": cursor} if cursor else {})}
        answer = tutor.request("get", "practice", "/api/results", params=params)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        seen += [r["resultId"] for r in page["results"]]
        cursor = page["cursor"]
        if not cursor:
            break
        cursors.append(cursor)
    assert seen == [r["resultId"] for r in every_result] and len(cursors) >= 1
    for sealed in cursors:
        raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
        for secret in (child.email, child.email.split("@")[0], handle, handle.removeprefix("child-"), "studentEmail"):
            assert secret.encode() not in raw and secret not in sealed, f"{secret} is readable in a cursor"
        tampered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
        for bad in (tampered, sealed[:-8], sealed + "AAAA"):
            answer = tutor.request("get", "practice", "/api/results", params={"studentEmail": handle, "cursor": bad})
            assert (answer.status_code, answer.json()["error"]) == (400, "INVALID_CURSOR"), answer.text
        # Another list: the tutor's own feedback list, or conversations, do not take a results cursor.
        for service, path in (("conversation", "/api/ai/chat"), ("notifications", "/api/feedback")):
            answer = tutor.request("get", service, path, params={"studentEmail": handle, "cursor": sealed})
            assert (answer.status_code, answer.json()["error"]) == (400, "INVALID_CURSOR"), answer.text
        # The same list, read by its other reader: the child's own results do not take the tutor's cursor.
        answer = child.request("get", "practice", "/api/results", params={"limit": 1, "cursor": sealed})
        assert (answer.status_code, answer.json()["error"]) == (400, "INVALID_CURSOR"), answer.text
    first, second = every_result
    own = child.request("get", "practice", "/api/results", params={"limit": 1}).json()  # and the child's own cursor
    assert [r["resultId"] for r in own["results"]] == [first["resultId"]] and own["cursor"]
    answer = tutor.request("get", "practice", "/api/results", params={"studentEmail": handle, "cursor": own["cursor"]})
    assert (answer.status_code, answer.json()["error"]) == (400, "INVALID_CURSOR"), answer.text
    after = child.request("get", "practice", "/api/results", params={"limit": 1, "cursor": own["cursor"]}).json()
    assert [r["resultId"] for r in after["results"]] == [second["resultId"]]
