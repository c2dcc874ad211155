"""A signed-in user's live connection through the dev stack's WebSocket gateway to the notifications app."""

import json

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
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


def test_a_flooding_socket_is_refused_then_closed_while_another_users_socket_is_unaffected(dev_stack):
    flooder, bystander = dev_stack.user(role="student"), dev_stack.user(role="student")
    ping = json.dumps({"action": "ping"})
    with (
        connect(f"{dev_stack.websocket}/?token={flooder.access_token}", open_timeout=15) as flooding,
        connect(f"{dev_stack.websocket}/?token={bystander.access_token}", open_timeout=15) as other,
    ):
        answers, closed = [], None
        # 100 messages a minute per user, then 10 refusals on one connection before it is closed; a fixed window
        # may restart once during the flood, so up to twice that is allowed before the test gives up.
        for _ in range(2 * 111):
            try:
                flooding.send(ping)
                answers.append(json.loads(flooding.recv(timeout=15)))
            except ConnectionClosed as gone:
                closed = gone
                break
        refusals = [a for a in answers if a.get("error") == "RATE_LIMITED"]
        assert refusals, f"no refusal after {len(answers)} messages"
        assert refusals[0]["type"] == "error" and refusals[0]["details"]["limit"] == 100
        assert closed is not None and closed.rcvd is not None and closed.rcvd.code == 1001
        assert {a["type"] for a in answers} == {"pong", "error"}
        other.send(ping)
        assert json.loads(other.recv(timeout=15)) == {"type": "pong"}
    wait_until(lambda: connections_of(dev_stack, flooder.email) == [], 10, "the flooding connection's row to go")
