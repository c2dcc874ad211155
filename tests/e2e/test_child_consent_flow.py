"""A 10-year-old on the running stack: blocked from recording until the guardian consents through the link in
the dev mailbox; the refreshed token records; their tutor sees only the first name."""

import re
import time
import uuid

import requests

from .conftest import PASSWORD, Person
from .test_practice_flow import espeak, evaluate


def test_a_child_records_only_after_the_guardian_consents(dev_stack, tmp_path):
    identity = dev_stack.services["identity"]
    email, guardian = f"kid-{uuid.uuid4().hex[:8]}@example.com", f"mum-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": PASSWORD, "name": "Minji Kim", "role": "student"}
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

    tutor = Person(dev_stack, "Tutor Han", "tutor")
    deadline = time.time() + 60
    while (
        child.request("post", "matching", f"/api/tutors/{tutor.email}/request", json={"message": "hi"}).status_code
        != 201
    ):
        assert time.time() < deadline, "matching never heard of the child or the tutor"
        time.sleep(1)
    requests_seen = tutor.call("get", "matching", "/api/tutors/requests")["requests"]
    assert [r["studentName"] for r in requests_seen if r["studentEmail"] == email] == ["Minji"]
