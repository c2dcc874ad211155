"""A signed-in user's live connection through the dev stack's WebSocket gateway to the notifications app."""

import json

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from .conftest import wait_until


def connections_of(stack, email):
    result = stack.client("dynamodb").query(
        TableName=stack.table("websocket-connections"),
        IndexName="userEmail-index",
        KeyConditionExpression="userEmail = :u",
        ExpressionAttributeValues={":u": {"S": email}},
    )
    return [item["connectionId"]["S"] for item in result["Items"]]


def test_connect_ping_and_disconnect(dev_stack):
    user = dev_stack.user(role="student")
    with connect(f"{dev_stack.websocket}/?token={user.access_token}", open_timeout=15) as socket:
        assert len(connections_of(dev_stack, user.email)) == 1
        socket.send(json.dumps({"action": "ping"}))
        assert json.loads(socket.recv(timeout=15)) == {"type": "pong"}
    wait_until(lambda: connections_of(dev_stack, user.email) == [], 10, "the connection row to go")


def test_a_connection_without_a_token_is_refused(dev_stack):
    with pytest.raises(InvalidStatus) as refused:
        connect(dev_stack.websocket, open_timeout=15)
    assert refused.value.response.status_code == 401
