"""A student's recordings: what may be uploaded, where it lives, and the text it is measured against."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from speaktracker.errors import Forbidden, Invalid, PayloadTooLarge, UnsupportedMediaType

from .days import sortable_stamp

MAX_RECORDING_BYTES = 10 * 1024 * 1024
MAX_ORIGINAL_TEXT_CHARS = 300
# Content type -> file extension; the engine decodes these (it checks the bytes, not just the label).
RECORDING_TYPES = {
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/vnd.wave": "wav",
    "audio/webm": "webm",
    "video/webm": "webm",
    "audio/ogg": "ogg",
    "application/ogg": "ogg",
}
_EXTENSIONS = {"wav": "wav", "wave": "wav", "webm": "webm", "ogg": "ogg", "oga": "ogg", "opus": "ogg"}


def check_original_text(raw: str | None) -> str:
    text = " ".join((raw or "").split())
    if not text:
        raise Invalid("originalText is empty: send the sentence you read aloud.", "EMPTY_TEXT")
    if len(text) > MAX_ORIGINAL_TEXT_CHARS:
        raise Invalid(f"originalText must be at most {MAX_ORIGINAL_TEXT_CHARS} characters.", "TEXT_TOO_LONG")
    if not re.search(r"[A-Za-z]", text):
        raise Invalid("originalText must be an English sentence.", "TEXT_NOT_ENGLISH")
    return text


def check_recording_size(size: int) -> None:
    if size <= 0:
        raise Invalid("The recording is empty.", "EMPTY_AUDIO")
    if size > MAX_RECORDING_BYTES:
        raise PayloadTooLarge(
            f"A recording must be at most {MAX_RECORDING_BYTES // (1024 * 1024)} MB.",
            "RECORDING_TOO_LARGE",
            {"maxBytes": MAX_RECORDING_BYTES},
        )


def recording_extension(content_type: str | None, filename: str | None = None) -> str:
    """The file extension for a recording's declared type (or its file name when the type is generic)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in RECORDING_TYPES:
        return RECORDING_TYPES[kind]
    suffix = (filename or "").rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if kind in ("", "application/octet-stream") and suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    raise UnsupportedMediaType(
        "Record as WAV, WebM or Ogg audio.", "UNSUPPORTED_AUDIO_FORMAT", {"accepted": sorted(set(RECORDING_TYPES))}
    )


def recording_prefix(user_id: str) -> str:
    """Each student's recordings live under their own prefix: a key outside it is never accepted."""
    return f"user-audio/{user_id}/"


def new_recording_key(user_id: str, now: datetime, extension: str) -> str:
    return f"{recording_prefix(user_id)}{sortable_stamp(now)}-{secrets.token_hex(6)}.{extension}"


def check_own_recording(key: str, user_id: str) -> str:
    key = key.strip()
    prefix = recording_prefix(user_id)
    if not key.startswith(prefix) or ".." in key or "//" in key[len(prefix) - 1 :] or len(key) > 300:
        raise Forbidden("That recording does not belong to you.", "NOT_YOUR_RECORDING")
    return key
