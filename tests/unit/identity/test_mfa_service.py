"""Two-step sign-in use cases with hand-written fakes: the software-token fake checks RFC 6238 codes as Cognito
does, and the provider answers the password of an account with it on with a challenge."""

import pytest
from chalicelib import mfa, mfa_service, service
from chalicelib.domain import User
from chalicelib.mfa import MfaChallenge
from chalicelib.ports import Tokens
from speaktracker.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from support.totp import other_code, totp

from .fakes import FakeMailer, FakeProvider, FakeRecoveryCodes, FakeUsers

SECRET = "JBSWY3DPEHPK3PXP"
EMAIL = "kim@example.com"


class FakeSoftwareTokens:
    """Cognito's part: one secret per user, codes checked against the current 30-second step."""

    def __init__(self, provider):
        self.provider, self.secrets, self.verified, self.enabled = provider, {}, set(), set()

    def _email(self, access_token):
        return access_token.removeprefix("access-")

    def is_enabled(self, email):
        return email in self.enabled

    def associate(self, access_token):
        self.secrets[self._email(access_token)] = SECRET
        return SECRET

    def verify(self, access_token, code):
        if code != totp(self.secrets[self._email(access_token)]):
            raise Invalid("wrong", "MFA_CODE_INVALID")
        self.verified.add(self._email(access_token))

    def set_enabled(self, access_token, enabled):
        email = self._email(access_token)
        (self.enabled.add if enabled else self.enabled.discard)(email)

    def turn_off_for(self, email):
        self.enabled.discard(email)

    def answer_challenge(self, challenge, code):
        if challenge.session != f"session-{challenge.email}":
            raise Unauthorized("expired", "MFA_SESSION_EXPIRED")
        if code != totp(self.secrets[challenge.email]):
            raise Invalid("wrong", "MFA_CODE_INVALID")
        return Tokens(f"access-{challenge.email}", "id", "refresh", 3600)


class ChallengingProvider(FakeProvider):
    def __init__(self):
        super().__init__()
        self.tokens = None

    def login(self, email, password):
        tokens = super().login(email, password)
        if self.tokens.is_enabled(email):
            return MfaChallenge(email, f"session-{email}")
        return tokens


@pytest.fixture
def ctx():
    provider = ChallengingProvider()
    provider.accounts[EMAIL] = {"password": "Str0ng!Pass", "confirmed": True, "group": "student", "sub": "s-1"}
    tokens = FakeSoftwareTokens(provider)
    provider.tokens = tokens
    users = FakeUsers()
    users.add(User(EMAIL, "김", "student", "CONFIRMED", "2026-12-01T00:00:00Z", user_id="s-1"))
    return mfa_service.TwoStep(
        tokens=tokens, provider=provider, users=users, mailer=FakeMailer(), recovery=FakeRecoveryCodes()
    )


def turned_on(ctx):
    mfa_service.start_setup(ctx, EMAIL, f"access-{EMAIL}")
    return mfa_service.finish_setup(ctx, EMAIL, f"access-{EMAIL}", totp(SECRET))


def test_setup_gives_the_secret_and_its_key_uri_and_turns_nothing_on(ctx):
    setup = mfa_service.start_setup(ctx, EMAIL, f"access-{EMAIL}")
    assert setup.secret == SECRET and setup.uri.startswith("otpauth://totp/SpeakTracker:kim@example.com?secret=")
    assert not mfa_service.is_enabled(ctx, EMAIL)


@pytest.mark.parametrize("typed, error", [("12345", "MFA_CODE_MALFORMED"), ("wrong", "MFA_CODE_INVALID")])
def test_a_bad_first_code_turns_nothing_on(ctx, typed, error):
    mfa_service.start_setup(ctx, EMAIL, f"access-{EMAIL}")
    code = other_code(totp(SECRET)) if typed == "wrong" else typed
    with pytest.raises(Invalid) as raised:
        mfa_service.finish_setup(ctx, EMAIL, f"access-{EMAIL}", code)
    assert raised.value.code == error
    assert not mfa_service.is_enabled(ctx, EMAIL) and ctx.mailer.sent == []


def test_the_first_right_code_turns_it_on_and_tells_the_owner(ctx):
    mfa_service.start_setup(ctx, EMAIL, f"access-{EMAIL}")
    code = totp(SECRET)
    mfa_service.finish_setup(ctx, EMAIL, f"access-{EMAIL}", f"{code[:3]} {code[3:]}")
    assert mfa_service.is_enabled(ctx, EMAIL)
    assert [to for to, _, _ in ctx.mailer.sent] == [EMAIL]
    with pytest.raises(Conflict) as raised:
        mfa_service.start_setup(ctx, EMAIL, f"access-{EMAIL}")
    assert raised.value.code == "MFA_ALREADY_ON"


def test_login_then_answers_with_the_challenge_and_the_code_finishes_it(ctx):
    turned_on(ctx)
    identity = service.Identity(
        users=ctx.users, codes=None, provider=ctx.provider, mailer=None, files=None, events=None, revocations=None,
        links=None, recovery=None,
    )  # fmt: skip
    challenge, user = service.login(identity, EMAIL, "Str0ng!Pass")
    assert challenge == MfaChallenge(EMAIL, f"session-{EMAIL}") and user.email == EMAIL
    with pytest.raises(Invalid):
        mfa_service.answer_challenge(ctx, EMAIL, challenge.session, other_code(totp(SECRET)))
    tokens, user = mfa_service.answer_challenge(ctx, EMAIL.upper(), challenge.session, totp(SECRET))
    assert tokens.access_token == f"access-{EMAIL}" and user.name == "김"


def test_a_challenge_answered_for_an_account_without_a_profile_is_not_found(ctx):
    turned_on(ctx)
    ctx.users.remove(EMAIL)
    with pytest.raises(NotFound):
        mfa_service.answer_challenge(ctx, EMAIL, f"session-{EMAIL}", totp(SECRET))


def test_turning_off_takes_the_password_even_though_it_meets_the_challenge(ctx):
    turned_on(ctx)
    with pytest.raises(Invalid) as raised:
        mfa_service.turn_off(ctx, EMAIL, f"access-{EMAIL}", None, None)
    assert raised.value.code == "MFA_PROOF_REQUIRED"
    with pytest.raises(Forbidden) as raised:
        mfa_service.turn_off(ctx, EMAIL, f"access-{EMAIL}", "Wr0ng!Pass", None)
    assert raised.value.code == "PASSWORD_WRONG" and mfa_service.is_enabled(ctx, EMAIL)
    mfa_service.turn_off(ctx, EMAIL, f"access-{EMAIL}", "Str0ng!Pass", None)
    assert not mfa_service.is_enabled(ctx, EMAIL)
    with pytest.raises(Conflict) as raised:
        mfa_service.turn_off(ctx, EMAIL, f"access-{EMAIL}", "Str0ng!Pass", None)
    assert raised.value.code == "MFA_ALREADY_OFF"


def test_turning_off_with_a_code_checks_the_code(ctx):
    turned_on(ctx)
    with pytest.raises(Invalid):
        mfa_service.turn_off(ctx, EMAIL, f"access-{EMAIL}", None, other_code(totp(SECRET)))
    assert mfa_service.is_enabled(ctx, EMAIL)
    mfa_service.turn_off(ctx, EMAIL, f"access-{EMAIL}", None, totp(SECRET))
    assert not mfa_service.is_enabled(ctx, EMAIL)


def test_turning_it_on_answers_ten_recovery_codes_and_keeps_only_their_salted_digests(ctx):
    codes = turned_on(ctx)
    assert len(codes) == len(set(codes)) == 10 and all(len(c) == 11 and c[5] == "-" for c in codes)
    salt, digests = ctx.recovery.sets[EMAIL]
    assert len(digests) == 10 and not {c.replace("-", "") for c in codes} & digests and salt
    assert {mfa.recovery_digest(c, salt) for c in codes} == digests
    assert mfa.recovery_digest(codes[0], mfa.new_recovery_salt()) not in digests  # salted


def test_a_recovery_code_signs_in_once_turns_two_step_off_and_voids_the_others(ctx):
    codes = turned_on(ctx)
    typed = codes[3].upper().replace("-", " ")  # typed in capitals, a space for the hyphen
    tokens, user = mfa_service.sign_in_with_recovery_code(ctx, EMAIL.upper(), "Str0ng!Pass", typed)
    assert tokens.access_token == f"access-{EMAIL}" and user.email == EMAIL
    assert not mfa_service.is_enabled(ctx, EMAIL) and EMAIL not in ctx.recovery.sets
    assert "복구 코드로 로그인" in ctx.mailer.sent[-1][1]
    again = turned_on(ctx)  # set up again: new codes, the old ones are void
    for old in (codes[3], codes[4]):
        with pytest.raises(Invalid) as raised:
            mfa_service.sign_in_with_recovery_code(ctx, EMAIL, "Str0ng!Pass", old)
        assert raised.value.code == "RECOVERY_CODE_INVALID"
    assert mfa_service.is_enabled(ctx, EMAIL)
    mfa_service.sign_in_with_recovery_code(ctx, EMAIL, "Str0ng!Pass", again[0])
    assert not mfa_service.is_enabled(ctx, EMAIL)


def test_a_recovery_code_needs_the_password_and_two_step_on(ctx):
    codes = turned_on(ctx)
    with pytest.raises(Unauthorized):
        mfa_service.sign_in_with_recovery_code(ctx, EMAIL, "Wr0ng!Pass", codes[0])
    with pytest.raises(Invalid) as raised:
        mfa_service.sign_in_with_recovery_code(ctx, EMAIL, "Str0ng!Pass", "not-a-code!")
    assert raised.value.code == "RECOVERY_CODE_MALFORMED"
    assert len(ctx.recovery.sets[EMAIL][1]) == 10 and mfa_service.is_enabled(ctx, EMAIL)  # nothing spent
    mfa_service.turn_off(ctx, EMAIL, f"access-{EMAIL}", "Str0ng!Pass", None)
    assert EMAIL not in ctx.recovery.sets  # turned off: the codes go with it
    with pytest.raises(Conflict) as raised:
        mfa_service.sign_in_with_recovery_code(ctx, EMAIL, "Str0ng!Pass", codes[0])
    assert raised.value.code == "MFA_ALREADY_OFF"
