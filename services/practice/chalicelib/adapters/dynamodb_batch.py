"""Puts many items with BatchWriteItem: 25 per call (across tables), and what DynamoDB leaves unprocessed is sent
again."""

from __future__ import annotations

import time
from typing import Any

from speaktracker.dynamo import to_item


def put_all(db: Any, items: list[tuple[str, dict[str, Any]]], attempts: int = 5) -> None:
    """``items`` as (table, item); one call carries up to 25 of them, whichever tables they go to."""
    for start in range(0, len(items), 25):
        pending: dict[str, list[dict[str, Any]]] = {}
        for table, item in items[start : start + 25]:
            pending.setdefault(table, []).append({"PutRequest": {"Item": to_item(item)}})
        for attempt in range(attempts):
            pending = db.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                break
            time.sleep(0.05 * 2**attempt)
        else:
            raise RuntimeError(f"DynamoDB kept throttling the writes to {', '.join(sorted(pending))}")
