"""Two-step sign-in use cases (seed 002: MFA optional): set it up with an authenticator app, turn it off, and
finish a sign-in with the code. The ports come in through ``TwoStep``."""

from __future__ import annotations

from dataclasses import dataclass

from speaktracker.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized, Unavailable

from . import domain, mfa
from .domain import User
from .mfa import MfaChallenge
from .ports import IdentityProvider, Mailer, RecoveryCodes, SoftwareTokens, Tokens, UserRepository


@dataclass
class TwoStep:
    tokens: SoftwareTokens
    provider: IdentityProvider
    users: UserRepository
    mailer: Mailer
    recovery: RecoveryCodes


@dataclass(frozen=True)
class Setup:
    secret: str
    uri: str


def is_enabled(ctx: TwoStep, email: str) -> bool:
    return ctx.tokens.is_enabled(email)


def start_setup(ctx: TwoStep, email: str, access_token: str) -> Setup:
    """A new secret for the user's authenticator app; nothing changes at sign-in until a code from it is verified."""
    if ctx.tokens.is_enabled(email):
        raise Conflict("Two-step sign-in is on already; turn it off first to move it to a new app.", "MFA_ALREADY_ON")
    secret = ctx.tokens.associate(access_token)
    return Setup(secret, mfa.authenticator_uri(email, secret))


def finish_setup(ctx: TwoStep, email: str, access_token: str, code: str) -> list[str]:
    """The first code from the app proves it holds the secret: from the next sign-in on, a code is asked. Answers
    a new set of recovery codes, shown this once (stored before the code is asked, so no one has two-step sign-in
    on without a way back)."""
    ctx.tokens.verify(access_token, mfa.normalise_code(code))
    codes = mfa.new_recovery_codes()
    salt = mfa.new_recovery_salt()
    ctx.recovery.replace(email, salt, [mfa.recovery_digest(c, salt) for c in codes])
    ctx.tokens.set_enabled(access_token, True)
    _tell(ctx, email, on=True)
    return codes


def turn_off(ctx: TwoStep, email: str, access_token: str, password: str | None, code: str | None) -> None:
    """Turning it off weakens the account, so the password or a current code is asked again (a session left open
    on a shared computer is not enough)."""
    if not ctx.tokens.is_enabled(email):
        raise Conflict("Two-step sign-in is off already.", "MFA_ALREADY_OFF")
    if password:
        try:
            ctx.provider.login(email, password)  # tokens or a challenge: either way the password was right
        except Unauthorized as exc:
            raise Forbidden("The password is not right; two-step sign-in stays on.", "PASSWORD_WRONG") from exc
    elif code:
        ctx.tokens.verify(access_token, mfa.normalise_code(code))
    else:
        raise Invalid("Enter your password or a current code to turn two-step sign-in off.", "MFA_PROOF_REQUIRED")
    ctx.tokens.set_enabled(access_token, False)
    ctx.recovery.remove(email)
    _tell(ctx, email, on=False)


def sign_in_with_recovery_code(ctx: TwoStep, email: str, password: str, code: str) -> tuple[Tokens, User]:
    """The phone is lost: the password and one recovery code sign in. The code is spent (once: a conditional
    delete), two-step sign-in is turned off and the other codes with it, the owner is emailed, and the answer asks
    them to set it up again with their new phone."""
    email = domain.normalise_email(email)
    mfa.normalise_recovery_code(code)  # a malformed code is a 400 before anything is checked or spent
    if not isinstance(ctx.provider.login(email, password), MfaChallenge):  # 401 INVALID_CREDENTIALS if wrong
        raise Conflict("Two-step sign-in is off: sign in with your password alone.", "MFA_ALREADY_OFF")
    salt = ctx.recovery.salt(email)
    if salt is None or not ctx.recovery.use(email, mfa.recovery_digest(code, salt)):
        raise Invalid("This is not one of your recovery codes, or it was used already.", "RECOVERY_CODE_INVALID")
    ctx.tokens.turn_off_for(email)
    ctx.recovery.remove(email)
    _tell(ctx, email, on=False, recovered=True)
    tokens = ctx.provider.login(email, password)
    if isinstance(tokens, MfaChallenge):  # the provider did not turn it off: the user signs in with the app
        raise Unavailable("Two-step sign-in could not be turned off; try again.", "MFA_NOT_TURNED_OFF")
    user = ctx.users.get(email)
    if user is None:
        raise NotFound("No profile exists for this account.", "USER_NOT_FOUND")
    return tokens, user


def answer_challenge(ctx: TwoStep, email: str, session: str, code: str) -> tuple[Tokens, User]:
    """The second step of a sign-in: the code from the app, within the minutes the password step allowed."""
    email = domain.normalise_email(email)
    tokens = ctx.tokens.answer_challenge(MfaChallenge(email, session), mfa.normalise_code(code))
    user = ctx.users.get(email)
    if user is None:
        raise NotFound("No profile exists for this account.", "USER_NOT_FOUND")
    return tokens, user


def _tell(ctx: TwoStep, email: str, on: bool, recovered: bool = False) -> None:
    """The owner hears of every change, so one they did not make does not go unnoticed."""
    if recovered:
        subject = "SpeakTracker 복구 코드로 로그인했습니다 / signed in with a recovery code"
        text = (
            "복구 코드로 로그인하여 2단계 로그인이 꺼졌습니다. "
            "새 휴대폰에서 다시 설정하세요 (새 복구 코드가 발급됩니다). 직접 하지 않았다면 비밀번호를 바꾸세요.\n\n"
            "A recovery code was used to sign in, so two-step sign-in is now off: set it up again on your new phone "
            "(you get new recovery codes). If this was not you, change your password."
        )
    elif on:
        subject = "SpeakTracker 2단계 로그인이 켜졌습니다 / two-step sign-in is on"
        text = (
            "이제 로그인할 때 인증 앱의 6자리 코드를 입력합니다.\n\n"
            "From now on, signing in asks for the 6-digit code of your authenticator app."
        )
    else:
        subject = "SpeakTracker 2단계 로그인이 꺼졌습니다 / two-step sign-in is off"
        text = (
            "이제 로그인할 때 비밀번호만 입력합니다. 직접 끄지 않았다면 비밀번호를 바꾸세요.\n\n"
            "Signing in now asks for your password only. If you did not turn it off, change your password."
        )
    ctx.mailer.send(email, subject, text)
