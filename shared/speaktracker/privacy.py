"""Personal data that leaves the tables: the analytics archive and the logs.

Deleting an account erases what each context holds in its tables; the analytics archive (files, kept for years)
and the log lines are not rewritten, so they must never hold a user's email or name in the first place.

- The archive carries a *pseudonym* in every field that names a user (``studentEmail``, ``tutorEmail``,
  ``email``, ...): ``u_`` and an HMAC-SHA256 of the lower-cased email under a secret key. It is stable per user,
  so the questions still count distinct learners and pair tutors with students, but without the key it cannot be
  computed from an email, and the key never leaves the archive's writer: it is the platform secret's
  ``ANALYTICS_PSEUDONYMS`` subkey (``speaktracker.platform_secret``: Secrets Manager in AWS, a file of the dev
  stack). Names and free text written about a person (``name``, ``studentName``, ``intro``, a tutor's
  ``message``) are left out of the record.
- Log lines are scrubbed as they are written (``scrub_log_entry``, used by ``speaktracker.logging``): a key that
  carries an email or a name is redacted, and an email anywhere else in a line (a message, an exception) is too.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

PSEUDONYM_PREFIX = "u_"
REDACTED = "[redacted]"
# A field of an event holding a person's name or free text about them: not archived.
NAME_FIELDS = frozenset({"name", "studentName", "tutorName", "intro", "message"})
# The keys of a log line that carry a name ("name" and "message" are the logger's and the line's own).
LOG_NAME_KEYS = frozenset({"studentName", "tutorName", "userName", "displayName", "intro"})
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def is_email_field(name: str) -> bool:
    """``email``, ``studentEmail``, ``ownerEmail``, ...: the fields events and log lines name a user by."""
    return name == "email" or name.endswith("Email")


class Pseudonyms:
    """Keyed one-way names of users (the analytics archive's writer holds the key)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("a pseudonym key needs at least 16 bytes")
        self._key = key

    def of(self, email: str) -> str:
        digest = hmac.new(self._key, email.strip().lower().encode(), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + digest[:32]


def platform_pseudonyms(secret: str | None = None) -> Pseudonyms:
    """Pseudonyms under the platform secret's analytics subkey: of ``secret`` (the dev stack's), else the stage's."""
    from .platform_secret import ANALYTICS_PSEUDONYMS, derive_key, platform_key

    return Pseudonyms(derive_key(secret, ANALYTICS_PSEUDONYMS) if secret else platform_key(ANALYTICS_PSEUDONYMS))


def analytics_record(event: dict[str, Any], pseudonyms: Pseudonyms) -> dict[str, Any]:
    """The event as the archive keeps it: every user named by pseudonym, names and free text about a person left
    out, everything else (ids, scores, times, the contract's ``type`` and ``version``) as published."""
    record: dict[str, Any] = {}
    for name, value in event.items():
        if name in NAME_FIELDS:
            continue
        if isinstance(value, str) and value and (is_email_field(name) or _EMAIL.fullmatch(value)):
            record[name] = pseudonyms.of(value)  # also a field that names a user without saying so (endedBy)
        elif isinstance(value, str):
            record[name] = scrub_text(value)
        else:
            record[name] = value
    return record


def scrub_text(text: str) -> str:
    """``text`` with every email address (plain or URL-encoded) replaced by ``[redacted]``."""
    return _EMAIL.sub(REDACTED, text)


def scrub_log_entry(entry: Any) -> Any:
    """A log line's fields with emails and names redacted, at any depth."""
    if isinstance(entry, dict):
        return {
            key: REDACTED
            if (is_email_field(key) or key in LOG_NAME_KEYS) and isinstance(value, str) and value
            else scrub_log_entry(value)
            for key, value in entry.items()
        }
    if isinstance(entry, list | tuple):
        return [scrub_log_entry(value) for value in entry]
    if entry is None or isinstance(entry, bool | int | float):
        return entry
    return scrub_text(str(entry))  # an exception object (Powertools' stack trace), a datetime ...: as text
