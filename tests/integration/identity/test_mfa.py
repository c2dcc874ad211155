"""Two-step sign-in against the emulator's Cognito: set up with the secret shown, sign in with the challenge,
turn it off. moto checks the codes (RFC 6238) once MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP is on (the emulator
fixture turns it on); it hands every user one fixed secret, which is why these tests read it from the setup."""

import json
import uuid

import pytest
from support.totp import fresh_totp, other_code

from .conftest import last_mail
from .test_identity_api import PASSWORD, signed_up


def login(api, email, password=PASSWORD):
    return api.call("post", "/api/auth/login", {"email": email, "password": password})


def signed_in(api, aws):
    email = signed_up(api, aws)
    status, body = login(api, email)
    assert status == 200, body
    return email, body["accessToken"]


def with_mfa(api, aws):
    """A confirmed user who set up an authenticator app; returns the email, a token and the app's secret."""
    email, token, secret, _ = with_recovery_codes(api, aws)
    return email, token, secret


def with_recovery_codes(api, aws):
    """As ``with_mfa``, and the recovery codes the setup showed."""
    email, token = signed_in(api, aws)
    status, setup = api.call("post", "/api/users/me/mfa/setup", token=token)
    assert status == 200, setup
    status, body = api.call("post", "/api/users/me/mfa/verify", {"code": fresh_totp(setup["secret"])}, token=token)
    assert status == 200 and body["enabled"] is True and len(body["recoveryCodes"]) == 10, body
    return email, token, setup["secret"], body["recoveryCodes"]


def test_setup_shows_the_secret_and_its_key_uri_and_changes_nothing_until_verified(api, aws):
    email, token = signed_in(api, aws)
    assert api.call("get", "/api/users/me/mfa", token=token) == (200, {"enabled": False})
    status, setup = api.call("post", "/api/users/me/mfa/setup", token=token)
    assert status == 200, setup
    assert setup["otpauthUri"] == f"otpauth://totp/SpeakTracker:{email}?secret={setup['secret']}&issuer=SpeakTracker"
    assert api.call("get", "/api/users/me/mfa", token=token) == (200, {"enabled": False})
    status, body = login(api, email)
    assert status == 200 and body["accessToken"] and "mfaRequired" not in body


def test_a_wrong_first_code_leaves_it_off(api, aws):
    email, token = signed_in(api, aws)
    _, setup = api.call("post", "/api/users/me/mfa/setup", token=token)
    wrong = other_code(fresh_totp(setup["secret"]))
    status, body = api.call("post", "/api/users/me/mfa/verify", {"code": wrong}, token=token)
    assert (status, body["error"]) == (400, "MFA_CODE_INVALID")
    assert api.call("get", "/api/users/me/mfa", token=token) == (200, {"enabled": False})
    assert login(api, email)[1].get("accessToken")


def test_sign_in_asks_for_the_code_and_the_code_gives_the_tokens(api, aws):
    email, _, secret = with_mfa(api, aws)
    assert "인증 앱의 6자리 코드를 입력합니다" in last_mail(aws, email)
    status, challenge = login(api, email.upper())
    assert status == 200, challenge
    assert challenge["mfaRequired"] is True and challenge["email"] == email and challenge["session"]
    assert challenge["expiresIn"] == 180 and "accessToken" not in challenge
    status, body = api.call(
        "post",
        "/api/auth/login/mfa",
        {"email": email, "session": challenge["session"], "code": fresh_totp(secret)},
    )
    assert status == 200, body
    assert body["user"]["email"] == email and body["refreshToken"] and body["tokenType"] == "Bearer"
    status, me = api.call("get", "/api/users/me", token=body["accessToken"])
    assert status == 200 and me["email"] == email


def test_the_challenge_refuses_a_wrong_code_an_unknown_session_and_a_malformed_code(api, aws):
    email, _, secret = with_mfa(api, aws)
    _, challenge = login(api, email)
    answer = {"email": email, "session": challenge["session"]}
    status, body = api.call("post", "/api/auth/login/mfa", {**answer, "code": other_code(fresh_totp(secret))})
    assert (status, body["error"]) == (400, "MFA_CODE_INVALID") and body["requestId"]
    status, body = api.call("post", "/api/auth/login/mfa", {**answer, "session": str(uuid.uuid4()), "code": "123456"})
    assert (status, body["error"]) == (401, "MFA_SESSION_EXPIRED")
    status, body = api.call("post", "/api/auth/login/mfa", {**answer, "session": "short", "code": "123456"})
    assert (status, body["error"]) == (400, "VALIDATION_FAILED")
    status, body = api.call("post", "/api/auth/login/mfa", {**answer, "code": "12345a"})
    assert (status, body["error"]) == (400, "MFA_CODE_MALFORMED")
    status, body = api.call("post", "/api/auth/login/mfa", {"email": email, "code": "123456"})
    assert (status, body["error"]) == (400, "VALIDATION_FAILED")
    # A session is used once: after a successful answer it is gone.
    status, body = api.call("post", "/api/auth/login/mfa", {**answer, "code": fresh_totp(secret)})
    assert status == 200, body
    status, body = api.call("post", "/api/auth/login/mfa", {**answer, "code": fresh_totp(secret)})
    assert (status, body["error"]) == (401, "MFA_SESSION_EXPIRED")


def test_a_wrong_password_is_still_the_same_401_with_mfa_on(api, aws):
    email, _, _ = with_mfa(api, aws)
    status, body = login(api, email, "Wr0ng!Pass")
    assert (status, body["error"]) == (401, "INVALID_CREDENTIALS")


def test_setup_again_while_on_is_a_conflict(api, aws):
    _, token, _ = with_mfa(api, aws)
    status, body = api.call("post", "/api/users/me/mfa/setup", token=token)
    assert (status, body["error"]) == (409, "MFA_ALREADY_ON")


@pytest.mark.parametrize("proof", ["password", "code"])
def test_turning_it_off_takes_the_password_or_a_current_code(api, aws, proof):
    email, token, secret = with_mfa(api, aws)
    status, body = api.call("delete", "/api/users/me/mfa", {}, token=token)
    assert (status, body["error"]) == (400, "MFA_PROOF_REQUIRED")
    wrong = {"password": "Wr0ng!Pass"} if proof == "password" else {"code": other_code(fresh_totp(secret))}
    status, body = api.call("delete", "/api/users/me/mfa", wrong, token=token)
    assert (status, body["error"]) == ((403, "PASSWORD_WRONG") if proof == "password" else (400, "MFA_CODE_INVALID"))
    assert api.call("get", "/api/users/me/mfa", token=token) == (200, {"enabled": True})
    right = {"password": PASSWORD} if proof == "password" else {"code": fresh_totp(secret)}
    assert api.call("delete", "/api/users/me/mfa", right, token=token) == (200, {"enabled": False})
    assert "비밀번호만 입력합니다" in last_mail(aws, email)
    status, body = login(api, email)
    assert status == 200 and body["accessToken"]
    status, body = api.call("delete", "/api/users/me/mfa", right, token=token)
    assert (status, body["error"]) == (409, "MFA_ALREADY_OFF")


def test_the_account_can_still_be_deleted_with_the_password_alone(api, aws):
    email, token, _ = with_mfa(api, aws)
    status, body = api.call("delete", "/api/users/me", {"password": PASSWORD}, token=token)
    assert status == 200, body
    assert login(api, email)[0] == 401


def test_the_mfa_routes_need_a_token(api):
    for method, path in [
        ("get", "/api/users/me/mfa"),
        ("post", "/api/users/me/mfa/setup"),
        ("post", "/api/users/me/mfa/verify"),
        ("delete", "/api/users/me/mfa"),
    ]:
        status, body = api.call(method, path, {"code": "123456"})
        assert (status, body["error"]) == (401, "TOKEN_MISSING"), path


def test_guessing_codes_is_limited_per_email_like_login(api):
    from speaktracker.settings import get_settings

    from .test_rate_limit import _wait_for_a_fresh_window

    email, limit = f"guess-{uuid.uuid4().hex[:8]}@example.com", get_settings().rate_limit_per_email
    guess = {"email": email, "session": str(uuid.uuid4()), "code": "123456"}
    _wait_for_a_fresh_window(20)
    answers = [api.call("post", "/api/auth/login/mfa", guess)[0] for _ in range(limit)]
    assert answers == [401] * limit
    status, body = api.call("post", "/api/auth/login/mfa", {**guess, "email": email.upper()})
    assert (status, body["error"]) == (429, "RATE_LIMITED")
    status, body = api.call("post", "/api/auth/login", {"email": email, "password": PASSWORD})
    assert (status, body["error"]) == (429, "RATE_LIMITED")  # the same counter as the password step
    status, body = recover(api, email, "abcde-fghjk")
    assert (status, body["error"]) == (429, "RATE_LIMITED")  # and as a recovery code


def recovery_items(aws, email):
    """What identity keeps of the user's recovery codes in its verification-codes table."""
    return aws.client("dynamodb").query(
        TableName=aws.settings.name("verification-codes"),
        KeyConditionExpression="email = :e AND begins_with(purpose, :p)",
        ExpressionAttributeValues={":e": {"S": email}, ":p": {"S": "mfa-recovery"}},
        ConsistentRead=True,
    )["Items"]


def recover(api, email, code, password=PASSWORD):
    return api.call("post", "/api/auth/login/recovery", {"email": email, "password": password, "recoveryCode": code})


def test_the_recovery_codes_are_kept_only_as_salted_digests(api, aws):
    email, _, _, codes = with_recovery_codes(api, aws)
    items = recovery_items(aws, email)
    assert len(items) == 11 and sum("salt" in item for item in items) == 1  # the set's salt and ten digests
    stored = json.dumps(items)
    for code in codes:
        assert code not in stored and code.replace("-", "") not in stored


def test_a_recovery_code_signs_in_once_and_turns_two_step_off_to_be_set_up_again(api, aws):
    email, _, secret, codes = with_recovery_codes(api, aws)
    status, body = recover(api, email, codes[0].upper())
    assert status == 200, body
    assert body["mfaTurnedOff"] is True and body["user"]["email"] == email and body["refreshToken"]
    assert api.call("get", "/api/users/me/mfa", token=body["accessToken"]) == (200, {"enabled": False})
    assert "복구 코드로 로그인" in last_mail(aws, email) and recovery_items(aws, email) == []
    status, again = login(api, email)  # the password alone signs in now
    assert status == 200 and again["accessToken"]
    status, refused = recover(api, email, codes[1])
    assert (status, refused["error"]) == (409, "MFA_ALREADY_OFF")
    token = again["accessToken"]  # set up again: new codes; the old ones stay void
    _, setup = api.call("post", "/api/users/me/mfa/setup", token=token)
    status, on = api.call("post", "/api/users/me/mfa/verify", {"code": fresh_totp(setup["secret"])}, token=token)
    assert status == 200 and not set(on["recoveryCodes"]) & set(codes)
    status, refused = recover(api, email, codes[1])
    assert (status, refused["error"]) == (400, "RECOVERY_CODE_INVALID")
    assert login(api, email)[1]["mfaRequired"] is True


def test_a_recovery_code_is_refused_without_the_password_used_up_or_malformed(api, aws):
    email, _, _, codes = with_recovery_codes(api, aws)
    status, body = recover(api, email, codes[0], password="Wr0ng!Pass")
    assert (status, body["error"]) == (401, "INVALID_CREDENTIALS")
    status, body = recover(api, email, "abcde-fghjk")
    assert (status, body["error"]) == (400, "RECOVERY_CODE_INVALID")
    status, body = recover(api, email, "0000-not!")
    assert (status, body["error"]) == (400, "RECOVERY_CODE_MALFORMED")
    status, body = api.call("post", "/api/auth/login/recovery", {"email": email, "password": PASSWORD})
    assert (status, body["error"]) == (400, "VALIDATION_FAILED")
    assert len(recovery_items(aws, email)) == 11  # nothing was spent
    assert login(api, email)[1]["mfaRequired"] is True


def test_a_recovery_code_spent_by_one_request_fails_for_the_other(api, aws):
    """Single use by a conditional delete: of two sign-ins with the same code at once, one wins."""
    from chalicelib.wiring import identity

    email, _, _, codes = with_recovery_codes(api, aws)
    store = identity().recovery
    from chalicelib import mfa

    digest = mfa.recovery_digest(codes[2], store.salt(email))
    assert [store.use(email, digest), store.use(email, digest)] == [True, False]


def test_turning_it_off_and_deleting_the_account_remove_the_recovery_codes(api, aws):
    email, token, _, _ = with_recovery_codes(api, aws)
    assert api.call("delete", "/api/users/me/mfa", {"password": PASSWORD}, token=token) == (200, {"enabled": False})
    assert recovery_items(aws, email) == []
    email, token, _, _ = with_recovery_codes(api, aws)
    status, _ = api.call("delete", "/api/users/me", {"password": PASSWORD}, token=token)
    assert status in (200, 202, 204)
    assert recovery_items(aws, email) == []
