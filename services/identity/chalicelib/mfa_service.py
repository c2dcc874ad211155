"""Two-step sign-in use cases (seed 002: MFA optional): set it up with an authenticator app, turn it off, and
finish a sign-in with the code. The ports come in through ``TwoStep``."""

from __future__ import annotations

from dataclasses import dataclass

from speaktracker.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized

from . import domain, mfa
from .domain import User
from .mfa import MfaChallenge
from .ports import IdentityProvider, Mailer, SoftwareTokens, Tokens, UserRepository


@dataclass
class TwoStep:
    tokens: SoftwareTokens
    provider: IdentityProvider
    users: UserRepository
    mailer: Mailer


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


def finish_setup(ctx: TwoStep, email: str, access_token: str, code: str) -> None:
    """The first code from the app proves it holds the secret: from the next sign-in on, a code is asked."""
    ctx.tokens.verify(access_token, mfa.normalise_code(code))
    ctx.tokens.set_enabled(access_token, True)
    _tell(ctx, email, on=True)


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
    _tell(ctx, email, on=False)


def answer_challenge(ctx: TwoStep, email: str, session: str, code: str) -> tuple[Tokens, User]:
    """The second step of a sign-in: the code from the app, within the minutes the password step allowed."""
    email = domain.normalise_email(email)
    tokens = ctx.tokens.answer_challenge(MfaChallenge(email, session), mfa.normalise_code(code))
    user = ctx.users.get(email)
    if user is None:
        raise NotFound("No profile exists for this account.", "USER_NOT_FOUND")
    return tokens, user


def _tell(ctx: TwoStep, email: str, on: bool) -> None:
    """The owner hears of every change, so one they did not make does not go unnoticed."""
    if on:
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
