"""Secrets never reach the logs: a real flow on the dev stack (sign up, a wrong and a right login, refresh, a
live socket, practice, logout), then every line the stack wrote is searched for the password, the codes
and every token (whole, and the payload and signature parts of each JWT, in case a log cuts one short)."""

import re
import time
import uuid

import requests
from websockets.sync.client import connect

from .conftest import frames


def _secrets_of(token: str) -> list[str]:
    parts = token.split(".")
    return [token, *parts[1:]] if len(parts) == 3 else [token]


def test_no_password_code_or_token_appears_in_any_log_line(dev_stack):
    identity = dev_stack.services["identity"]
    email = f"secret-{uuid.uuid4().hex[:8]}@example.com"
    password, wrong = f"Pw!{uuid.uuid4().hex[:10]}Aa1", f"Wr!{uuid.uuid4().hex[:10]}Bb2"
    assert (
        requests.post(
            f"{identity}/api/auth/register",
            timeout=20,
            json={"email": email, "password": password, "name": "비밀", "role": "student", "birthYear": 1990},
        ).status_code
        == 201
    )
    code = re.search(r"\b(\d{6})\b", dev_stack.mailbox(email)[0]["body"]).group(1)
    wrong_code = "000000" if code != "000000" else "111111"
    assert (
        requests.post(f"{identity}/api/auth/confirm", json={"email": email, "code": wrong_code}, timeout=20).status_code
        == 400
    )
    assert (
        requests.post(f"{identity}/api/auth/confirm", json={"email": email, "code": code}, timeout=20).status_code
        == 200
    )
    assert (
        requests.post(f"{identity}/api/auth/login", json={"email": email, "password": wrong}, timeout=20).status_code
        == 401
    )
    tokens = requests.post(f"{identity}/api/auth/login", json={"email": email, "password": password}, timeout=20).json()
    refreshed = requests.post(
        f"{identity}/api/auth/refresh", timeout=20, json={"refreshToken": tokens["refreshToken"]}
    ).json()
    access = refreshed["accessToken"]
    auth = {"Authorization": f"Bearer {access}"}
    with connect(f"{dev_stack.websocket}/?token={access}", open_timeout=15) as socket:
        made = requests.post(
            f"{dev_stack.services['practice']}/api/sentences/generate",
            headers=auth,
            timeout=60,
            json={"difficulty": "하", "topic": "일상 대화", "count": 2},
        )
        assert made.status_code == 200, made.text
        frames(socket, "tts_ready", 2)
    requests.get(f"{identity}/api/users/me", headers={"Authorization": "Bearer not-a-real-token"}, timeout=20)
    assert requests.post(f"{identity}/api/auth/logout", headers=auth, timeout=20).status_code == 200
    time.sleep(1)  # let the stack's threads flush what they log

    secrets = {"password": [password], "wrong password": [wrong]}
    for name in ("accessToken", "refreshToken", "idToken"):
        if tokens.get(name):
            secrets[name] = _secrets_of(tokens[name])
    secrets["refreshed access token"] = _secrets_of(access)
    output = dev_stack.output()
    assert output.strip(), "the stack wrote no log at all"
    lines = output.splitlines()
    leaks = {name: [line for line in lines if any(v in line for v in values)][:3] for name, values in secrets.items()}
    # Six digits could match a timestamp's by chance; a leaked code sits on a line about the code or the user.
    leaks["code"] = [
        line for line in lines if re.search(rf"\b{code}\b", line) and ("code" in line.lower() or email in line)
    ][:3]
    assert not any(leaks.values()), {k: v for k, v in leaks.items() if v}
