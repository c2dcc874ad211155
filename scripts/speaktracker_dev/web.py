"""The dev stack's web server: the built SPA (``web/dist``, which ``make dev`` builds first) with its client-side
routes, or, until it is built, the status page of the services (always at ``/dev/``); ``GET /config.json`` for
discovery (with ``devMailbox``, so the SPA's confirm page can link the emulator's outbox);
``GET /dev/mailbox?to=EMAIL``; ``GET /dev/status.json``."""

from __future__ import annotations

import html
import json
import mimetypes
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from .mailbox import Mailbox
from .ports import StackUrls

HEALTH_TIMEOUT_SECONDS = 2.0


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def security_headers(urls: StackUrls) -> dict[str, str]:
    """The headers CloudFront's response headers policy sends in AWS (terraform/modules/cdn), for this stack:
    the SPA may talk to its own origin, the services and the WebSocket gateway from config.json, and the
    emulator (presigned uploads and speech); recordings play from blob:/data: URLs; it may not be framed; the
    microphone is for this origin only."""
    apis = " ".join(sorted({_origin(u) for u in [*urls.services.values(), urls.websocket, urls.emulator]}))
    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {urls.emulator}",
            f"media-src 'self' data: blob: {urls.emulator}",
            f"connect-src 'self' {apis}",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "microphone=(self), camera=(), geolocation=(), payment=()",
    }


def check_health(urls: StackUrls) -> dict[str, dict[str, Any]]:
    """Every part of the stack with its live ``/health`` answer (the five services and the gateway)."""
    targets = {**urls.services, "websocket": urls.websocket_management}

    def probe(url: str) -> dict[str, Any]:
        try:
            response = requests.get(f"{url}/health", timeout=HEALTH_TIMEOUT_SECONDS)
            body = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
            return {"url": url, "ok": response.status_code == 200, "status": response.status_code, "health": body}
        except requests.RequestException as exc:
            return {"url": url, "ok": False, "status": None, "error": type(exc).__name__}

    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        answers = dict(zip(targets, pool.map(probe, targets.values())))
    answers["websocket"]["url"] = urls.websocket
    return answers


def status_page(health: dict[str, dict[str, Any]], urls: StackUrls, emulator: str) -> str:
    rows = "".join(
        f'<tr><td>{html.escape(name)}</td><td><a href="{html.escape(h["url"])}/health">{html.escape(h["url"])}</a>'
        f'</td><td class="{"up" if h["ok"] else "down"}">{"up" if h["ok"] else "down"}</td>'
        f"<td><code>{html.escape(json.dumps(h.get('health') or h.get('error') or h.get('status')))}</code></td></tr>"
        for name, h in health.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SpeakTracker dev stack</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}}td,th{{padding:.3rem .8rem;text-align:left}}
.up{{color:#137333;font-weight:bold}}.down{{color:#c5221f;font-weight:bold}}code{{font-size:.85rem}}</style></head>
<body><h1>SpeakTracker dev stack</h1>
<p>The services and their health. The web app is at <a href="/">/</a> once built (<code>make web</code>;
<code>make dev</code> builds it).</p>
<table><tr><th>part</th><th>URL</th><th>state</th><th>/health</th></tr>{rows}</table>
<p>Emulator: {html.escape(emulator)} · <a href="/config.json">/config.json</a> ·
<a href="/dev/mailbox">/dev/mailbox?to=EMAIL</a> · <a href="/dev/status.json">/dev/status.json</a></p>
</body></html>"""


def make_web_server(urls: StackUrls, region: str, mailbox: Mailbox, dist: Path, emulator: str) -> ThreadingHTTPServer:
    handler = _handler(urls, region, mailbox, dist, emulator)
    server = ThreadingHTTPServer((urls.host, urls.ports.web), handler)
    server.daemon_threads = True
    return server


def _handler(urls: StackUrls, region: str, mailbox: Mailbox, dist: Path, emulator: str) -> type:
    routes: dict[str, Callable[[dict[str, list[str]]], tuple[int, Any]]] = {
        "/config.json": lambda query: (200, {**urls.config_document(region), "devMailbox": "/dev/mailbox"}),
        "/dev/mailbox": lambda query: (200, {"messages": mailbox.messages_to(query.get("to", [""])[0])}),
        "/dev/status.json": lambda query: (200, check_health(urls)),
    }

    headers = security_headers(urls)

    class WebHandler(BaseHTTPRequestHandler):
        server_version = "speaktracker-dev"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            route = routes.get(parts.path.rstrip("/") or "/")
            if route is not None:
                try:
                    status, body = route(parse_qs(parts.query))
                except requests.RequestException as exc:
                    status, body = 502, {"error": "EMULATOR_UNREACHABLE", "message": str(exc)}
                return self._send(status, json.dumps(body, ensure_ascii=False).encode(), "application/json")
            if parts.path in ("/dev", "/dev/") or (parts.path == "/" and not (dist / "index.html").is_file()):
                page = status_page(check_health(urls), urls, emulator)
                return self._send(200, page.encode(), "text/html; charset=utf-8")
            if (dist / "index.html").is_file():
                return self._static(parts.path)
            self._send(404, b'{"error": "NOT_FOUND", "message": "No such page."}', "application/json")

        def _static(self, path: str) -> None:
            target = (dist / path.lstrip("/")).resolve()
            if not target.is_relative_to(dist.resolve()) or not target.is_file():
                target = dist / "index.html"  # client-side routes of the SPA
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind == "application/javascript":
                kind += "; charset=utf-8"
            self._send(200, target.read_bytes(), kind)

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Cache-Control", "no-store")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # the services log their own requests

    return WebHandler
