"""Two-step sign-in over real HTTP on the running stack (its emulator checks TOTP codes): a student turns it on
with the secret the setup showed, signs in with password and code, and turns it off again; the tokens the code
step gives work at every service."""

import requests
from support.totp import fresh_totp, other_code

from .conftest import PASSWORD, Person


def post(stack, path, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(f"{stack.services['identity']}{path}", json=body, headers=headers, timeout=20)


def test_turn_on_sign_in_with_the_code_and_turn_off(dev_stack):
    person = Person(dev_stack, "이두단계", "student")
    setup = person.call("post", "identity", "/api/users/me/mfa/setup")
    assert setup["otpauthUri"].startswith(f"otpauth://totp/SpeakTracker:{person.email}?secret=")
    on = person.call("post", "identity", "/api/users/me/mfa/verify", {"code": fresh_totp(setup["secret"])})
    assert on["enabled"] is True and len(set(on["recoveryCodes"])) == 10  # shown this once
    assert "2단계 로그인이 켜졌습니다" in dev_stack.mailbox(person.email)[0]["subject"]

    login = post(dev_stack, "/api/auth/login", {"email": person.email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    challenge = login.json()
    assert challenge["mfaRequired"] is True and "accessToken" not in challenge
    answer = {"email": person.email, "session": challenge["session"]}
    wrong = post(dev_stack, "/api/auth/login/mfa", {**answer, "code": other_code(fresh_totp(setup["secret"]))})
    assert (wrong.status_code, wrong.json()["error"]) == (400, "MFA_CODE_INVALID")
    signed = post(dev_stack, "/api/auth/login/mfa", {**answer, "code": fresh_totp(setup["secret"])})
    assert signed.status_code == 200, signed.text
    person.token = signed.json()["accessToken"]
    for service, path in [
        ("identity", "/api/users/me"),
        ("practice", "/api/stats/summary"),
        ("notifications", "/api/notifications"),
    ]:
        response = person.request("get", service, path)
        assert response.status_code == 200, f"{service} {path}: {response.status_code} {response.text}"

    off = person.request("delete", "identity", "/api/users/me/mfa", json={"password": PASSWORD})
    assert (off.status_code, off.json()) == (200, {"enabled": False})
    again = post(dev_stack, "/api/auth/login", {"email": person.email, "password": PASSWORD})
    assert again.status_code == 200 and again.json()["accessToken"]
