"""Notifications' WebSocket handlers as Lambda runs them (chalice.test's Lambda client), against the emulator:
connections in DynamoDB, replies through the @connections API (moto's records what was posted)."""

import json
import os
import time
import uuid

import pytest
from moto.apigatewaymanagementapi.models import apigatewaymanagementapi_backends
from moto.core import DEFAULT_ACCOUNT_ID
from speaktracker.settings import reset_settings
from support.emulator import REGION


@pytest.fixture(scope="module")
def lambdas(aws):
    from chalice.test import Client

    os.environ["SPEAKTRACKER_WEBSOCKET_MANAGEMENT_URL"] = aws.endpoint
    reset_settings()
    import app as notifications
    from chalicelib.ws import live_connections, use_management_api

    use_management_api(notifications.app.websocket_api, aws.settings)  # in case another module imported it first
    live_connections.cache_clear()
    with Client(notifications.app) as client:
        yield client.lambda_
    live_connections.cache_clear()
    os.environ.pop("SPEAKTRACKER_WEBSOCKET_MANAGEMENT_URL")
    reset_settings()


def event(route_key, connection_id, **extra):
    kind = {"$connect": "CONNECT", "$disconnect": "DISCONNECT", "$default": "MESSAGE"}[route_key]
    return {
        "requestContext": {
            "routeKey": route_key,
            "eventType": kind,
            "connectionId": connection_id,
            "domainName": "abc123.execute-api.ap-northeast-2.amazonaws.com",
            "stage": "test",
            "apiId": "abc123",
            "requestId": str(uuid.uuid4()),
            "connectedAt": int(time.time() * 1000),
        },
        "isBase64Encoded": False,
        **extra,
    }


def connect(lambdas, connection_id, token):
    query = {"token": token} if token is not None else None
    return lambdas.invoke("websocket_connect", event("$connect", connection_id, queryStringParameters=query)).payload


def row(aws, connection_id):
    return (
        aws.client("dynamodb")
        .get_item(TableName=aws.settings.name("websocket-connections"), Key={"connectionId": {"S": connection_id}})
        .get("Item")
    )


def posted_to(connection_id):
    return apigatewaymanagementapi_backends[DEFAULT_ACCOUNT_ID][REGION].connections[connection_id].data


def test_connect_stores_the_connection_and_disconnect_forgets_it(lambdas, aws):
    user = aws.user(role="tutor")
    assert connect(lambdas, "conn-a", user.access_token)["statusCode"] == 200
    stored = row(aws, "conn-a")
    assert stored["userEmail"]["S"] == user.email and stored["role"]["S"] == "tutor"
    assert int(stored["ttl"]["N"]) - int(stored["connectedAt"]["N"]) == 24 * 3600
    lambdas.invoke("websocket_disconnect", event("$disconnect", "conn-a"))
    assert row(aws, "conn-a") is None


@pytest.mark.parametrize(
    "token, code", [(None, "TOKEN_MISSING"), ("", "TOKEN_MISSING"), ("eyJhbGciOiJub25lIn0.e30.", "TOKEN_INVALID")]
)
def test_a_bad_token_is_a_401_never_a_500(lambdas, aws, token, code):
    answer = connect(lambdas, "conn-bad", token)
    assert answer["statusCode"] == 401 and json.loads(answer["body"])["error"] == code
    assert row(aws, "conn-bad") is None


def test_ping_is_answered_on_the_same_connection(lambdas, aws):
    user = aws.user()
    connect(lambdas, "conn-ping", user.access_token)
    lambdas.invoke("websocket_message", event("$default", "conn-ping", body=json.dumps({"action": "ping"})))
    assert json.loads(posted_to("conn-ping")) == {"type": "pong"}


def test_an_unknown_action_gets_an_error_frame(lambdas, aws):
    user = aws.user()
    connect(lambdas, "conn-odd", user.access_token)
    lambdas.invoke("websocket_message", event("$default", "conn-odd", body='{"action": "subscribe"}'))
    frame = json.loads(posted_to("conn-odd"))
    assert frame["type"] == "error" and frame["error"] == "UNKNOWN_ACTION"


def test_the_store_finds_every_live_connection_of_a_user_and_ignores_expired_ones(lambdas, aws):
    from chalicelib.adapters.dynamodb_connections import DynamoConnections
    from chalicelib.connections import LiveConnection

    user = aws.user()
    for connection_id in ("tab-1", "tab-2"):
        connect(lambdas, connection_id, user.access_token)
    db, table = aws.client("dynamodb"), aws.settings.name("websocket-connections")
    store = DynamoConnections(db, table)
    assert sorted(store.for_user(user.email)) == ["tab-1", "tab-2"]
    now = time.time()
    store.add(LiveConnection("stale", user.email, "student", int(now) - 90_000, int(now) - 3_600))
    assert sorted(store.for_user(user.email)) == ["tab-1", "tab-2"]
    assert store.get("stale") is None and store.get("tab-1").user_email == user.email
    assert DynamoConnections(db, table, clock=lambda: now + 25 * 3600).for_user(user.email) == []


def frames_posted_to(connection_id):
    data, frames, at = posted_to(connection_id).decode(), [], 0
    while at < len(data):
        frame, at = json.JSONDecoder().raw_decode(data, at)
        frames.append(frame)
    return frames


@pytest.fixture
def small_limits(lambdas):
    """The handlers' own limiter and counter table, with budgets small enough to spend in a test."""
    from chalicelib.connections import SocketLimits
    from chalicelib.ws import live_connections
    from speaktracker.ratelimit import Limit

    live = live_connections()
    saved = live.limits
    live.limits = SocketLimits(messages=Limit(3), connects=Limit(2), refusals=Limit(2))
    yield live.limits
    live.limits = saved


def test_messages_over_the_users_limit_are_refused_then_the_connection_is_closed(lambdas, aws, small_limits):
    flooder, other = aws.user(), aws.user()
    connect(lambdas, "flood-1", flooder.access_token)
    connect(lambdas, "calm-1", other.access_token)
    ping = event("$default", "flood-1", body=json.dumps({"action": "ping"}))
    for _ in range(5):  # three answered, two refused
        assert lambdas.invoke("websocket_message", ping).payload == {"statusCode": 200}
    frames = frames_posted_to("flood-1")
    assert [f["type"] for f in frames] == ["pong"] * 3 + ["error"] * 2
    assert frames[3]["error"] == "RATE_LIMITED" and frames[3]["details"]["limit"] == 3
    backend = apigatewaymanagementapi_backends[DEFAULT_ACCOUNT_ID][REGION]
    assert "flood-1" in backend.connections
    lambdas.invoke("websocket_message", ping)  # the third refusal: answered, then the connection is closed
    assert "flood-1" not in backend.connections
    lambdas.invoke("websocket_message", event("$default", "calm-1", body=json.dumps({"action": "ping"})))
    assert frames_posted_to("calm-1") == [{"type": "pong"}]


def test_connects_over_the_users_limit_are_a_429_and_store_nothing(lambdas, aws, small_limits):
    user = aws.user()
    assert [connect(lambdas, f"c-{n}", user.access_token)["statusCode"] for n in range(2)] == [200, 200]
    refused = connect(lambdas, "c-2", user.access_token)
    assert refused["statusCode"] == 429 and json.loads(refused["body"])["error"] == "RATE_LIMITED"
    assert row(aws, "c-2") is None
    assert connect(lambdas, "c-other", aws.user().access_token)["statusCode"] == 200
