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
