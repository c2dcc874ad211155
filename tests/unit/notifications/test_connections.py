import json
import time

import pytest
from chalicelib import connections
from chalicelib.connections import CONNECTION_HOURS, LiveConnection
from speaktracker.auth import JwksCache, TokenVerifier
from speaktracker.errors import Unauthorized
from support.tokens import CLIENT_ID, ISSUER, SigningKey

NOW = 1_800_000_000.0


class InMemoryConnections:
    def __init__(self):
        self.rows = {}

    def add(self, connection):
        self.rows[connection.connection_id] = connection

    def remove(self, connection_id):
        self.rows.pop(connection_id, None)

    def for_user(self, user_email):
        return [c.connection_id for c in self.rows.values() if c.user_email == user_email and c.is_live(NOW)]


@pytest.fixture(scope="module")
def key():
    return SigningKey()


@pytest.fixture
def verifier(key):
    return TokenVerifier(ISSUER, CLIENT_ID, JwksCache(key.jwks))


def test_a_valid_token_opens_a_connection_kept_for_a_day(key, verifier):
    store = InMemoryConnections()
    opened = connections.open_connection(store, verifier, "conn-1", key.token("kim@example.com", "tutor"), NOW)
    assert opened == LiveConnection("conn-1", "kim@example.com", "tutor", int(NOW), int(NOW) + CONNECTION_HOURS * 3600)
    assert store.rows == {"conn-1": opened}


@pytest.mark.parametrize(
    "token, code",
    [
        (None, "TOKEN_MISSING"),
        ("garbage", "TOKEN_INVALID"),
        ("expired", "TOKEN_EXPIRED"),
        ("id-token", "TOKEN_WRONG_USE"),
        ("other-client", "TOKEN_WRONG_CLIENT"),
    ],
)
def test_a_bad_token_is_unauthorized_and_nothing_is_stored(key, verifier, token, code):
    tokens = {
        "expired": key.token(exp=int(time.time()) - 10, iat=int(time.time()) - 3600),
        "id-token": key.token(token_use="id"),
        "other-client": key.token(client_id="someone-else"),
    }
    store = InMemoryConnections()
    with pytest.raises(Unauthorized) as refused:
        connections.open_connection(store, verifier, "conn-1", tokens.get(token, token), NOW)
    assert refused.value.code == code and refused.value.status == 401
    assert store.rows == {}


def test_one_user_may_hold_several_connections_and_closing_one_keeps_the_others(key, verifier):
    store = InMemoryConnections()
    for connection_id in ("laptop", "phone"):
        connections.open_connection(store, verifier, connection_id, key.token("lee@example.com"), NOW)
    assert sorted(store.for_user("lee@example.com")) == ["laptop", "phone"]
    connections.close_connection(store, "phone")
    assert store.for_user("lee@example.com") == ["laptop"]


def test_a_connection_is_live_until_it_expires():
    connection = LiveConnection("c", "a@example.com", "student", int(NOW), int(NOW) + 10)
    assert connection.is_live(NOW + 9) and not connection.is_live(NOW + 10)


def test_ping_is_answered_with_pong():
    assert connections.reply_to(json.dumps({"action": "ping"})) == {"type": "pong"}


@pytest.mark.parametrize(
    "message, code",
    [
        ("not json", "INVALID_JSON"),
        ("", "INVALID_JSON"),
        (None, "INVALID_JSON"),
        ('{"action": "dance"}', "UNKNOWN_ACTION"),
        ('{"no": "action"}', "UNKNOWN_ACTION"),
        ("[1]", "UNKNOWN_ACTION"),
    ],
)
def test_anything_else_is_answered_with_an_error_frame(message, code):
    frame = connections.reply_to(message)
    assert frame["type"] == "error" and frame["error"] == code and frame["message"]
