"""The WebSocket gateway in front of the real notifications app (and of a small app for the protocol edges),
with the @connections management API driven through boto3 as the services drive it."""

import importlib
import json
import os
import time
import uuid

import boto3
import pytest
from chalice import Chalice
from speaktracker.settings import reset_settings
from speaktracker_dev.gateway import GatewayThread, WebsocketGateway
from support.emulator import REGION, free_port
from support.services import use_service
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from .helpers import eventually, signed_in

STAGE = "devstack"


@pytest.fixture(scope="module")
def gateway_url(emulator):
    port = free_port()
    os.environ["SPEAKTRACKER_WEBSOCKET_MANAGEMENT_URL"] = f"http://127.0.0.1:{port}"
    reset_settings()
    use_service("notifications")
    notifications = importlib.import_module("app")
    running = GatewayThread(WebsocketGateway(notifications.app, "127.0.0.1", port, STAGE))
    running.start()
    yield f"127.0.0.1:{port}"
    running.stop()
    os.environ.pop("SPEAKTRACKER_WEBSOCKET_MANAGEMENT_URL")
    reset_settings()


@pytest.fixture
def management(gateway_url):
    return boto3.client("apigatewaymanagementapi", endpoint_url=f"http://{gateway_url}", region_name=REGION)


@pytest.fixture
def student(emulator):
    email = f"student-{uuid.uuid4().hex[:8]}@example.com"
    return email, signed_in(emulator, email)


def connections_of(email):
    from chalicelib.ws import live_connections

    return live_connections().store.for_user(email)


def row(emulator, connection_id):
    table = emulator.settings.name("websocket-connections")
    return (
        emulator.client("dynamodb")
        .get_item(TableName=table, Key={"connectionId": {"S": connection_id}}, ConsistentRead=True)
        .get("Item")
    )


@pytest.mark.parametrize("query, code", [("", "TOKEN_MISSING"), ("?token=not-a-jwt", "TOKEN_INVALID")])
def test_a_connection_without_a_valid_token_is_refused_with_401(gateway_url, query, code):
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://{gateway_url}/{query}", open_timeout=10)
    assert refused.value.response.status_code == 401
    assert json.loads(refused.value.response.body)["error"] == code


def test_a_token_of_another_pool_is_refused(gateway_url, emulator):
    idp = emulator.client("cognito-idp")
    other = idp.create_user_pool(PoolName=f"other-{uuid.uuid4().hex[:6]}")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=other, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=other, Username="x@example.com", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=other, Username="x@example.com", Password="Str0ng!Pass", Permanent=True)
    token = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "x@example.com", "PASSWORD": "Str0ng!Pass"},
    )["AuthenticationResult"]["AccessToken"]
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://{gateway_url}/?token={token}", open_timeout=10)
    assert refused.value.response.status_code == 401


def test_ping_is_answered_with_pong_and_the_connection_is_remembered_for_a_day(gateway_url, emulator, student):
    email, token = student
    with connect(f"ws://{gateway_url}/?token={token}", open_timeout=10) as socket:
        socket.send(json.dumps({"action": "ping"}))
        assert json.loads(socket.recv(timeout=10)) == {"type": "pong"}
        [connection_id] = connections_of(email)
        stored = row(emulator, connection_id)
        assert stored["userEmail"]["S"] == email and stored["role"]["S"] == "student"
        assert abs(int(stored["ttl"]["N"]) - (time.time() + 24 * 3600)) < 60
    eventually(lambda: row(emulator, connection_id) is None)


@pytest.mark.parametrize(
    "message, code",
    [("not json", "INVALID_JSON"), ('{"action": "dance"}', "UNKNOWN_ACTION"), ("[1, 2]", "UNKNOWN_ACTION")],
)
def test_anything_but_ping_gets_an_error_frame(gateway_url, student, message, code):
    with connect(f"ws://{gateway_url}/?token={student[1]}", open_timeout=10) as socket:
        socket.send(message)
        frame = json.loads(socket.recv(timeout=10))
        assert frame["type"] == "error" and frame["error"] == code and frame["message"]


def test_a_user_may_hold_several_connections(gateway_url, emulator, student, management):
    email, token = student
    with (
        connect(f"ws://{gateway_url}/?token={token}", open_timeout=10) as laptop,
        connect(f"ws://{gateway_url}/?token={token}", open_timeout=10) as phone,
    ):
        ids = connections_of(email)
        assert len(ids) == 2
        for connection_id in ids:
            management.post_to_connection(ConnectionId=connection_id, Data=b'{"type": "hello"}')
        assert json.loads(laptop.recv(timeout=10)) == {"type": "hello"}
        assert json.loads(phone.recv(timeout=10)) == {"type": "hello"}
        phone.close()
        eventually(lambda: len(connections_of(email)) == 1)
        laptop.send(json.dumps({"action": "ping"}))
        assert json.loads(laptop.recv(timeout=10)) == {"type": "pong"}


def test_management_api_describes_and_closes_a_connection(gateway_url, emulator, student, management):
    email, token = student
    with connect(
        f"ws://{gateway_url}/?token={token}", open_timeout=10, user_agent_header="speaktracker-test"
    ) as socket:
        [connection_id] = connections_of(email)
        described = management.get_connection(ConnectionId=connection_id)
        assert described["Identity"] == {"SourceIp": "127.0.0.1", "UserAgent": "speaktracker-test"}
        assert described["ConnectedAt"] <= described["LastActiveAt"]
        management.delete_connection(ConnectionId=connection_id)
        with pytest.raises(ConnectionClosed):
            socket.recv(timeout=10)
    eventually(lambda: row(emulator, connection_id) is None)
    with pytest.raises(management.exceptions.GoneException):
        management.post_to_connection(ConnectionId=connection_id, Data=b"late")


@pytest.mark.parametrize("call", ["post_to_connection", "get_connection", "delete_connection"])
def test_an_unknown_connection_is_gone(management, call):
    arguments = {"ConnectionId": "AAAAAAAAAAAAAAA="}
    if call == "post_to_connection":
        arguments["Data"] = b"{}"
    with pytest.raises(management.exceptions.GoneException) as gone:
        getattr(management, call)(**arguments)
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410


def test_the_stage_prefixed_management_path_works_too(gateway_url, student):
    staged = boto3.client("apigatewaymanagementapi", endpoint_url=f"http://{gateway_url}/{STAGE}", region_name=REGION)
    with pytest.raises(staged.exceptions.GoneException):
        staged.get_connection(ConnectionId="AAAAAAAAAAAAAAA=")
    email, token = student
    with connect(f"ws://{gateway_url}/?token={token}", open_timeout=10) as socket:
        [connection_id] = connections_of(email)
        staged.post_to_connection(ConnectionId=connection_id, Data="안녕하세요".encode())
        assert socket.recv(timeout=10) == "안녕하세요"


# --- the protocol edges, with a small app that records what it is given --------------------------
@pytest.fixture(scope="module")
def recording_gateway():
    app = Chalice("recording")
    app.experimental_feature_flags.update(["WEBSOCKETS"])
    events = []

    @app.on_ws_connect()
    def on_connect(event):
        events.append(event.to_dict())
        room = (event.to_dict().get("queryStringParameters") or {}).get("room")
        return {"statusCode": 403, "body": json.dumps({"error": "ROOM_CLOSED"})} if room == "closed" else {}

    @app.on_ws_message()
    def on_message(event):
        events.append(event.to_dict())
        if event.body == "explode":
            raise RuntimeError("the handler broke")

    @app.on_ws_disconnect()
    def on_disconnect(event):
        events.append(event.to_dict())

    port = free_port()
    running = GatewayThread(WebsocketGateway(app, "127.0.0.1", port, STAGE, api_id="recorder"))
    running.start()
    yield f"127.0.0.1:{port}", events
    running.stop()


def test_events_have_api_gateways_shape(recording_gateway):
    url, events = recording_gateway
    events.clear()
    with connect(f"ws://{url}/?token=abc&room=a&room=b", open_timeout=10) as socket:
        socket.send("hello")
        eventually(lambda: len(events) == 2)
    eventually(lambda: len(events) == 3)
    connected, message, disconnected = events
    assert connected["queryStringParameters"] == {"token": "abc", "room": "b"}
    assert connected["multiValueQueryStringParameters"]["room"] == ["a", "b"]
    assert connected["headers"]["Host"] == url
    ids = {e["requestContext"]["connectionId"] for e in events}
    assert len(ids) == 1
    for event, (route, kind) in zip(
        events, [("$connect", "CONNECT"), ("$default", "MESSAGE"), ("$disconnect", "DISCONNECT")]
    ):
        context = event["requestContext"]
        assert (context["routeKey"], context["eventType"]) == (route, kind)
        assert (context["domainName"], context["stage"], context["apiId"]) == (url, STAGE, "recorder")
        assert context["requestId"] and context["connectedAt"] <= context["requestTimeEpoch"]
    assert message["body"] == "hello" and message["isBase64Encoded"] is False


def test_connect_handler_status_refuses_the_upgrade(recording_gateway):
    url, _ = recording_gateway
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://{url}/?room=closed", open_timeout=10)
    assert refused.value.response.status_code == 403
    assert json.loads(refused.value.response.body) == {"error": "ROOM_CLOSED"}


def test_a_failing_message_handler_gets_api_gateways_error_frame(recording_gateway):
    url, _ = recording_gateway
    with connect(f"ws://{url}/", open_timeout=10) as socket:
        socket.send("explode")
        frame = json.loads(socket.recv(timeout=10))
        assert frame["message"] == "Internal server error" and frame["connectionId"] and frame["requestId"]
