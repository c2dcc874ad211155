"""Two-step sign-in (seed 002: MFA optional): the rules of the code a person types, of the authenticator app's
key URI and of the one-time recovery codes. Cognito keeps the secret and checks each code (RFC 6238 TOTP,
30-second steps, 6 digits); nothing here does IO.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from speaktracker.catalogue import USER_POOL
from speaktracker.errors import Invalid

ISSUER = "SpeakTracker"
# How long the sign-in session Cognito hands out with the challenge lasts: the code must be typed within it.
CHALLENGE_SECONDS = USER_POOL.auth_session_minutes * 60

_SEPARATORS = re.compile(r"[\s-]+")
_CODE = re.compile(r"^[0-9]{6}$")


@dataclass(frozen=True)
class MfaChallenge:
    """The password was right, and the account asks for a code: the session answers it once, for a few minutes."""

    email: str
    session: str
    expires_in: int = CHALLENGE_SECONDS


def normalise_code(raw: str) -> str:
    """The six digits an authenticator app shows, typed with or without the space or hyphen some apps put in the
    middle ("123 456")."""
    code = _SEPARATORS.sub("", raw)
    if not _CODE.match(code):
        raise Invalid("Enter the 6-digit code your authenticator app shows.", "MFA_CODE_MALFORMED")
    return code


def authenticator_uri(email: str, secret: str) -> str:
    """The key URI authenticator apps read from a QR code (Google's Key Uri Format): the label says which service
    and which account, the issuer parameter repeats the service for apps that group by it."""
    label = quote(f"{ISSUER}:{email}", safe=":@")
    return f"otpauth://totp/{label}?{urlencode({'secret': secret, 'issuer': ISSUER})}"


# --- recovery codes ---------------------------------------------------------------------------------
# Ten one-time codes, shown once when two-step sign-in is turned on, for the day the phone is lost. Each is ten
# characters from an alphabet without look-alikes (no 0/o, 1/l/i), about 50 bits, typed as "xxxxx-xxxxx".
# Stored only as PBKDF2-SHA256 digests under a random salt per user; the work factor makes guessing a stolen
# table's codes offline cost about 2^64 hashes, while checking one typed code costs a few milliseconds.
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10
_RECOVERY_CODE = re.compile(f"^[{_RECOVERY_ALPHABET}]{{{_RECOVERY_LENGTH}}}$")
RECOVERY_ITERATIONS = 20_000


def new_recovery_codes() -> list[str]:
    """A fresh set, as the user is shown it once."""
    codes = (
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH)) for _ in range(RECOVERY_CODES)
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def new_recovery_salt() -> str:
    return secrets.token_hex(16)


def normalise_recovery_code(raw: str) -> str:
    """A recovery code as typed: any case, with or without the hyphen and spaces."""
    code = _SEPARATORS.sub("", raw).lower()
    if not _RECOVERY_CODE.match(code):
        raise Invalid("Enter one of your recovery codes (10 letters and digits).", "RECOVERY_CODE_MALFORMED")
    return code


def recovery_digest(code: str, salt: str) -> str:
    """What is stored of a code: ``code`` normalised first, so "ABCDE-FGHJK" and "abcdefghjk" are one code."""
    normalised = normalise_recovery_code(code)
    return hashlib.pbkdf2_hmac("sha256", normalised.encode(), bytes.fromhex(salt), RECOVERY_ITERATIONS).hex()
