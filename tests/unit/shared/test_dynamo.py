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


def test_cursor_round_trip():
    assert (
        decode_cursor(encode_cursor(KEY, INBOX, "kim.minji@example.com"), NAMES, INBOX, "kim.minji@example.com") == KEY
    )
    assert encode_cursor(None, INBOX) is None and decode_cursor(None, set(), INBOX) is None


def test_a_cursor_reads_as_noise_and_its_length_hides_the_email():
    cursor = encode_cursor(KEY, INBOX, "kim.minji@example.com")
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    assert b"kim" not in raw and b"example" not in raw and b"userEmail" not in raw and b"01H" not in raw
    longer = {**KEY, "userEmail": {"S": "kim.minji2@example.com"}}
    assert len(encode_cursor(longer, INBOX)) == len(cursor)  # padded: one more letter does not show
    assert encode_cursor(KEY, INBOX) != encode_cursor(KEY, INBOX)  # a fresh nonce each time


def _tampered(cursor: str) -> str:
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[20] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")


def _unsealed(key: dict) -> str:
    """A cursor as they were made before: the key's JSON in base64."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


SEALED = encode_cursor(KEY, INBOX, "kim.minji@example.com")


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
        (encode_cursor({"other": {"S": "x"}}, INBOX, "kim.minji@example.com"), INBOX, "kim.minji@example.com"),
        (encode_cursor({**KEY, "userEmail": {"BOOL": True}}, INBOX, "a"), INBOX, "a"),  # sealed, but not a key
    ],
)
def test_foreign_cursors_are_400(cursor, purpose, owner):
    with pytest.raises(Invalid) as caught:
        decode_cursor(cursor, NAMES, purpose, owner)
    assert caught.value.code == "INVALID_CURSOR"


def test_a_cursor_opens_only_under_the_stage_secret_that_sealed_it(monkeypatch):
    cursor = encode_cursor(KEY, INBOX)
    monkeypatch.setenv("SPEAKTRACKER_PLATFORM_SECRET", "another-stage-secret-0123456789abcdef0123")
    reset_settings()
    try:
        with pytest.raises(Invalid):
            decode_cursor(cursor, NAMES, INBOX)
    finally:
        monkeypatch.undo()
        reset_settings()
    assert decode_cursor(cursor, NAMES, INBOX) == KEY
