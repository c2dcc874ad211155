"""A child's sign-up against the emulator: the guardian's mailed link, consent in the token after a refresh."""

import re
import time
import uuid

import jwt

from .conftest import last_code, last_mail

PASSWORD = "Str0ng!Pass"
YEAR = time.gmtime().tm_year


def _groups(token):
    return jwt.decode(token, options={"verify_signature": False}).get("cognito:groups", [])


def _sign_up_child(api, aws):
    email, guardian = f"kid-{uuid.uuid4().hex[:8]}@example.com", f"mum-{uuid.uuid4().hex[:8]}@example.com"
    body = {
        "email": email,
        "password": PASSWORD,
        "name": "Minji Kim",
        "role": "student",
        "birthYear": YEAR - 10,
        "guardianEmail": guardian,
    }
    status, answer = api.call("post", "/api/auth/register", body)
    assert (status, answer["consent"]) == (201, "PENDING_CONSENT")
    assert api.call("post", "/api/auth/confirm", {"email": email, "code": last_code(aws, email)})[0] == 200
    mail = last_mail(aws, guardian)
    token = re.search(r"/consent#token=(\S+)", mail).group(1)
    withdraw = re.search(r"/consent/withdraw#token=(\S+)", mail).group(1)
    return email, token, withdraw


def test_a_child_signs_in_pending_and_a_refresh_after_consent_clears_the_group(api, aws):
    email, token, _ = _sign_up_child(api, aws)
    status, login = api.call("post", "/api/auth/login", {"email": email, "password": PASSWORD})
    assert status == 200 and login["user"]["consent"] == "PENDING_CONSENT"
    assert "consent-pending" in _groups(login["accessToken"])

    status, asks = api.call("post", "/api/guardian-consent/request", {"token": token})
    assert (status, asks["childName"], asks["childEmail"]) == (200, "Minji Kim", email)
    status, decided = api.call("post", "/api/guardian-consent", {"token": token, "decision": "consent"})
    assert (status, decided["consent"]) == (200, "CONSENTED")

    status, fresh = api.call("post", "/api/auth/refresh", {"refreshToken": login["refreshToken"]})
    assert status == 200 and _groups(fresh["accessToken"]) == ["student"]
    status, again = api.call("post", "/api/guardian-consent", {"token": token, "decision": "consent"})
    assert (status, again["error"]) == (409, "CONSENT_LINK_USED")


def test_tampered_links_and_bad_birth_years_are_4xx_with_their_codes(api, aws):
    _, token, _ = _sign_up_child(api, aws)
    tampered = token[:-2] + ("xy" if not token.endswith("xy") else "zw")
    status, body = api.call("post", "/api/guardian-consent", {"token": tampered, "decision": "consent"})
    assert (status, body["error"]) == (400, "CONSENT_LINK_INVALID")
    for year, code in ((YEAR + 1, "BIRTH_YEAR_IN_FUTURE"), (1850, "BIRTH_YEAR_ABSURD")):
        body = {"email": f"x-{uuid.uuid4().hex[:6]}@example.com", "password": PASSWORD, "name": "X", "role": "student"}
        status, answer = api.call("post", "/api/auth/register", {**body, "birthYear": year})
        assert (status, answer["error"]) == (400, code)
    status, answer = api.call("post", "/api/auth/register", body)
    assert (status, answer["error"]) == (400, "BIRTH_YEAR_REQUIRED")
    status, answer = api.call("post", "/api/auth/register", {**body, "birthYear": YEAR - 10})
    assert (status, answer["error"]) == (400, "GUARDIAN_EMAIL_REQUIRED")
    status, answer = api.call("post", "/api/auth/register", {**body, "role": "tutor", "birthYear": YEAR - 16})
    assert (status, answer["error"]) == (400, "TUTOR_MUST_BE_ADULT")


def test_withdrawal_erases_the_account(api, aws):
    email, token, withdraw = _sign_up_child(api, aws)
    assert api.call("post", "/api/guardian-consent", {"token": token, "decision": "consent"})[0] == 200
    status, body = api.call("post", "/api/guardian-consent/withdraw", {"token": withdraw})
    assert (status, body["consent"]) == (200, "WITHDRAWN")
    status, body = api.call("post", "/api/auth/login", {"email": email, "password": PASSWORD})
    assert status == 401
