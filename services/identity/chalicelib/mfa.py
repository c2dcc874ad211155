"""Two-step sign-in (seed 002: MFA optional): the rules of the code a person types and of the authenticator app's
key URI. Cognito keeps the secret and checks each code (RFC 6238 TOTP, 30-second steps, 6 digits); nothing here
does IO.
"""

from __future__ import annotations

import re
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
