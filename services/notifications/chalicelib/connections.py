"""Live WebSocket connections: who may connect, what is remembered of a connection, how a client is answered.

A client connects with its access token in the ``token`` query parameter (browsers cannot set headers on a
WebSocket). Connects and messages are counted per user like HTTP requests (``SocketLimits``): a message over the
limit is answered with a ``RATE_LIMITED`` error frame instead, and a connection that keeps sending after that is
closed. The connection is kept for 24 hours at most (the table's TTL; readers ignore expired rows, since
TTL deletion is lazy). A user may hold several connections, one per open tab or device.

Rules only, with the store and the token verifier passed in; no boto3 here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from speaktracker.auth import Principal
from speaktracker.ratelimit import Limit, RateLimited, RateLimiter

CONNECTION_HOURS = 24


@dataclass(frozen=True)
class SocketLimits:
    """What one user may send over WebSockets in a window. Messages have their own budget (the HTTP one's size),
    so a chatty socket does not eat the user's HTTP requests; connects get a fifth of it (a reconnect loop, not
    a few tabs); ``refusals`` is how many refused messages one connection may send before it is closed."""

    messages: Limit = Limit(100)
    connects: Limit = Limit(20)
    refusals: Limit = Limit(10)

    @classmethod
    def from_settings(cls, settings: Any) -> SocketLimits:
        window, per_user = settings.rate_limit_window_seconds, settings.rate_limit_per_user
        return cls(Limit(per_user, window), Limit(max(1, per_user // 5), window), Limit(10, window))


DEFAULT_SOCKET_LIMITS = SocketLimits()


@dataclass(frozen=True)
class Reply:
    """The frame to send back on the connection, and whether to close it afterwards."""

    frame: dict[str, Any]
    close: bool = False


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

    def get(self, connection_id: str) -> LiveConnection | None:
        """The connection, unless it is unknown or expired."""


class TokenCheck(Protocol):
    def verify(self, token: str | None) -> Principal: ...


def open_connection(
    store: ConnectionStore,
    verifier: TokenCheck,
    connection_id: str,
    token: str | None,
    now: float,
    limiter: RateLimiter | None = None,
    limits: SocketLimits = DEFAULT_SOCKET_LIMITS,
) -> LiveConnection:
    """Raises ``Unauthorized`` for a missing, expired or foreign token and ``RateLimited`` when the user opened too
    many connections in this window; nothing is stored then."""
    principal = verifier.verify(token)
    if limiter is not None:
        limiter.check_unless_down(f"ws-connect:{principal.email}", limits.connects)
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


def answer_message(
    store: ConnectionStore,
    limiter: RateLimiter | None,
    limits: SocketLimits,
    connection_id: str,
    message: str | None,
) -> Reply:
    """The reply to a client's message, counted against its user's budget (its connection's when the row is gone).
    Over the budget the message is refused with ``RATE_LIMITED``; once the connection has been refused
    ``limits.refusals`` times in the window, the reply also closes it."""
    if limiter is not None:
        connection = store.get(connection_id)
        subject = f"ws-user:{connection.user_email}" if connection else f"ws-connection:{connection_id}"
        try:
            limiter.check_unless_down(subject, limits.messages)
        except RateLimited as refused:
            return Reply(
                error_frame(refused.code, refused.message, refused.details),
                _keeps_flooding(limiter, limits, connection_id),
            )
    return Reply(reply_to(message))


def _keeps_flooding(limiter: RateLimiter, limits: SocketLimits, connection_id: str) -> bool:
    try:
        limiter.check_unless_down(f"ws-refused:{connection_id}", limits.refusals)
    except RateLimited:
        return True
    return False


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


def error_frame(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "error", "error": code, "message": message, **({"details": details} if details else {})}
