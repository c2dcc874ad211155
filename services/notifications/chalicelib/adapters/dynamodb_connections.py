"""Live WebSocket connections in DynamoDB: one row per connection, found by user through ``userEmail-index``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from speaktracker.dynamo import from_item, to_item, to_values

from ..connections import LiveConnection


class DynamoConnections:
    def __init__(self, client: Any, table: str, clock: Callable[[], float] = time.time) -> None:
        self._db, self._table, self._clock = client, table, clock

    def add(self, connection: LiveConnection) -> None:
        self._db.put_item(
            TableName=self._table,
            Item=to_item(
                {
                    "connectionId": connection.connection_id,
                    "userEmail": connection.user_email,
                    "role": connection.role,
                    "connectedAt": connection.connected_at,
                    "ttl": connection.expires_at,
                }
            ),
        )

    def remove(self, connection_id: str) -> None:
        self._db.delete_item(TableName=self._table, Key=to_item({"connectionId": connection_id}))

    def get(self, connection_id: str) -> LiveConnection | None:
        item = from_item(
            self._db.get_item(
                TableName=self._table, Key=to_item({"connectionId": connection_id}), ConsistentRead=True
            ).get("Item")
        )
        if item is None:
            return None
        connection = _connection(item)
        return connection if connection.is_live(self._clock()) else None

    def for_user(self, user_email: str) -> list[str]:
        now, ids, start = self._clock(), [], None
        while True:
            page = self._db.query(
                TableName=self._table,
                IndexName="userEmail-index",
                KeyConditionExpression="userEmail = :u",
                ExpressionAttributeValues=to_values({":u": user_email}),
                **({"ExclusiveStartKey": start} if start else {}),
            )
            for item in page.get("Items", []):
                connection = _connection(from_item(item))
                if connection.is_live(now):  # TTL deletion is lazy: an expired row may linger for days
                    ids.append(connection.connection_id)
            start = page.get("LastEvaluatedKey")
            if not start:
                return ids


def _connection(item: dict[str, Any]) -> LiveConnection:
    return LiveConnection(
        connection_id=item["connectionId"],
        user_email=item["userEmail"],
        role=item.get("role", ""),
        connected_at=int(item.get("connectedAt", 0)),
        expires_at=int(item.get("ttl", 0)),
    )
