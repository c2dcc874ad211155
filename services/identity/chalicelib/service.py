"""Identity use cases, one function per user action. Ports come in through ``Identity``."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from speaktracker.errors import Forbidden, NotFound
from speaktracker.events import UserProfileUpdated, UserRegistered

from . import domain
from .domain import CodePurpose, Role, User
from .ports import CodeStore, FileStore, IdentityProvider, Mailer, Publisher, Tokens, UserRepository


@dataclass
class Identity:
    users: UserRepository
    codes: CodeStore
    provider: IdentityProvider
    mailer: Mailer
    files: FileStore
    events: Publisher
    code_ttl: int = 900
    code_attempts: int = 5
    clock: Callable[[], float] = field(default=time.time)

    def now(self) -> int:
        return int(self.clock())


def iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


# --- sign-up ------------------------------------------------------------------------------------
def register(ctx: Identity, email: str, password: str, name: str, role: Role) -> User:
    email = domain.normalise_email(email)
    domain.check_password(password)
    user = User(email=email, name=name.strip(), role=role, status="UNCONFIRMED", created_at=iso(ctx.now()))
    ctx.users.add(user)  # the conditional put is the lock: a second sign-up of this email stops here
    try:
        user_id = ctx.provider.sign_up(email, password, user.name, role)
    except Exception:
        ctx.users.remove(email)  # nothing half-written
        raise
    user = replace(user, user_id=user_id)
    ctx.users.save(user)
    _send_code(ctx, email, "signup")
    return user


def confirm(ctx: Identity, email: str, code: str) -> User:
    email = domain.normalise_email(email)
    user = _existing(ctx, email)
    user.ensure_unconfirmed()
    _accept_code(ctx, email, "signup", code)
    ctx.provider.confirm(email)
    user = user.confirmed()
    ctx.users.save(user)
    ctx.codes.remove(email, "signup")
    ctx.events.publish(UserRegistered(email=user.email, name=user.name, role=user.role))
    return user


def resend_code(ctx: Identity, email: str) -> None:
    email = domain.normalise_email(email)
    _existing(ctx, email).ensure_unconfirmed()
    domain.ensure_may_resend(ctx.codes.get(email, "signup"), ctx.now())
    _send_code(ctx, email, "signup")


# --- sessions -----------------------------------------------------------------------------------
def login(ctx: Identity, email: str, password: str) -> tuple[Tokens, User]:
    email = domain.normalise_email(email)
    user = ctx.users.get(email)
    if user is not None and user.status != "CONFIRMED":
        raise Forbidden("Confirm your email with the code we sent before signing in.", "EMAIL_NOT_CONFIRMED")
    tokens = ctx.provider.login(email, password)  # wrong password or unknown user: the same 401
    if user is None:
        raise NotFound("No profile exists for this account.", "USER_NOT_FOUND")
    return tokens, user


def refresh(ctx: Identity, refresh_token: str) -> Tokens:
    return ctx.provider.refresh(refresh_token)


def logout(ctx: Identity, email: str) -> None:
    ctx.provider.sign_out_everywhere(email)


# --- password reset -----------------------------------------------------------------------------
def forgot_password(ctx: Identity, email: str) -> None:
    """Sends a reset code to a confirmed account; says nothing about whether the email exists."""
    email = domain.normalise_email(email)
    user = ctx.users.get(email)
    if user is None or user.status != "CONFIRMED":
        return
    previous = ctx.codes.get(email, "reset")
    domain.ensure_may_resend(previous, ctx.now())
    _send_code(ctx, email, "reset")


def reset_password(ctx: Identity, email: str, code: str, new_password: str) -> None:
    email = domain.normalise_email(email)
    domain.check_password(new_password)
    _accept_code(ctx, email, "reset", code)
    ctx.provider.set_password(email, new_password)
    ctx.codes.remove(email, "reset")


# --- profile ------------------------------------------------------------------------------------
def profile(ctx: Identity, email: str) -> User:
    return _existing(ctx, email)


def update_profile(ctx: Identity, email: str, name: str | None, intro: str | None) -> User:
    user = _existing(ctx, email)
    changes = {k: v for k, v in (("name", name), ("intro", intro)) if v is not None}
    if not changes:
        return user
    user = replace(user, **changes)
    ctx.users.save(user)
    ctx.events.publish(UserProfileUpdated(email=user.email, name=user.name, role=user.role, intro=user.intro))
    return user


def start_profile_image_upload(ctx: Identity, email: str, content_type: str, size: int) -> dict:
    user = _existing(ctx, email)
    extension = domain.check_profile_image(content_type, size)
    key = f"{domain.profile_image_prefix(user)}{uuid.uuid4().hex}.{extension}"
    upload = ctx.files.presign_upload(key, content_type, domain.PROFILE_IMAGE_MAX_BYTES)
    return {"key": key, "upload": upload}


def set_profile_image(ctx: Identity, email: str, key: str) -> User:
    user = _existing(ctx, email)
    if not key.startswith(domain.profile_image_prefix(user)) or ".." in key:
        raise Forbidden("That upload does not belong to you.", "NOT_YOUR_UPLOAD")
    stored = ctx.files.describe(key)
    if stored is None:
        raise NotFound("Upload the image first, then confirm it.", "UPLOAD_NOT_FOUND")
    domain.check_profile_image(stored.content_type, stored.size)
    user = replace(user, profile_image_key=key)
    ctx.users.save(user)
    return user


def profile_image_url(ctx: Identity, user: User) -> str | None:
    return ctx.files.presign_download(user.profile_image_key) if user.profile_image_key else None


# --- helpers ------------------------------------------------------------------------------------
def _existing(ctx: Identity, email: str) -> User:
    user = ctx.users.get(email)
    if user is None:
        raise NotFound("No account uses this email.", "USER_NOT_FOUND")
    return user


def _send_code(ctx: Identity, email: str, purpose: CodePurpose) -> None:
    code, issued = domain.new_code(email, purpose, ctx.now(), ctx.code_ttl, ctx.code_attempts)
    ctx.codes.put(issued)
    minutes = ctx.code_ttl // 60
    if purpose == "signup":
        subject = "SpeakTracker 인증 코드 / verification code"
        text = (
            f"SpeakTracker 인증 코드: {code}\n{minutes}분 안에 입력하세요.\n\n"
            f"Your SpeakTracker verification code is {code}. It expires in {minutes} minutes."
        )
    else:
        subject = "SpeakTracker 비밀번호 재설정 코드 / password reset code"
        text = (
            f"비밀번호 재설정 코드: {code}\n{minutes}분 안에 입력하세요.\n\n"
            f"Your SpeakTracker password reset code is {code}. It expires in {minutes} minutes.\n"
            "If you did not ask for it, ignore this email."
        )
    ctx.mailer.send(email, subject, text)


def _accept_code(ctx: Identity, email: str, purpose: CodePurpose, submitted: str) -> None:
    issued = ctx.codes.get(email, purpose)
    if not domain.code_matches(issued, submitted, ctx.now()):
        raise domain.wrong_code_error(ctx.codes.spend_attempt(issued))
