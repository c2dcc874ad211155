"""RFC 6238 codes for tests, as an authenticator app computes them from the secret the setup showed."""

from __future__ import annotations

import base64
import time

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP

STEP_SECONDS = 30


def totp(secret: str, at: float | None = None) -> str:
    """The 6-digit code of ``secret`` (base32, as Cognito hands it out) at ``at`` (now by default)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    return TOTP(key, 6, SHA1(), STEP_SECONDS, enforce_key_length=False).generate(int(at or time.time())).decode()


def fresh_totp(secret: str) -> str:
    """The current code, waiting out the last two seconds of a step so the server sees the same step."""
    left = STEP_SECONDS - time.time() % STEP_SECONDS
    if left < 2:
        time.sleep(left + 0.05)
    return totp(secret)


def other_code(code: str) -> str:
    """A well-formed code that is not ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"
