"""Hosts one service of the dev stack in its own process (every service has modules named ``app`` and
``chalicelib``, so two cannot share one interpreter).

    python -m speaktracker_dev.host --service notifications --port 8005 --websocket-port 8006

- REST routes through chalice's local server (``chalice local``'s LocalDevServer and LocalGateway);
- every ``@app.on_sqs_message`` handler through a queue poller (see ``poller.py``);
- every ``@app.schedule`` function on its rate, at most a minute apart (see ``schedules.py``);
- with ``--websocket-port``: the WebSocket gateway in front of the app's ``@app.on_ws_*`` handlers.

The environment (emulator endpoint, pool and client ids, management URL) comes from the stack's supervisor.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

from . import lifecycle
from .ports import HOST, SERVICE_CONTEXTS

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEDULE_MAX_PERIOD_SECONDS = 60
SERVICES_DIR = REPO_ROOT / "services"

_log = logging.getLogger("speaktracker.dev.host")


def load_service_app(context: str, services_dir: Path = SERVICES_DIR) -> Any:
    """Imports ``services/<context>/app.py`` as Lambda would: from the service's own folder."""
    folder = services_dir / context
    os.chdir(folder)
    sys.path.insert(0, str(folder))
    return importlib.import_module("app").app


def chalice_config(app: Any, folder: Path, stage: str) -> Any:
    from chalice.config import Config

    on_disk = folder / ".chalice" / "config.json"
    config_from_disk = json.loads(on_disk.read_text()) if on_disk.exists() else None
    return Config(
        chalice_stage=stage,
        config_from_disk=config_from_disk,
        user_provided_params={"project_dir": str(folder), "app_name": app.app_name, "chalice_app": app},
    )


def rest_handler_class() -> type:
    """chalice local's request handler, answering every HTTP method: http.server answers a method it has no
    ``do_`` for (TRACE, CONNECT, QUERY, ...) with a 501, where API Gateway rejects it with a 4xx."""
    from chalice.local import ChaliceRequestHandler
    from speaktracker.privacy import scrub_text

    class RestHandler(ChaliceRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            # The access line's path may name a user (/api/tutors/{email}/request): logs outlive an account.
            super().log_message("%s", scrub_text(format % args))

        def __getattr__(self, name: str) -> Any:
            if name.startswith("do_"):
                return self._method_not_allowed
            raise AttributeError(name)

        def _method_not_allowed(self) -> None:
            # Read the request's body, or the connection (kept alive) would parse it as the next request line.
            length = self.headers.get("Content-Length")
            if length and length.isdigit():
                self.rfile.read(int(length))
            elif self.headers.get("Transfer-Encoding"):
                self.close_connection = True
            body = json.dumps(
                {"error": "METHOD_NOT_ALLOWED", "message": f"{self.command} is not a method of this API."}
            ).encode()
            self.send_response(405)
            self._send_headers(
                {
                    "Content-Type": "application/json",
                    "Content-Length": str(len(body)),
                    "Allow": "GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD",
                }
            )
            self.wfile.write(body)

    return RestHandler


def create_rest_server(app: Any, config: Any, host: str, port: int) -> Any:
    """``chalice local``'s server for ``app``, with the handler of ``rest_handler_class``."""
    from chalice.local import create_local_server

    server = create_local_server(app, config, host, port)
    chalice_handler = server.server.RequestHandlerClass  # a functools.partial of chalice's handler class
    server.server.RequestHandlerClass = functools.partial(rest_handler_class(), **chalice_handler.keywords)
    return server


class ServiceHost:
    def __init__(
        self, context: str, app: Any, port: int, websocket_port: int | None = None, host: str = HOST, stage: str = "dev"
    ) -> None:
        self.context, self.app, self.port, self.websocket_port, self.host = context, app, port, websocket_port, host
        self.stage = stage
        self._stop = threading.Event()
        self._rest: Any = None
        self._gateway: Any = None

    def start(self) -> None:
        from speaktracker.aws import AwsClients
        from speaktracker.settings import get_settings

        from .poller import start_pollers
        from .schedules import start_schedules

        self._rest = create_rest_server(
            self.app, chalice_config(self.app, Path.cwd(), self.stage), self.host, self.port
        )
        threading.Thread(target=self._rest.server.serve_forever, name="rest", daemon=True).start()
        start_pollers(self.app, AwsClients(get_settings()).client("sqs"), self._stop)
        start_schedules(self.app, self._stop, max_period_seconds=SCHEDULE_MAX_PERIOD_SECONDS)
        if self.websocket_port is not None:
            from .gateway import GatewayThread, WebsocketGateway

            gateway = WebsocketGateway(self.app, host=self.host, port=self.websocket_port, stage=self.stage)
            self._gateway = GatewayThread(gateway)
            self._gateway.start()

    def stop(self) -> None:
        self._stop.set()
        if self._gateway is not None:
            self._gateway.stop()
        if self._rest is not None:
            self._rest.server.shutdown()
            self._rest.server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="one SpeakTracker service of the dev stack")
    parser.add_argument("--service", required=True, choices=SERVICE_CONTEXTS)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--websocket-port", type=int)
    parser.add_argument("--host", default=HOST)
    args = parser.parse_args(argv)

    stop = lifecycle.stop_on_signal_or_orphaning()
    app = load_service_app(args.service)
    host = ServiceHost(
        args.service, app, args.port, args.websocket_port, args.host, stage=os.environ.get("SPEAKTRACKER_STAGE", "dev")
    )
    host.start()
    # A long-running server warms what a service loads on first use (``warm_up`` in its app.py, if it has one)
    # while it already serves; Lambda never calls it, so cold starts stay as lean as they are.
    warm_up = getattr(sys.modules["app"], "warm_up", None)
    if warm_up is not None:
        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    print(f"{args.service}: http://{args.host}:{args.port}", flush=True)
    stop.wait()
    host.stop()


if __name__ == "__main__":
    main()
