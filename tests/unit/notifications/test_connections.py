import json
import time

import pytest
from chalicelib import connections
from chalicelib.connections import CONNECTION_HOURS, LiveConnection, SocketLimits
from speaktracker.auth import JwksCache, TokenVerifier
from speaktracker.errors import Unauthorized
from speaktracker.ratelimit import Limit, MemoryWindowCounter, RateLimited, RateLimiter
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

    def get(self, connection_id):
        connection = self.rows.get(connection_id)
        return connection if connection and connection.is_live(NOW) else None


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


SMALL = SocketLimits(messages=Limit(3), connects=Limit(2), refusals=Limit(2))
PING = json.dumps({"action": "ping"})


def _opened(store, key, verifier, limiter, connection_id, email):
    return connections.open_connection(store, verifier, connection_id, key.token(email, "student"), NOW, limiter, SMALL)


def test_a_user_over_the_message_limit_is_refused_then_closed_and_another_user_is_not(key, verifier):
    store, limiter = InMemoryConnections(), RateLimiter(MemoryWindowCounter(), clock=lambda: NOW)
    _opened(store, key, verifier, limiter, "kim-1", "kim@example.com")
    _opened(store, key, verifier, limiter, "kim-2", "kim@example.com")
    _opened(store, key, verifier, limiter, "lee-1", "lee@example.com")

    def answer(connection_id):
        return connections.answer_message(store, limiter, SMALL, connection_id, PING)

    # The budget is the user's, over both of kim's connections.
    assert [answer(c).frame["type"] for c in ("kim-1", "kim-2", "kim-1")] == ["pong"] * 3
    refused = answer("kim-2")
    assert refused.frame["error"] == "RATE_LIMITED" and not refused.close
    assert refused.frame["details"]["limit"] == 3 and refused.frame["details"]["retryAfterSeconds"] >= 1
    assert not answer("kim-2").close  # the second refusal of this connection
    assert answer("kim-2").close  # it persists: the reply closes it
    assert not answer("kim-1").close  # kim's other connection has its own count of refusals
    assert answer("lee-1").frame == {"type": "pong"}


def test_too_many_connects_of_one_user_are_refused_and_not_stored(key, verifier):
    store, limiter = InMemoryConnections(), RateLimiter(MemoryWindowCounter(), clock=lambda: NOW)
    _opened(store, key, verifier, limiter, "c-1", "kim@example.com")
    _opened(store, key, verifier, limiter, "c-2", "kim@example.com")
    with pytest.raises(RateLimited) as refused:
        _opened(store, key, verifier, limiter, "c-3", "kim@example.com")
    assert refused.value.status == 429 and "c-3" not in store.rows
    assert _opened(store, key, verifier, limiter, "c-4", "lee@example.com").user_email == "lee@example.com"


class BrokenCounter:
    def take(self, key, limit, expires_at):
        raise ConnectionError("the counter table is unreachable")


def test_a_failing_counter_store_lets_messages_and_connects_through(key, verifier):
    store, limiter = InMemoryConnections(), RateLimiter(BrokenCounter(), clock=lambda: NOW)
    _opened(store, key, verifier, limiter, "c-1", "kim@example.com")
    assert [connections.answer_message(store, limiter, SMALL, "c-1", PING).frame for _ in range(5)] == [
        {"type": "pong"}
    ] * 5
