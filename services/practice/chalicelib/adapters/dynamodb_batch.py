"""Puts many items with BatchWriteItem: 25 per call, and what DynamoDB leaves unprocessed is sent again."""

from __future__ import annotations

import time
from typing import Any

from speaktracker.dynamo import to_item


def put_all(db: Any, table: str, items: list[dict[str, Any]], attempts: int = 5) -> None:
    for start in range(0, len(items), 25):
        pending = {table: [{"PutRequest": {"Item": to_item(item)}} for item in items[start : start + 25]]}
        for attempt in range(attempts):
            pending = db.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                break
            time.sleep(0.05 * 2**attempt)
        else:
            raise RuntimeError(f"DynamoDB kept throttling the writes to {table}")
