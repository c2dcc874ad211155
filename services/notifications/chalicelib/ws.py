"""Notifications' WebSocket routes: ``$connect`` checks the token and remembers the connection,
``$disconnect`` forgets it, and a client's message is answered on the same connection. Connects and messages are
rate-limited per user (``connections.SocketLimits``); the dev stack's gateway runs these same handlers."""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalice import WebsocketDisconnectedError
from speaktracker import logging as slog
from speaktracker.auth import verifier_from_settings
from speaktracker.errors import DomainError
from speaktracker.ratelimit import RateLimiter, limiter_from_settings
from speaktracker.settings import Settings, get_settings

from . import connections
from .connections import ConnectionStore, SocketLimits, TokenCheck

_log = slog.get_logger("notifications.websocket")


@dataclass
class LiveConnections:
    store: ConnectionStore
    verifier: TokenCheck
    clock: Callable[[], float] = field(default=time.time)
    limiter: RateLimiter | None = None
    limits: SocketLimits = SocketLimits()


@functools.cache
def live_connections() -> LiveConnections:
    # Imported on the first connection: boto3 and the adapter are no part of the cold start's import.
    from speaktracker.aws import AwsClients

    from .adapters.dynamodb_connections import DynamoConnections

    settings = get_settings()
    clients = AwsClients(settings)
    return LiveConnections(
        store=DynamoConnections(clients.client("dynamodb"), settings.name("websocket-connections")),
        verifier=verifier_from_settings(settings),
        limiter=limiter_from_settings(settings),
        limits=SocketLimits.from_settings(settings),
    )


class SessionOnFirstClient:
    """What chalice's websocket API asks of its boto3 session (``region_name``, ``client``), the session itself
    made on the first push: importing boto3 and creating one at import cost every cold start about 100 ms."""

    def __init__(self, region_name: str) -> None:
        self.region_name = region_name

    def client(self, *args: Any, **kwargs: Any) -> Any:
        import boto3

        return boto3.session.Session(region_name=self.region_name).client(*args, **kwargs)


def use_management_api(websocket_api: Any, settings: Settings) -> None:
    """Where ``app.websocket_api.send`` posts. chalice derives ``https://{apiId}.execute-api.{region}.amazonaws.com/
    {stage}`` from the first event and ignores ``AWS_ENDPOINT_URL``; an explicit management URL (a Terraform
    output, or the dev stack's gateway, which speaks plain http) must win, so it is set before any event
    arrives, after which chalice's own ``configure`` is a no-op."""
    websocket_api.session = SessionOnFirstClient(settings.region)
    if settings.websocket_management_url:
        websocket_api._WEBSOCKET_ENDPOINT_TEMPLATE = "{domain_name}"  # the URL as given, stage included
        websocket_api.configure(domain_name=settings.websocket_management_url.rstrip("/"), stage="")


def register_websocket_handlers(app: Any, context: Callable[[], LiveConnections] = live_connections) -> tuple:
    """Returns the (connect, disconnect, message) handlers for app.py to bind as top-level names: Lambda
    resolves a handler `app.<name>` in app.py's namespace."""
    app.experimental_feature_flags.update(["WEBSOCKETS"])
    use_management_api(app.websocket_api, get_settings())

    @app.on_ws_connect()
    def websocket_connect(event: Any) -> dict[str, Any]:
        raw = event.to_dict()
        token = (raw.get("queryStringParameters") or {}).get("token")
        request_id = raw["requestContext"].get("requestId", "")
        live = context()
        try:
            connection = connections.open_connection(
                live.store, live.verifier, event.connection_id, token, live.clock(), live.limiter, live.limits
            )
        except DomainError as error:
            slog.log(_log, logging.INFO, "connection refused", connectionId=event.connection_id, error=error.code)
            return {"statusCode": error.status, "body": json.dumps(error.body(request_id))}
        slog.log(_log, logging.INFO, "connected", connectionId=event.connection_id, userEmail=connection.user_email)
        return {"statusCode": 200}

    @app.on_ws_disconnect()
    def websocket_disconnect(event: Any) -> dict[str, Any]:
        connections.close_connection(context().store, event.connection_id)
        slog.log(_log, logging.INFO, "disconnected", connectionId=event.connection_id)
        return {"statusCode": 200}

    @app.on_ws_message()
    def websocket_message(event: Any) -> dict[str, Any]:
        live = context()
        reply = connections.answer_message(
            live.store, live.limiter, live.limits, event.connection_id, event.to_dict().get("body")
        )
        try:
            app.websocket_api.send(event.connection_id, json.dumps(reply.frame, ensure_ascii=False))
            if reply.close:
                slog.log(_log, logging.WARNING, "closing a flooding connection", connectionId=event.connection_id)
                app.websocket_api.close(event.connection_id)
        except WebsocketDisconnectedError:  # gone before the answer: forget it now rather than at $disconnect
            connections.close_connection(live.store, event.connection_id)
        return {"statusCode": 200}

    return websocket_connect, websocket_disconnect, websocket_message
