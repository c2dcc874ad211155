"""The events API Gateway's WebSocket APIs hand a Lambda function: $connect, $disconnect and messages."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def now_millis() -> int:
    return int(time.time() * 1000)


@dataclass
class ConnectionInfo:
    """What the gateway knows of one client connection."""

    connection_id: str
    source_ip: str
    user_agent: str
    connected_at: int = field(default_factory=now_millis)  # epoch milliseconds, as API Gateway reports it
    last_active_at: int = field(default_factory=now_millis)


@dataclass(frozen=True)
class ApiContext:
    """The API the events claim to come from."""

    domain_name: str
    stage: str
    api_id: str


def connect_event(
    api: ApiContext, connection: ConnectionInfo, headers: Mapping[str, str], query: Mapping[str, list[str]]
) -> dict[str, Any]:
    return {
        "headers": dict(headers),
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": {name: values[-1] for name, values in query.items()} or None,
        "multiValueQueryStringParameters": {name: list(values) for name, values in query.items()} or None,
        "requestContext": _request_context(api, connection, "$connect", "CONNECT"),
        "isBase64Encoded": False,
    }


def message_event(api: ApiContext, connection: ConnectionInfo, data: str | bytes) -> dict[str, Any]:
    binary = isinstance(data, bytes)
    context = _request_context(api, connection, "$default", "MESSAGE")
    context["messageId"] = uuid.uuid4().hex[:16]
    return {
        "requestContext": context,
        "body": base64.b64encode(data).decode() if binary else data,
        "isBase64Encoded": binary,
    }


def disconnect_event(api: ApiContext, connection: ConnectionInfo, status_code: int, reason: str) -> dict[str, Any]:
    context = _request_context(api, connection, "$disconnect", "DISCONNECT")
    context.update(disconnectStatusCode=status_code, disconnectReason=reason)
    return {"headers": {"Host": api.domain_name}, "requestContext": context, "isBase64Encoded": False}


def _request_context(api: ApiContext, connection: ConnectionInfo, route_key: str, event_type: str) -> dict[str, Any]:
    now = now_millis()
    return {
        "routeKey": route_key,
        "eventType": event_type,
        "messageDirection": "IN",
        "connectionId": connection.connection_id,
        "connectedAt": connection.connected_at,
        "domainName": api.domain_name,
        "stage": api.stage,
        "apiId": api.api_id,
        "requestId": str(uuid.uuid4()),
        "extendedRequestId": str(uuid.uuid4()),
        "requestTimeEpoch": now,
        "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now / 1000)),
        "identity": {"sourceIp": connection.source_ip, "userAgent": connection.user_agent},
    }
