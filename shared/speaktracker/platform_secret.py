"""The platform secret: one random value per stage, from which every key the platform itself needs is derived.

Each use gets its own subkey (HKDF-SHA256 with the use's label as ``info``), so a key never serves two purposes
and a new use needs no new secret:

- ``PAGE_CURSORS``: the AES-GCM key that seals page cursors (``speaktracker.dynamo``);
- ``ANALYTICS_PSEUDONYMS``: the HMAC key of the analytics archive's pseudonyms (``speaktracker.privacy``).

Where the secret comes from (``Settings``):

- AWS: ``SPEAKTRACKER_PLATFORM_SECRET_ID``, the ARN of a Secrets Manager secret Terraform creates with a generated
  value; read on first use and kept for the life of the process.
- The dev stack and tests: ``SPEAKTRACKER_PLATFORM_SECRET``, the value itself (the stack makes one at its first
  run and keeps it in its state directory).

Neither set, or a secret without a value, is an error on first use: there is no built-in fallback key, which
would make every cursor forgeable and every pseudonym reversible.
"""

from __future__ import annotations

import threading
from typing import Any

PAGE_CURSORS = "speaktracker/page-cursors/v1"
ANALYTICS_PSEUDONYMS = "speaktracker/analytics-pseudonyms/v1"
MIN_SECRET_CHARS = 32

_secrets: dict[tuple[str, str], str] = {}  # by (value, id): read once per process
_keys: dict[tuple[str, str, str], bytes] = {}
_lock = threading.Lock()


class PlatformSecretMissing(RuntimeError):
    """The stage has no platform secret (a deployment error, not a user's)."""


def derive_key(secret: str, label: str) -> bytes:
    """The 32-byte subkey of ``secret`` for one use."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    if len(secret) < MIN_SECRET_CHARS:
        raise PlatformSecretMissing(f"the platform secret needs at least {MIN_SECRET_CHARS} characters")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label.encode()).derive(secret.encode())


def platform_key(label: str, settings: Any = None, clients: Any = None) -> bytes:
    """The subkey for ``label`` of this stage's platform secret, derived once per process."""
    if settings is None:
        from .settings import get_settings

        settings = get_settings()
    source = (settings.platform_secret or "", settings.platform_secret_id or "")
    with _lock:
        if source not in _secrets:
            _secrets[source] = _read_secret(settings, clients)
        if (*source, label) not in _keys:
            _keys[(*source, label)] = derive_key(_secrets[source], label)
        return _keys[(*source, label)]


def _read_secret(settings: Any, clients: Any) -> str:
    if settings.platform_secret:
        return str(settings.platform_secret)
    if not settings.platform_secret_id:
        raise PlatformSecretMissing(
            "SPEAKTRACKER_PLATFORM_SECRET_ID is not set: page cursors and pseudonyms have no key "
            "(Terraform passes the platform secret's ARN to every service that needs it)"
        )
    if clients is None:
        from .aws import AwsClients

        clients = AwsClients(settings)
    from botocore.exceptions import ClientError

    try:
        answer = clients.client("secretsmanager").get_secret_value(SecretId=settings.platform_secret_id)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        raise PlatformSecretMissing(
            f"the platform secret {settings.platform_secret_id} cannot be read ({code})"
        ) from error
    value = answer.get("SecretString") or ""
    if not value:
        raise PlatformSecretMissing(f"the platform secret {settings.platform_secret_id} has no value")
    return str(value)
