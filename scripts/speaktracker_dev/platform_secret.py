"""The dev stack's platform secret: 32 random bytes (hex) made at the first run in the state directory and kept,
so cursors stay valid and learners keep their pseudonyms across runs. The services get it as
``SPEAKTRACKER_PLATFORM_SECRET``; in AWS it is a Secrets Manager secret (``speaktracker.platform_secret``)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = "platform.secret"


def stack_platform_secret(state_dir: str | Path) -> str:
    """``<state_dir>/platform.secret``, readable by its owner only, made once."""
    path = Path(state_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # made meanwhile by another process of the stack
            return path.read_text().strip()
        with os.fdopen(descriptor, "w") as secret_file:
            secret_file.write(secrets.token_hex(32))
    return path.read_text().strip()
