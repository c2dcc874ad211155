"""Deleted accounts' tokens stop working at once, in every service.

A Cognito access token is a signed JWT that each service verifies by itself, so deleting the Cognito user does
not stop a token already issued: it stays valid until it expires (up to an hour). Identity therefore records a
tombstone of the deleted user before it deletes them, and every service's token check refuses a token whose
subject has one. The tombstone lives in a platform table (like the rate limit's counters) because every
service consults it on every authenticated request; waiting for each context to hear ``UserDeleted`` would
leave a window in which a deleted user could still write.

A tombstone holds no personal data: its key is a one-way pseudonym of the user id (``privacy.pseudonym``), and
it expires once every token issued before the deletion has expired. Reads ignore an expired tombstone (an
emulator's TTL never deletes); a token that old is refused as expired anyway.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any, Protocol


def pseudonym(value: str) -> str:
    """A stable one-way name for a personal value, for keys that must not hold the value itself."""
    return hashlib.sha256(value.encode()).hexdigest()[:40]


class Revocations(Protocol):
    def revoke(self, user_id: str, until: int) -> None:
        """Refuse every token of ``user_id`` until the epoch second ``until``."""

    def is_revoked(self, user_id: str) -> bool: ...


class MemoryRevocations:
    """The same rules in memory (unit tests)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.until: dict[str, int] = {}
        self._clock = clock

    def revoke(self, user_id: str, until: int) -> None:
        self.until[pseudonym(user_id)] = until

    def is_revoked(self, user_id: str) -> bool:
        return self.until.get(pseudonym(user_id), 0) > self._clock()


class DynamoRevocations:
    """One item per deleted user: ``subjectKey`` (the pseudonym) and ``ttl``; read strongly consistent."""

    def __init__(self, client: Any, table_name: str, clock: Callable[[], float] = time.time) -> None:
        self._client, self._table, self._clock = client, table_name, clock

    def revoke(self, user_id: str, until: int) -> None:
        self._client.put_item(
            TableName=self._table,
            Item={"subjectKey": {"S": pseudonym(user_id)}, "ttl": {"N": str(until)}},
        )

    def is_revoked(self, user_id: str) -> bool:
        item = self._client.get_item(
            TableName=self._table, Key={"subjectKey": {"S": pseudonym(user_id)}}, ConsistentRead=True
        ).get("Item")
        return item is not None and int(item["ttl"]["N"]) > self._clock()


def revocations_from_settings(settings: Any) -> DynamoRevocations:
    from .aws import AwsClients
    from .catalogue import REVOCATIONS_TABLE

    return DynamoRevocations(AwsClients(settings).client("dynamodb"), settings.name(REVOCATIONS_TABLE))
