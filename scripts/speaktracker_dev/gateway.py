"""The dev stack's stand-in for an API Gateway WebSocket API, on one port.

- ``ws://host:port/?token=...`` (or ``/{stage}``): each connection gets an id; the app's ``@app.on_ws_connect``
  handler sees a ``$connect`` event and may refuse the upgrade by answering ``statusCode >= 400``; every
  message becomes a ``$default`` event; closing becomes ``$disconnect``. Handlers are plain synchronous Lambda
  handlers and run on worker threads.
- The management API at ``/@connections/{id}`` and ``/{stage}/@connections/{id}``: POST sends the body to the
  client, GET describes the connection, DELETE closes it; an unknown or closed connection is
  ``410 GoneException`` in the rest-json shape botocore maps to ``client.exceptions.GoneException``. So
  ``app.websocket_api.send`` and boto3's ``apigatewaymanagementapi`` client work unchanged against it.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web
from chalice.local import LambdaContext

from .websocket_events import ApiContext, ConnectionInfo, connect_event, disconnect_event, message_event, now_millis

_log = logging.getLogger("speaktracker.dev.gateway")

MAX_MESSAGE_BYTES = 128 * 1024  # API Gateway's limit for one WebSocket message and one @connections POST
GOING_AWAY = 1001


def new_connection_id() -> str:
    """Shaped like API Gateway's (16 characters, base64), in the URL-safe alphabet so it can sit in a path."""
    return base64.urlsafe_b64encode(os.urandom(11)).decode()


@dataclass
class Invocation:
    succeeded: bool
    response: Any = None

    @property
    def status(self) -> int:
        if not self.succeeded:
            return 500
        return int(self.response.get("statusCode", 200)) if isinstance(self.response, dict) else 200


class WebsocketGateway:
    def __init__(
        self, app: Any, host: str, port: int, stage: str, api_id: str = "speaktracker-local", workers: int = 8
    ) -> None:
        self.app, self.host, self.port = app, host, port
        self.api = ApiContext(domain_name=f"{host}:{port}", stage=stage, api_id=api_id)
        self._connections: dict[str, tuple[ConnectionInfo, web.WebSocketResponse]] = {}
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ws-handler")

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_MESSAGE_BYTES + 1024)
        app.router.add_get("/health", self._health)
        for prefix in ("", "/{stage}"):
            path = f"{prefix}/@connections/{{connection_id}}"
            app.router.add_post(path, self._post_to_connection)
            app.router.add_get(path, self._get_connection)
            app.router.add_delete(path, self._delete_connection)
        app.router.add_get("/", self._connect)
        app.router.add_get("/{stage}", self._connect)
        return app

    @property
    def open_connections(self) -> int:
        return len(self._connections)

    # --- the client side --------------------------------------------------------------------------
    async def _connect(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() != "websocket":
            return web.json_response({"message": "Connect with a WebSocket client."}, status=426)
        info = ConnectionInfo(new_connection_id(), request.remote or "127.0.0.1", request.headers.get("User-Agent", ""))
        query = {name: request.query.getall(name) for name in request.query}
        answer = await self._invoke("$connect", connect_event(self.api, info, dict(request.headers), query))
        if answer.status >= 400:
            body = answer.response.get("body") if isinstance(answer.response, dict) else None
            return web.Response(
                status=answer.status,
                text=body or "Forbidden",
                content_type="application/json" if body else "text/plain",
            )
        socket = web.WebSocketResponse(max_msg_size=MAX_MESSAGE_BYTES, autoping=True)
        await socket.prepare(request)
        self._connections[info.connection_id] = (info, socket)
        try:
            async for frame in socket:
                if frame.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                    info.last_active_at = now_millis()
                    await self._deliver(info, socket, frame.data)
        finally:
            self._connections.pop(info.connection_id, None)
            code = socket.close_code or 1005
            await self._invoke("$disconnect", disconnect_event(self.api, info, code, _close_reason(code)))
        return socket

    async def _deliver(self, info: ConnectionInfo, socket: web.WebSocketResponse, data: str | bytes) -> None:
        event = message_event(self.api, info, data)
        answer = await self._invoke("$default", event)
        if not answer.succeeded and not socket.closed:
            # What API Gateway sends a client when the integration fails.
            await socket.send_json(
                {
                    "message": "Internal server error",
                    "connectionId": info.connection_id,
                    "requestId": event["requestContext"]["requestId"],
                }
            )

    async def _invoke(self, route_key: str, event: dict[str, Any]) -> Invocation:
        registered = self.app.websocket_handlers.get(route_key)
        if registered is None:
            return Invocation(True)  # no route: API Gateway accepts connections and drops messages
        handler = self.app.handler_map[registered.name]
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, registered.name, handler, event)

    @staticmethod
    def _call(name: str, handler: Any, event: dict[str, Any]) -> Invocation:
        try:
            return Invocation(True, handler(event, LambdaContext(name, memory_size=128)))
        except Exception:
            _log.exception("websocket handler %s raised", name)
            return Invocation(False)

    # --- the management API (@connections) -------------------------------------------------------
    async def _post_to_connection(self, request: web.Request) -> web.Response:
        connection_id = request.match_info["connection_id"]
        found = self._connections.get(connection_id)
        if found is None or found[1].closed:
            return _gone(connection_id)
        data = await request.read()
        if len(data) > MAX_MESSAGE_BYTES:
            return _error(413, "PayloadTooLargeException", "Message too long")
        info, socket = found
        try:
            await socket.send_str(data.decode("utf-8"))
        except UnicodeDecodeError:
            await socket.send_bytes(data)
        except ConnectionError:
            return _gone(connection_id)
        info.last_active_at = now_millis()
        return web.Response(status=200)

    async def _get_connection(self, request: web.Request) -> web.Response:
        connection_id = request.match_info["connection_id"]
        found = self._connections.get(connection_id)
        if found is None:
            return _gone(connection_id)
        info = found[0]
        return web.json_response(
            {
                "connectedAt": _iso(info.connected_at),
                "lastActiveAt": _iso(info.last_active_at),
                "identity": {"sourceIp": info.source_ip, "userAgent": info.user_agent},
            }
        )

    async def _delete_connection(self, request: web.Request) -> web.Response:
        connection_id = request.match_info["connection_id"]
        found = self._connections.get(connection_id)
        if found is None:
            return _gone(connection_id)
        await found[1].close(code=GOING_AWAY, message=b"closed by the server")
        return web.Response(status=204)

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"service": "websocket-gateway", "status": "ok", "connections": self.open_connections})

    async def close_all(self) -> None:
        """Going away: every client is closed, and each ``$disconnect`` handler runs."""
        for _, socket in list(self._connections.values()):
            await socket.close(code=GOING_AWAY, message=b"server shutting down")

    def shutdown_workers(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _gone(connection_id: str) -> web.Response:
    return _error(410, "GoneException", f"Connection {connection_id} is gone.")


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"message": message}, status=status, headers={"x-amzn-ErrorType": code})


def _iso(millis: int) -> str:
    return datetime.fromtimestamp(millis / 1000, UTC).isoformat(timespec="milliseconds")


def _close_reason(code: int) -> str:
    return {1000: "Client closed", GOING_AWAY: "Going away", 1005: "Connection closed"}.get(code, f"Closed ({code})")


class GatewayThread:
    """Runs a gateway on its own event loop in a background thread (the host's other parts are threads too)."""

    def __init__(self, gateway: WebsocketGateway, start_timeout: float = 10.0) -> None:
        self.gateway = gateway
        self._start_timeout = start_timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="websocket-gateway", daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(self._start_timeout):
            raise TimeoutError("the WebSocket gateway did not start")
        if self._failure is not None:
            raise RuntimeError(f"the WebSocket gateway could not start: {self._failure}") from self._failure

    def stop(self, timeout: float = 10.0) -> None:
        if self._loop is not None and self._stopping is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(timeout)

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        runner = web.AppRunner(self.gateway.web_app(), shutdown_timeout=5.0, access_log=None)
        try:
            await runner.setup()
            await web.TCPSite(runner, self.gateway.host, self.gateway.port).start()
        except BaseException as exc:  # port taken: report it to start(), not to a thread's stderr
            self._failure = exc
            self._ready.set()
            await runner.cleanup()
            return
        self._ready.set()
        await self._stopping.wait()
        await self.gateway.close_all()
        await runner.cleanup()
        self.gateway.shutdown_workers()
