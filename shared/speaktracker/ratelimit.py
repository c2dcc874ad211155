"""Per-caller request limits (seed 002: 100 requests a minute per user), enforced by every service.

A fixed window: each caller has one counter per window (``{subject}#{windowStart}``), raised by a single
conditional UpdateItem that refuses once the counter has reached the limit, so two racing requests can never
both take the last slot and nothing is read first. Items carry a TTL a window after they stop mattering; a
read never depends on it (the window start is in the key).

The window rule is plain Python (``RateLimiter``); the store behind it is a small port (``WindowCounter``)
with a DynamoDB adapter here and an in-memory one for unit tests.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from .errors import DomainError, TooManyRequests
from .revocation import pseudonym

_log = logging.getLogger("speaktracker.ratelimit")


class RateLimited(TooManyRequests):
    """The caller spent this window's requests; ``retry_after`` seconds until the next window opens."""

    def __init__(self, retry_after: int, limit: int, window_seconds: int) -> None:
        super().__init__(
            f"Too many requests: at most {limit} every {window_seconds} seconds. Try again in {retry_after} s.",
            "RATE_LIMITED",
            {"retryAfterSeconds": retry_after, "limit": limit, "windowSeconds": window_seconds},
        )
        self.retry_after = retry_after


class WindowCounter(Protocol):
    def take(self, key: str, limit: int, expires_at: int) -> bool:
        """Count one request under ``key`` unless it already holds ``limit``; False when it was full."""
        ...


@dataclass(frozen=True)
class Limit:
    requests: int
    window_seconds: int = 60


def counter_subject(subject: str) -> str:
    """``kind:value`` with the value (an email, an IP address) replaced by its pseudonym: counters hold no
    personal data, so nothing of a deleted account is left in them."""
    kind, _, value = subject.partition(":")
    return f"{kind}:{pseudonym(value)}"


class RateLimiter:
    def __init__(self, counter: WindowCounter, clock: Callable[[], float] = time.time) -> None:
        self._counter, self._clock = counter, clock

    def check(self, subject: str, limit: Limit) -> None:
        """Count one request of ``subject``; raise ``RateLimited`` if its window is already full."""
        now = self._clock()
        window = limit.window_seconds
        start = int(now // window) * window
        if not self._counter.take(f"{counter_subject(subject)}#{start}", limit.requests, start + 2 * window):
            retry_after = max(1, math.ceil(start + window - now))
            raise RateLimited(retry_after, limit.requests, window)

    def check_unless_down(self, subject: str, limit: Limit) -> None:
        """``check``, except that a failing counter store lets the request through (with a warning): an outage
        of the limiter must not become an outage of the product."""
        try:
            self.check(subject, limit)
        except DomainError:
            raise
        except Exception:
            _log.warning("rate limit not checked: the counter store failed", exc_info=True)


class MemoryWindowCounter:
    """An in-process counter with the DynamoDB adapter's semantics (tests, and a store-less fallback)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def take(self, key: str, limit: int, expires_at: int) -> bool:
        with self._lock:
            if self.counts.get(key, 0) >= limit:
                return False
            self.counts[key] = self.counts.get(key, 0) + 1
            return True


class DynamoWindowCounter:
    """One item per (subject, window): ``ADD hits :one`` under ``hits < :limit`` (or no item yet)."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client, self._table = client, table_name

    def take(self, key: str, limit: int, expires_at: int) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._client.update_item(
                TableName=self._table,
                Key={"counterKey": {"S": key}},
                UpdateExpression="ADD hits :one SET #ttl = if_not_exists(#ttl, :ttl)",
                ConditionExpression="attribute_not_exists(hits) OR hits < :limit",
                ExpressionAttributeNames={"#ttl": "ttl"},
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":limit": {"N": str(limit)},
                    ":ttl": {"N": str(expires_at)},
                },
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True


def limiter_from_settings(settings: Any) -> RateLimiter:
    from .aws import AwsClients

    client = AwsClients(settings).client("dynamodb")
    return RateLimiter(DynamoWindowCounter(client, settings.name("rate-limits")))
