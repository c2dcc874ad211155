import base64
import json

import pytest
from speaktracker.dynamo import decode_cursor, encode_cursor, from_item, to_item
from speaktracker.errors import Invalid
from speaktracker.settings import reset_settings


def test_items_round_trip_plain_values():
    data = {"email": "a@b.co", "count": 3, "score": 91.5, "ok": True, "tags": ["x"], "nested": {"n": 2}}
    assert from_item(to_item({**data, "absent": None})) == data


KEY = {"userEmail": {"S": "kim.minji@example.com"}, "notificationId": {"S": "01H"}}
NAMES = {"userEmail", "notificationId"}
INBOX = "notifications-test-inbox#userEmail"
MINJI, TUTOR = "sub-minji", "sub-tutor"  # callers: the principals' user ids


def test_cursor_round_trip():
    cursor = encode_cursor(KEY, INBOX, "kim.minji@example.com", caller=MINJI)
    assert decode_cursor(cursor, NAMES, INBOX, "kim.minji@example.com", caller=MINJI) == KEY
    assert encode_cursor(None, INBOX, caller=MINJI) is None and decode_cursor(None, set(), INBOX, caller=MINJI) is None


def test_a_cursor_opens_only_for_the_caller_it_was_made_for():
    """The student's tutor may read the same list, but not with the student's cursor (nor the other way)."""
    students = encode_cursor(KEY, INBOX, "kim.minji@example.com", caller=MINJI)
    tutors = encode_cursor(KEY, INBOX, "kim.minji@example.com", caller=TUTOR)
    assert decode_cursor(tutors, NAMES, INBOX, "kim.minji@example.com", caller=TUTOR) == KEY
    for cursor, caller in ((students, TUTOR), (tutors, MINJI)):
        with pytest.raises(Invalid) as caught:
            decode_cursor(cursor, NAMES, INBOX, "kim.minji@example.com", caller=caller)
        assert caught.value.code == "INVALID_CURSOR"


def test_a_cursor_without_a_caller_is_a_programming_error_not_a_400():
    with pytest.raises(ValueError):
        encode_cursor(KEY, INBOX, "kim.minji@example.com", caller="")
    with pytest.raises(ValueError):
        decode_cursor(SEALED, NAMES, INBOX, "kim.minji@example.com", caller="")


def test_a_cursor_reads_as_noise_and_its_length_hides_the_email():
    cursor = encode_cursor(KEY, INBOX, "kim.minji@example.com", caller=MINJI)
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    assert b"kim" not in raw and b"example" not in raw and b"userEmail" not in raw and b"01H" not in raw
    longer = {**KEY, "userEmail": {"S": "kim.minji2@example.com"}}
    assert len(encode_cursor(longer, INBOX, caller=MINJI)) == len(cursor)  # padded: one more letter does not show
    assert encode_cursor(KEY, INBOX, caller=MINJI) != encode_cursor(KEY, INBOX, caller=MINJI)  # a fresh nonce each


def _tampered(cursor: str) -> str:
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[20] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")


def _unsealed(key: dict) -> str:
    """A cursor as they were made before: the key's JSON in base64."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


SEALED = encode_cursor(KEY, INBOX, "kim.minji@example.com", caller=MINJI)


def _version_one(key: dict) -> str:
    """A cursor as version 1 sealed it: bound to the list and its owner, not to the caller."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from speaktracker.dynamo import _cursor_key

    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    raw += b" " * (-len(raw) % 32)
    nonce = b"\x00" * 12
    data = json.dumps(["page-cursor", INBOX, "kim.minji@example.com"], separators=(",", ":")).encode()
    sealed = AESGCM(_cursor_key()).encrypt(nonce, raw, data)
    return base64.urlsafe_b64encode(b"\x01" + nonce + sealed).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor, purpose, owner",
    [
        ("%%%", INBOX, "kim.minji@example.com"),
        ("bm90IGpzb24", INBOX, "kim.minji@example.com"),
        (_unsealed(KEY), INBOX, "kim.minji@example.com"),  # an old cursor, or one crafted by hand
        (_tampered(SEALED), INBOX, "kim.minji@example.com"),
        (SEALED[:-6], INBOX, "kim.minji@example.com"),  # truncated
        (SEALED[:10], INBOX, "kim.minji@example.com"),
        (SEALED, "notifications-test-inbox#unreadUserEmail", "kim.minji@example.com"),  # another list
        (SEALED, INBOX, "lee@example.com"),  # another user's
        (_version_one(KEY), INBOX, "kim.minji@example.com"),  # sealed before cursors were bound to their caller
        (
            encode_cursor({"other": {"S": "x"}}, INBOX, "kim.minji@example.com", caller=MINJI),
            INBOX,
            "kim.minji@example.com",
        ),
        (encode_cursor({**KEY, "userEmail": {"BOOL": True}}, INBOX, "a", caller=MINJI), INBOX, "a"),  # not a key
    ],
)
def test_foreign_cursors_are_400(cursor, purpose, owner):
    with pytest.raises(Invalid) as caught:
        decode_cursor(cursor, NAMES, purpose, owner, caller=MINJI)
    assert caught.value.code == "INVALID_CURSOR"


def test_a_cursor_opens_only_under_the_stage_secret_that_sealed_it(monkeypatch):
    cursor = encode_cursor(KEY, INBOX, caller=MINJI)
    monkeypatch.setenv("SPEAKTRACKER_PLATFORM_SECRET", "another-stage-secret-0123456789abcdef0123")
    reset_settings()
    try:
        with pytest.raises(Invalid):
            decode_cursor(cursor, NAMES, INBOX, caller=MINJI)
    finally:
        monkeypatch.undo()
        reset_settings()
    assert decode_cursor(cursor, NAMES, INBOX, caller=MINJI) == KEY
