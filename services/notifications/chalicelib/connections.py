"""Live WebSocket connections: who may connect, what is remembered of a connection, how a client is answered.

A client connects with its access token in the ``token`` query parameter (browsers cannot set headers on a
WebSocket). The connection is kept for 24 hours at most (the table's TTL; readers ignore expired rows, since
TTL deletion is lazy). A user may hold several connections, one per open tab or device.

Rules only, with the store and the token verifier passed in; no boto3 here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from speaktracker.auth import Principal

CONNECTION_HOURS = 24


@dataclass(frozen=True)
class LiveConnection:
    connection_id: str
    user_email: str
    role: str
    connected_at: int  # epoch seconds
    expires_at: int  # epoch seconds; the row's TTL

    def is_live(self, now: float) -> bool:
        return self.expires_at > now


class ConnectionStore(Protocol):
    def add(self, connection: LiveConnection) -> None: ...

    def remove(self, connection_id: str) -> None: ...

    def for_user(self, user_email: str) -> list[str]:
        """Ids of the user's connections that have not expired."""


class TokenCheck(Protocol):
    def verify(self, token: str | None) -> Principal: ...


def open_connection(
    store: ConnectionStore, verifier: TokenCheck, connection_id: str, token: str | None, now: float
) -> LiveConnection:
    """Raises ``Unauthorized`` for a missing, expired or foreign token; nothing is stored then."""
    principal = verifier.verify(token)
    connection = LiveConnection(
        connection_id=connection_id,
        user_email=principal.email,
        role=principal.role,
        connected_at=int(now),
        expires_at=int(now) + CONNECTION_HOURS * 3600,
    )
    store.add(connection)
    return connection


def close_connection(store: ConnectionStore, connection_id: str) -> None:
    store.remove(connection_id)


def reply_to(message: str | None) -> dict[str, Any]:
    """The frame a client gets back for a message it sent: ``ping`` is the only action clients send."""
    try:
        request = json.loads(message or "")
    except json.JSONDecodeError:
        return error_frame("INVALID_JSON", 'Send JSON such as {"action": "ping"}.')
    action = request.get("action") if isinstance(request, dict) else None
    if action == "ping":
        return {"type": "pong"}
    return error_frame("UNKNOWN_ACTION", f'Unknown action {action!r}; the only action is "ping".')


def error_frame(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": code, "message": message}
