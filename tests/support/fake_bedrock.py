"""A local HTTP server that speaks Bedrock Runtime's InvokeModel for Nova Canvas, so tests exercise boto3's real
bedrock-runtime client (moto's InvokeModel answers ``{}`` to everything). Point the client's ``endpoint_url``
(``SPEAKTRACKER_BEDROCK_ENDPOINT_URL``) at ``base_url``.

Script it with ``enqueue`` (status, body, error type) for what the next calls answer; when the script is empty
it answers a real PNG of the requested size. Every request (model id and body) is recorded.
"""

from __future__ import annotations

import base64
import io
import json
from collections import deque
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote

from PIL import Image

from .local_http import LocalHttpFake


def png(width: int, height: int, colour: tuple[int, int, int] = (90, 140, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def picture(request: dict[str, Any]) -> dict[str, Any]:
    """What Nova Canvas answers a TEXT_IMAGE request: one base64 PNG of the asked size."""
    config = request["imageGenerationConfig"]
    return {"images": [base64.b64encode(png(config["width"], config["height"])).decode()], "error": None}


def throttled() -> tuple[int, dict[str, Any], str]:
    return 429, {"message": "Too many requests, please wait before trying again."}, "ThrottlingException"


def unavailable() -> tuple[int, dict[str, Any], str]:
    return 503, {"message": "Bedrock is unable to process your request."}, "ServiceUnavailableException"


def model_timeout() -> tuple[int, dict[str, Any], str]:
    return 408, {"message": "Model has timed out in processing the request."}, "ModelTimeoutException"


class FakeBedrock(LocalHttpFake):
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.pauses: list[float] = []  # the adapter's backoff, where a test records it
        self._script: deque[tuple[int, dict[str, Any], str]] = deque()
        super().__init__()

    def enqueue(self, status: int, body: dict[str, Any], error_type: str = "") -> None:
        self._script.append((status, body, error_type))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                request = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))) or b"{}")
                parts = self.path.split("/")  # /model/{modelId}/invoke
                if len(parts) != 4 or parts[1] != "model" or parts[3] != "invoke":
                    return self._answer(404, {"message": f"no route {self.path}"}, "ResourceNotFoundException")
                if not self.headers.get("authorization", "").startswith("AWS4-HMAC-SHA256"):
                    return self._answer(403, {"message": "unsigned request"}, "AccessDeniedException")
                fake.requests.append((unquote(parts[2]), request))
                if fake._script:
                    return self._answer(*fake._script.popleft())
                return self._answer(200, picture(request), "")

            def _answer(self, status: int, body: dict[str, Any], error_type: str) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                if error_type:
                    self.send_header("x-amzn-ErrorType", error_type)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        return Handler
