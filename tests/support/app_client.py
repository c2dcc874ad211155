"""One service's Chalice app under ``chalice.test.Client``, with JSON calls and queue deliveries.

with service_client("identity", lambda: wiring.identity.cache_clear()) as app:
    status, body = app.call("get", "/api/users/me", user=someone)     # or token="..."
    failed = app.deliver("project_identity_events", "matching-events", event, ...)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from speaktracker.settings import get_settings


class AppClient:
    def __init__(self, client: Any) -> None:
        self.client = client

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        user: Any = None,
        token: str | None = None,
        raw: str | bytes | None = None,
        content_type: str = "application/json",
    ) -> tuple[int, Any]:
        headers = {"Content-Type": content_type}
        token = token or (user.access_token if user is not None else None)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = raw if raw is not None else (json.dumps(body) if body is not None else "")
        response = getattr(self.client.http, method)(path, headers=headers, body=payload)
        return response.status_code, json.loads(response.body or b"{}")

    def deliver(self, handler: str, queue: str, *events: Any) -> list[int]:
        """Runs a queue handler on one batch as SQS would deliver it; returns the positions that failed."""
        sqs_event = self.client.events.generate_sqs_event(
            message_bodies=[e if isinstance(e, str) else e.to_json() for e in events],
            queue_name=get_settings().name(queue),
        )
        for position, record in enumerate(sqs_event["Records"]):
            record["messageId"] = f"message-{position}"  # the generator gives every record the same id
        payload = self.client.lambda_.invoke(handler, sqs_event).payload
        ids = [r["messageId"] for r in sqs_event["Records"]]
        return [ids.index(f["itemIdentifier"]) for f in payload["batchItemFailures"]]


@contextmanager
def service_client(forget_wiring: Callable[[], None]) -> Iterator[AppClient]:
    """The service's ``app`` (its folder already on sys.path) with wiring built afresh for this emulator."""
    from chalice.test import Client

    forget_wiring()
    import app as service_app

    with Client(service_app.app) as client:
        yield AppClient(client)
    forget_wiring()
