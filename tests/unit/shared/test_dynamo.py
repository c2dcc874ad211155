import pytest
from speaktracker.dynamo import decode_cursor, encode_cursor, from_item, to_item
from speaktracker.errors import Invalid


def test_items_round_trip_plain_values():
    data = {"email": "a@b.co", "count": 3, "score": 91.5, "ok": True, "tags": ["x"], "nested": {"n": 2}}
    assert from_item(to_item({**data, "absent": None})) == data


def test_cursor_round_trip():
    key = {"userEmail": {"S": "a@b.co"}, "notificationId": {"S": "01H"}}
    assert decode_cursor(encode_cursor(key), {"userEmail", "notificationId"}) == key
    assert encode_cursor(None) is None and decode_cursor(None, set()) is None


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", encode_cursor({"other": {"S": "x"}})])
def test_foreign_cursors_are_400(cursor):
    with pytest.raises(Invalid) as caught:
        decode_cursor(cursor, {"userEmail", "notificationId"})
    assert caught.value.code == "INVALID_CURSOR"
