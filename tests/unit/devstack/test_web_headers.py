"""The dev web server sends the security headers CloudFront sends in AWS, on the SPA and on its JSON routes."""

import socket
import threading

import pytest
import requests
from speaktracker_dev.ports import StackPorts, StackUrls
from speaktracker_dev.web import make_web_server


class NoMail:
    def messages_to(self, address):
        return []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def web(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    urls = StackUrls(StackPorts(web=_free_port(), practice=9103, websocket=9106, emulator=9566))
    server = make_web_server(urls, "ap-northeast-2", NoMail(), tmp_path, "moto")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield urls.web
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", ["/", "/practice/deep-link", "/config.json"])
def test_every_response_carries_the_security_headers(web, path):
    headers = requests.get(f"{web}{path}", timeout=5).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "microphone=(self)" in headers["Permissions-Policy"]
    csp = dict(d.strip().split(" ", 1) for d in headers["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert set(csp["media-src"].split()) >= {"'self'", "blob:", "data:"}


def test_the_policy_lets_the_spa_reach_exactly_the_urls_of_config_json(web):
    config = requests.get(f"{web}/config.json", timeout=5)
    connect = next(
        d for d in config.headers["Content-Security-Policy"].split(";") if d.strip().startswith("connect-src")
    ).split()[1:]
    body = config.json()
    assert "'self'" in connect
    assert set(body["services"].values()) <= set(connect)
    assert body["websocket"] in connect
    assert "http://127.0.0.1:9566" in connect  # the emulator: presigned uploads
    assert "https:" not in connect and "*" not in connect
