"""Identity use cases, one function per user action. Ports come in through ``Identity``."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from speaktracker.catalogue import USER_POOL
from speaktracker.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized, Unavailable
from speaktracker.events import UserDeleted, UserProfileUpdated, UserRegistered
from speaktracker.revocation import Revocations

from . import domain
from .domain import CodePurpose, Role, User
from .mfa import MfaChallenge
from .ports import (
    CodeStore,
    ConsentLinkStore,
    FileStore,
    IdentityProvider,
    Mailer,
    Publisher,
    RecoveryCodes,
    Tokens,
    UserRepository,
)


@dataclass
class Identity:
    users: UserRepository
    codes: CodeStore
    provider: IdentityProvider
    mailer: Mailer
    files: FileStore
    events: Publisher
    revocations: Revocations
    links: ConsentLinkStore
    recovery: RecoveryCodes
    code_ttl: int = 900
    code_attempts: int = 5
    consent_age: int = 14
    consent_link_ttl: int = 7 * 24 * 3600
    withdraw_link_ttl: int = 365 * 24 * 3600
    web_app_url: str = "http://127.0.0.1:8080"
    clock: Callable[[], float] = field(default=time.time)
    # A deleted user's tokens are refused until every token issued before the deletion has expired.
    revocation_seconds: int = USER_POOL.access_token_hours * 3600 + 300

    def now(self) -> int:
        return int(self.clock())

    def this_year(self) -> int:
        return time.gmtime(self.now()).tm_year


def iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


# --- sign-up ------------------------------------------------------------------------------------
def register(
    ctx: Identity,
    email: str,
    password: str,
    name: str,
    role: Role,
    birth_year: int | None,
    guardian_email: str | None = None,
) -> User:
    email = domain.normalise_email(email)
    domain.check_password(password)
    guardian = domain.normalise_email(guardian_email) if guardian_email else None
    # Every sign-up gives its birth year (400 BIRTH_YEAR_REQUIRED otherwise, docs/children.md).
    pending = domain.consent_needed(role, birth_year, ctx.this_year(), guardian, ctx.consent_age)
    if pending and guardian == email:
        raise Invalid("The guardian's email must not be the child's own.", "GUARDIAN_EMAIL_SAME")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        status="UNCONFIRMED",
        created_at=iso(ctx.now()),
        birth_year=birth_year,
        guardian_email=guardian if pending else None,
        consent="PENDING_CONSENT" if pending else "NOT_NEEDED",
    )
    ctx.users.add(user)  # the conditional put is the lock: a second sign-up of this email stops here
    try:
        user_id = ctx.provider.sign_up(email, password, user.name, role)
        if pending:
            ctx.provider.set_consent_pending(email, True)
    except Exception:
        ctx.provider.delete(email)
        ctx.users.remove(email)  # nothing half-written
        raise
    user = replace(user, user_id=user_id)
    ctx.users.save(user)
    _send_code(ctx, email, "signup")
    if pending:
        _ask_guardian(ctx, user)
    return user


def confirm(ctx: Identity, email: str, code: str) -> User:
    email = domain.normalise_email(email)
    user = _existing(ctx, email)
    user.ensure_unconfirmed()
    _accept_code(ctx, email, "signup", code)
    ctx.provider.confirm(email)  # idempotent: confirming again after a failed announcement is harmless
    user = user.confirmed()
    registered = UserRegistered(
        # Derived from the account, so an announcement repeated by a second confirm is the same event.
        eventId=str(uuid.uuid5(uuid.NAMESPACE_URL, f"user-registered/{user.user_id or user.email}")),
        email=user.email,
        name=user.name,
        role=user.role,
        is_minor=user.is_minor,
        student_handle=user.student_handle,
    )
    try:
        ctx.events.publish(registered)
    except Exception as exc:
        # Matching learns of accounts only from this event (a tutor it never hears of is missing from search for
        # good): the profile stays unconfirmed and the code valid, so confirming again announces the account.
        raise Unavailable("Your email could not be confirmed just now: try again.", "CONFIRM_NOT_SAVED") from exc
    ctx.users.save(user)
    ctx.codes.remove(email, "signup")
    return user


# --- a guardian's consent (children's accounts) --------------------------------------------------
def consent_request(ctx: Identity, token: str) -> User:
    """Who asks: the child's account the consent link names (shown to the guardian before they decide)."""
    link, user = _valid_link(ctx, token, "guardian-consent")
    return user


def decide_consent(ctx: Identity, token: str, consent: bool) -> User:
    """The guardian consents (the child may record, converse and be matched) or refuses (the account is
    erased). The link works once."""
    link, user = _valid_link(ctx, token, "guardian-consent")
    if not ctx.links.use(link, ctx.now()):
        raise Conflict("This link has been used already.", "CONSENT_LINK_USED")
    if not consent:
        erase_child_account(ctx, user, "guardian_refused")
        return replace(user, consent="PENDING_CONSENT")
    ctx.provider.set_consent_pending(user.email, False)
    user = replace(user, consent="CONSENTED")
    ctx.users.save(user)
    return user


def withdraw_consent(ctx: Identity, token: str) -> User:
    """The guardian withdraws consent with the withdrawal link of the consent email: the account is erased."""
    link, user = _valid_link(ctx, token, "guardian-withdraw")
    if not ctx.links.use(link, ctx.now()):
        raise Conflict("This link has been used already.", "CONSENT_LINK_USED")
    erase_child_account(ctx, user, "guardian_withdrew")
    return user


def erase_child_account(ctx: Identity, user: User, reason: str) -> None:
    """A guardian refused or withdrew: the account is erased everywhere, as its owner's deletion would."""
    for purpose in ("guardian-consent", "guardian-withdraw"):
        ctx.links.remove(user.email, purpose)
    delete_account(ctx, user.email, reason=reason)


def _valid_link(ctx: Identity, token: str, purpose: domain.ConsentPurpose) -> tuple[domain.ConsentLink, User]:
    email = domain.email_of_token(token)
    link = ctx.links.get(email, purpose)
    domain.check_consent_link(link, token, ctx.now())
    user = ctx.users.get(email)
    if user is None or not user.is_minor:
        raise NotFound("The account this link names no longer exists.", "USER_NOT_FOUND")
    return link, user


def _ask_guardian(ctx: Identity, user: User) -> None:
    consent, link = domain.new_consent_link(user.email, "guardian-consent", ctx.now(), ctx.consent_link_ttl)
    withdraw, later = domain.new_consent_link(user.email, "guardian-withdraw", ctx.now(), ctx.withdraw_link_ttl)
    ctx.links.put(link)
    ctx.links.put(later)
    base = ctx.web_app_url.rstrip("/")
    days = ctx.consent_link_ttl // 86400
    text = (
        f"{user.name} ({user.email}) 님이 SpeakTracker 영어 말하기 연습에 가입하려고 합니다.\n"
        f"만 {ctx.consent_age}세 미만이므로 보호자의 동의가 필요합니다. {days}일 안에 동의 또는 거부해 주세요:\n"
        f"{base}/consent#token={consent}\n\n"
        f"동의를 나중에 철회하면 계정이 삭제됩니다: {base}/consent/withdraw#token={withdraw}\n\n"
        f"{user.name} ({user.email}) wants to join SpeakTracker, English speaking practice. Under "
        f"{ctx.consent_age}, a guardian must consent. Consent or refuse within {days} days:\n"
        f"{base}/consent#token={consent}\n"
        f"To withdraw your consent later (this erases the account): {base}/consent/withdraw#token={withdraw}\n"
    )
    ctx.mailer.send(user.guardian_email, "SpeakTracker 보호자 동의 요청 / guardian consent", text)


def resend_code(ctx: Identity, email: str) -> None:
    email = domain.normalise_email(email)
    _existing(ctx, email).ensure_unconfirmed()
    domain.ensure_may_resend(ctx.codes.get(email, "signup"), ctx.now())
    _send_code(ctx, email, "signup")


# --- sessions -----------------------------------------------------------------------------------
def login(ctx: Identity, email: str, password: str) -> tuple[Tokens | MfaChallenge, User]:
    """Tokens, or (two-step sign-in on) the challenge the code answers (mfa_service.answer_challenge)."""
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
    previous, user = user, replace(user, **changes)
    ctx.users.save(user)
    try:
        ctx.events.publish(
            UserProfileUpdated(
                email=user.email,
                name=user.name,
                role=user.role,
                intro=user.intro,
                is_minor=user.is_minor,
                student_handle=user.student_handle,
            )
        )
    except Exception as exc:
        # Matching (tutor search, a student's tutor card) would keep the old name for good: the change is
        # taken back and the caller told to try again, rather than saved where only identity sees it.
        ctx.users.save(previous)
        raise Unavailable("The profile could not be updated just now: try again.", "PROFILE_NOT_SAVED") from exc
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


# --- account deletion ---------------------------------------------------------------------------
def delete_own_account(ctx: Identity, email: str, password: str) -> None:
    """The user deletes their account: they type their password again, so a stolen or forgotten-open session
    alone cannot erase everything."""
    try:
        ctx.provider.login(domain.normalise_email(email), password)
    except Unauthorized as exc:
        raise Forbidden("The password is not right; the account was not deleted.", "PASSWORD_WRONG") from exc
    delete_account(ctx, email, reason="user_request")


def delete_account(ctx: Identity, email: str, reason: str) -> None:
    """Erases an account everywhere: identity's own rows and objects now, every other context's through
    ``UserDeleted``. Each step is idempotent and the profile row goes last, so a failure part-way (answered as
    an error, never as done) can be retried; once the event is out, the user's tokens are refused."""
    user = _existing(ctx, email)
    ctx.files.erase_prefix(domain.profile_image_prefix(user))
    for purpose in ("signup", "reset"):
        ctx.codes.remove(user.email, purpose)
    ctx.recovery.remove(user.email)
    ctx.events.publish(UserDeleted(email=user.email, user_id=user.user_id, role=user.role, reason=reason))
    ctx.revocations.revoke(user.user_id, ctx.now() + ctx.revocation_seconds)
    ctx.provider.delete(user.email)
    ctx.users.remove(user.email)


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
