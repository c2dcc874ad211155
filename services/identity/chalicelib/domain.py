"""Identity rules: who a user is, what a good password is, and how one-time codes behave. No IO here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, replace
from typing import Literal

from speaktracker.errors import Conflict, Gone, Invalid, TooManyRequests
from speaktracker.events import child_handle

Role = Literal["student", "tutor"]
CodePurpose = Literal["signup", "reset"]
UserStatus = Literal["UNCONFIRMED", "CONFIRMED"]
ConsentStatus = Literal["NOT_NEEDED", "PENDING_CONSENT", "CONSENTED"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SYMBOLS = set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")


def normalise_email(raw: str) -> str:
    email = raw.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise Invalid("Enter a valid email address.", "INVALID_EMAIL")
    return email


def password_problems(password: str) -> list[str]:
    """The unmet rules of the password policy (Cognito's: 8+, upper, lower, digit, symbol)."""
    problems = []
    if len(password) < 8:
        problems.append("at least 8 characters")
    if not any(c.isupper() for c in password):
        problems.append("an upper-case letter")
    if not any(c.islower() for c in password):
        problems.append("a lower-case letter")
    if not any(c.isdigit() for c in password):
        problems.append("a digit")
    if not any(c in _SYMBOLS for c in password):
        problems.append("a symbol")
    if len(password) > 256:
        problems.append("at most 256 characters")
    return problems


def check_password(password: str) -> None:
    problems = password_problems(password)
    if problems:
        raise Invalid("The password needs " + ", ".join(problems) + ".", "WEAK_PASSWORD", {"unmet": problems})


@dataclass(frozen=True)
class User:
    email: str
    name: str
    role: Role
    status: UserStatus
    created_at: str
    user_id: str = ""
    intro: str = ""
    profile_image_key: str | None = None
    birth_year: int | None = None
    guardian_email: str | None = None
    consent: ConsentStatus = "NOT_NEEDED"

    @property
    def is_minor(self) -> bool:
        return self.guardian_email is not None

    @property
    def student_handle(self) -> str | None:
        """A child's handle for tutors (``events.child_handle``); an adult has none: tutors see their email."""
        return child_handle(self.user_id or self.email) if self.is_minor and self.role == "student" else None

    def confirmed(self) -> User:
        return replace(self, status="CONFIRMED")

    def ensure_unconfirmed(self) -> None:
        if self.status == "CONFIRMED":
            raise Conflict("This email is already confirmed; sign in instead.", "ALREADY_CONFIRMED")


@dataclass(frozen=True)
class IssuedCode:
    """A code as stored: only its salted hash, never the code itself."""

    email: str
    purpose: CodePurpose
    code_hash: str
    salt: str
    expires_at: int
    attempts_left: int
    sent_at: int


def new_code(email: str, purpose: CodePurpose, now: int, ttl: int, attempts: int) -> tuple[str, IssuedCode]:
    code = f"{secrets.randbelow(1_000_000):06d}"
    salt = secrets.token_hex(16)
    return code, IssuedCode(email, purpose, _hash(code, salt), salt, now + ttl, attempts, now)


def _hash(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


RESEND_COOLDOWN_SECONDS = 60


def ensure_may_resend(previous: IssuedCode | None, now: int) -> None:
    if previous and now - previous.sent_at < RESEND_COOLDOWN_SECONDS and previous.expires_at > now:
        wait = RESEND_COOLDOWN_SECONDS - (now - previous.sent_at)
        raise TooManyRequests(
            f"A code was sent moments ago; wait {wait} s before asking again.", "CODE_RESEND_TOO_SOON"
        )


def code_matches(issued: IssuedCode | None, submitted: str, now: int) -> bool:
    """Whether the submitted code is the pending one; an absent, expired or exhausted code is an error."""
    if issued is None:
        raise Invalid("No code is pending for this email; ask for a new one.", "CODE_INVALID")
    if issued.expires_at <= now:
        raise Invalid("The code has expired; ask for a new one.", "CODE_EXPIRED")
    if issued.attempts_left <= 0:
        raise TooManyRequests("Too many wrong codes; ask for a new one.", "CODE_ATTEMPTS_EXCEEDED")
    return hmac.compare_digest(_hash(submitted.strip(), issued.salt), issued.code_hash)


def wrong_code_error(attempts_left: int) -> Invalid | TooManyRequests:
    if attempts_left <= 0:
        return TooManyRequests("Too many wrong codes; ask for a new one.", "CODE_ATTEMPTS_EXCEEDED")
    return Invalid(
        f"The code is not right; {attempts_left} attempt(s) left.", "CODE_INVALID", {"attemptsLeft": attempts_left}
    )


PROFILE_IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
PROFILE_IMAGE_MAX_BYTES = 5 * 1024 * 1024


def profile_image_prefix(user: User) -> str:
    """Each user's uploads live under their own prefix: a key outside it is never accepted."""
    return f"profile-images/{user.user_id}/"


def check_profile_image(content_type: str, size: int) -> str:
    if content_type not in PROFILE_IMAGE_TYPES:
        raise Invalid(
            "A profile image must be JPEG, PNG or WebP.",
            "UNSUPPORTED_IMAGE_TYPE",
            {"accepted": sorted(PROFILE_IMAGE_TYPES)},
        )
    if not 0 < size <= PROFILE_IMAGE_MAX_BYTES:
        raise Invalid("A profile image must be at most 5 MB.", "IMAGE_TOO_LARGE", {"maxBytes": PROFILE_IMAGE_MAX_BYTES})
    return PROFILE_IMAGE_TYPES[content_type]


# --- children's accounts (COPPA; PIPA asks a guardian's consent under 14) ------------------------------------
OLDEST_AGE = 120
FIRST_BIRTH_YEAR = 1900
ADULT_AGE = 19  # Korea's civil-law age of majority: a tutor must be an adult


def age_in(birth_year: int, this_year: int) -> int:
    """The age a person turns this year (the birth date is not asked: the youngest reading is the safe one)."""
    return this_year - birth_year - 1


def check_birth_year(birth_year: int | None, this_year: int) -> int:
    """A new sign-up's birth year (the issue: "Sign-up asks for the birth year"); accounts made before it was
    asked keep none, which is why ``User.birth_year`` stays optional."""
    if birth_year is None:
        raise Invalid("Enter your birth year.", "BIRTH_YEAR_REQUIRED")
    if birth_year > this_year:
        raise Invalid("The birth year is in the future.", "BIRTH_YEAR_IN_FUTURE")
    if birth_year < FIRST_BIRTH_YEAR or this_year - birth_year > OLDEST_AGE:
        raise Invalid(
            f"Enter a birth year after {FIRST_BIRTH_YEAR} (an age of at most {OLDEST_AGE}).", "BIRTH_YEAR_ABSURD"
        )
    return birth_year


def consent_needed(
    role: Role, birth_year: int | None, this_year: int, guardian_email: str | None, consent_age: int
) -> bool:
    """Checks a sign-up's birth year against its role; True when a guardian must consent first."""
    age = age_in(check_birth_year(birth_year, this_year), this_year)
    if role == "tutor":
        if age < ADULT_AGE:
            raise Invalid(f"Tutors must be adults ({ADULT_AGE} or older).", "TUTOR_MUST_BE_ADULT")
        return False
    if age >= consent_age:
        return False
    if not guardian_email:
        raise Invalid(f"Under {consent_age}, a guardian must consent: enter their email.", "GUARDIAN_EMAIL_REQUIRED")
    return True


ConsentPurpose = Literal["guardian-consent", "guardian-withdraw"]


@dataclass(frozen=True)
class ConsentLink:
    """A guardian's link as stored: the token's hash only, its expiry, and when it was used (single use)."""

    email: str  # the child's account
    purpose: ConsentPurpose
    token_hash: str
    expires_at: int
    used_at: int | None = None


def new_consent_link(email: str, purpose: ConsentPurpose, now: int, ttl: int) -> tuple[str, ConsentLink]:
    """The token is the child's email (URL-safe base64) and 32 random bytes; only their hash is stored."""
    secret = secrets.token_urlsafe(32)
    token = f"{base64.urlsafe_b64encode(email.encode()).decode().rstrip('=')}.{secret}"
    return token, ConsentLink(email, purpose, _token_hash(token), now + ttl)


def email_of_token(token: str) -> str:
    head, dot, secret = token.partition(".")
    try:
        email = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid("This link is not one we sent; ask for a new one.", "CONSENT_LINK_INVALID") from exc
    if not dot or not secret or not _EMAIL.match(email):
        raise Invalid("This link is not one we sent; ask for a new one.", "CONSENT_LINK_INVALID")
    return email


def check_consent_link(link: ConsentLink | None, token: str, now: int) -> None:
    """A tampered or unknown token, an expired one and a used one each get their own error."""
    if link is None or not hmac.compare_digest(link.token_hash, _token_hash(token)):
        raise Invalid("This link is not one we sent; ask for a new one.", "CONSENT_LINK_INVALID")
    if link.used_at is not None:
        raise Conflict("This link has been used already.", "CONSENT_LINK_USED")
    if link.expires_at <= now:
        raise Gone("This link has expired; the child can sign up again for a new one.", "CONSENT_LINK_EXPIRED")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
