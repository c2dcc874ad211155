"""The transactional outbox in ``tutor-requests``.

An ``OUTBOX#<eventId>`` item holds one staged event (its JSON) and is put by the same TransactWriteItems as
the change the event announces. It carries only ``outboxShard`` and ``createdAt`` of the index attributes,
so the sparse ``outbox-index`` lists exactly the staged events, oldest first, and the request indexes
(which need ``tutorEmailStatus`` or ``studentEmail``) never do.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from speaktracker import logging as slog
from speaktracker.dynamo import to_item
from speaktracker.events import Event, MalformedEvent, parse_event

from ..domain import timestamp

OUTBOX_INDEX = "outbox-index"
OUTBOX_SHARD = "OUTBOX"
_log = slog.get_logger("matching.outbox")


def outbox_key(event_id: str) -> dict[str, Any]:
    return {"requestId": f"OUTBOX#{event_id}"}


def outbox_item(event: Event) -> dict[str, Any]:
    """The item that stages ``event``; put it in the transaction of the change it announces."""
    return {
        **outbox_key(event.event_id),
        "outboxShard": OUTBOX_SHARD,
        "createdAt": timestamp(event.occurred_at),
        "eventType": event.type,
        "event": event.to_json(),
    }


class DynamoOutbox:
    def __init__(self, client: Any, requests_table: str) -> None:
        self._db, self._table = client, requests_table

    def staged_before(self, moment: datetime, limit: int) -> list[Event]:
        page = self._db.query(
            TableName=self._table,
            IndexName=OUTBOX_INDEX,
            KeyConditionExpression="outboxShard = :shard AND createdAt < :moment",
            ExpressionAttributeValues={":shard": {"S": OUTBOX_SHARD}, ":moment": {"S": timestamp(moment)}},
            Limit=limit,
            ScanIndexForward=True,
        )
        events = []
        for item in page.get("Items", []):
            try:
                event = parse_event(item["event"]["S"])
            except (KeyError, MalformedEvent) as exc:  # nothing we wrote; leave it for a person to look at
                slog.log(_log, logging.ERROR, "unreadable outbox item", key=item.get("requestId"), error=str(exc))
                continue
            if event is not None:
                events.append(event)
        return events

    def remove(self, event_id: str) -> None:
        self._db.delete_item(TableName=self._table, Key=to_item(outbox_key(event_id)))
