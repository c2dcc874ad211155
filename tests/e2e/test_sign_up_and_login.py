"""Seed scenario 1 over real HTTP on the running stack: register, the code from the dev mailbox, confirm,
login, the profile; and every way in that must be refused with a clear 4xx."""

import base64
import gzip
import json
import re
import time
import uuid
from pathlib import Path

import jwt
import moto.cognitoidp
import pytest
import requests

PASSWORD = "Str0ng!Pass"


def post(stack, path, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(f"{stack.services['identity']}{path}", json=body, headers=headers, timeout=20)


def me(stack, token):
    return requests.get(
        f"{stack.services['identity']}/api/users/me", headers={"Authorization": f"Bearer {token}"}, timeout=20
    )


def code_from_mailbox(stack, email):
    messages = stack.mailbox(email)
    assert messages, f"nothing in the mailbox of {email}"
    return re.search(r"\b(\d{6})\b", messages[0]["body"]).group(1)


@pytest.fixture(scope="module")
def account(dev_stack):
    email = f"hong-{uuid.uuid4().hex[:8]}@example.com"
    response = post(
        dev_stack,
        "/api/auth/register",
        {"email": email, "password": PASSWORD, "name": "홍길동", "role": "student", "birthYear": 1990},
    )
    assert response.status_code == 201, response.text
    return email


def test_register_confirm_login_and_read_the_profile(dev_stack, account):
    response = post(dev_stack, "/api/auth/confirm", {"email": account, "code": code_from_mailbox(dev_stack, account)})
    assert response.status_code == 200, response.text
    response = post(dev_stack, "/api/auth/login", {"email": account, "password": PASSWORD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"] == {"email": account, "name": "홍길동", "role": "student", "consent": "NOT_NEEDED"}
    profile = me(dev_stack, body["accessToken"])
    assert profile.status_code == 200 and profile.json()["email"] == account
    assert profile.headers.get("X-Request-Id")


def test_a_wrong_code_is_refused(dev_stack):
    email = f"kim-{uuid.uuid4().hex[:8]}@example.com"
    post(
        dev_stack,
        "/api/auth/register",
        {"email": email, "password": PASSWORD, "name": "김", "role": "tutor", "birthYear": 1985},
    )
    right = code_from_mailbox(dev_stack, email)
    response = post(
        dev_stack, "/api/auth/confirm", {"email": email, "code": "000000" if right != "000000" else "111111"}
    )
    assert response.status_code == 400 and response.json()["error"] == "CODE_INVALID"


@pytest.mark.parametrize(
    "body, code",
    [
        ({"email": "x@example.com", "password": PASSWORD, "name": "X"}, "VALIDATION_FAILED"),
        ({"email": "x@example.com", "password": PASSWORD, "name": "X", "role": "student"}, "BIRTH_YEAR_REQUIRED"),
        (
            {"email": "x@example.com", "password": "password1", "name": "X", "role": "student", "birthYear": 1990},
            "WEAK_PASSWORD",
        ),
    ],
)
def test_missing_field_and_weak_password(dev_stack, body, code):
    response = post(dev_stack, "/api/auth/register", body)
    assert response.status_code == 400 and response.json()["error"] == code
    assert response.json()["message"] and response.json()["requestId"]


def test_malformed_json_is_a_400(dev_stack):
    response = requests.post(
        f"{dev_stack.services['identity']}/api/auth/login",
        data="{oops",
        headers={"Content-Type": "application/json"},
        timeout=20,
    )
    assert response.status_code == 400 and response.json()["error"] == "INVALID_JSON"


def _real_token(dev_stack):
    return dev_stack.user(role="student").access_token


def test_a_tampered_token_is_refused(dev_stack):
    header, payload, signature = _real_token(dev_stack).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["username"] = "someone-else@example.com"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    response = me(dev_stack, f"{header}.{forged}.{signature}")
    assert response.status_code == 401 and response.json()["error"] == "TOKEN_INVALID"


def _emulator_signing_key():
    """The emulator signs every pool's tokens with one published key: we can forge with it, so the app must
    rely on iss, client id and expiry, not on the signature alone."""
    path = Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-private.json.gz"
    return jwt.PyJWK.from_dict(json.loads(gzip.decompress(path.read_bytes()))).key


def _resigned(token, **changes):
    claims = jwt.decode(token, options={"verify_signature": False})
    claims.update(changes)
    return jwt.encode(
        claims, _emulator_signing_key(), algorithm="RS256", headers={"kid": jwt.get_unverified_header(token)["kid"]}
    )


def test_an_expired_token_is_refused(dev_stack):
    past = int(time.time()) - 7200
    response = me(dev_stack, _resigned(_real_token(dev_stack), iat=past, exp=past + 3600))
    assert response.status_code == 401 and response.json()["error"] == "TOKEN_EXPIRED"


def test_a_token_of_another_pool_is_refused(dev_stack):
    token = _real_token(dev_stack)
    claims = jwt.decode(token, options={"verify_signature": False})
    other_pool = claims["iss"].rsplit("/", 1)[0] + "/ap-northeast-2_SomeoneElse"
    response = me(dev_stack, _resigned(token, iss=other_pool))
    assert response.status_code == 401 and response.json()["error"] == "TOKEN_WRONG_ISSUER"


def test_a_token_for_another_client_is_refused(dev_stack):
    response = me(dev_stack, _resigned(_real_token(dev_stack), client_id="another-app"))
    assert response.status_code == 401 and response.json()["error"] == "TOKEN_WRONG_CLIENT"


def test_no_token_is_refused(dev_stack):
    response = requests.get(f"{dev_stack.services['identity']}/api/users/me", timeout=20)
    assert response.status_code == 401 and response.json()["error"] == "TOKEN_MISSING"
