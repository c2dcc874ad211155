"""A local HTTP server that speaks the Anthropic Messages API, so tests exercise the real SDK.

Script it with ``enqueue`` (status, body, headers, delay) for what the next calls answer; when the script is
empty it answers with ``default(request)``. Every request body is recorded. A ``delay`` longer than the
client's timeout makes that call time out.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from .local_http import LocalHttpFake


def message(content: list[dict[str, Any]], stop_reason: str = "end_turn") -> dict[str, Any]:
    return {
        "id": f"msg_{uuid.uuid4().hex[:24]}",
        "type": "message",
        "role": "assistant",
        "model": "claude-test",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 20},
    }


def tool_use(name: str, payload: Any) -> dict[str, Any]:
    return message(
        [{"type": "tool_use", "id": f"toolu_{uuid.uuid4().hex[:20]}", "name": name, "input": payload}],
        stop_reason="tool_use",
    )


def text(reply: str) -> dict[str, Any]:
    return message([{"type": "text", "text": reply}])


def overloaded() -> tuple[int, dict[str, Any], dict[str, str]]:
    return 529, {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}, {"retry-after": "0"}


def rate_limited() -> tuple[int, dict[str, Any], dict[str, str]]:
    return (
        429,
        {"type": "error", "error": {"type": "rate_limit_error", "message": "Too many requests"}},
        {"retry-after": "0"},
    )


def partner_answer(request: dict[str, Any]) -> dict[str, Any]:
    """What Claude answers the conversation partner and coach: the tool the request forces, filled in."""
    tool = (request.get("tool_choice") or {}).get("name")
    if tool == "say_line":
        return tool_use("say_line", {"reply": "Great choice! Hot or iced?", "replyKo": "좋아요! 따뜻하게요, 차갑게요?"})
    if tool == "give_feedback":
        return tool_use(
            "give_feedback",
            {
                "corrections": [
                    {
                        "original": "I very like",
                        "corrected": "I really like",
                        "explanationKo": "very는 동사를 꾸미지 못해요.",
                    }
                ],
                "betterPhrasing": "I'd really like a latte.",
                "newWords": ["latte"],
            },
        )
    if tool == "suggest_reply":
        return tool_use("suggest_reply", {"suggestion": "A large one, please.", "suggestionKo": "큰 걸로 주세요."})
    return text("?")


class FakeAnthropic(LocalHttpFake):
    def __init__(self, default: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._script: deque[tuple[int, dict[str, Any], dict[str, str], float]] = deque()
        self._default = default or (lambda request: text("Hello!"))
        super().__init__()

    def enqueue(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None, delay: float = 0.0
    ) -> None:
        self._script.append((status, body, headers or {}, delay))

    def clear(self) -> None:
        """Forgets what is still scripted: later calls get the default answer."""
        self._script.clear()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                request = json.loads(self.rfile.read(length) or b"{}")
                if self.path.rstrip("/") != "/v1/messages":
                    return self._answer(
                        404, {"type": "error", "error": {"type": "not_found_error", "message": self.path}}, {}
                    )
                if not (self.headers.get("x-api-key") or self.headers.get("authorization", "").startswith("Bearer ")):
                    return self._answer(
                        401, {"type": "error", "error": {"type": "authentication_error", "message": "no key"}}, {}
                    )
                fake.requests.append(request)
                fake.headers.append(dict(self.headers))
                if fake._script:
                    status, body, headers, delay = fake._script.popleft()
                    if delay:
                        time.sleep(delay)
                    return self._answer(status, body, headers)
                return self._answer(200, fake._default(request), {})

            def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up waiting (a timeout test)

            def log_message(self, *args: Any) -> None:
                return

        return Handler
