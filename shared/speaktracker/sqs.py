"""Partial-batch processing for SQS handlers.

Each record is handled on its own; a record that fails is reported in ``batchItemFailures`` so that only it
returns to the queue, and after the queue's ``maxReceiveCount`` it moves to the dead-letter queue. Handlers
must be idempotent (SQS delivers at least once); nothing here deletes a message that failed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import logging as slog
from . import observability

_log = slog.get_logger("speaktracker.sqs")


@dataclass(frozen=True)
class QueueMessage:
    message_id: str
    body: str
    receive_count: int
    attributes: dict[str, Any]

    def json(self) -> Any:
        return json.loads(self.body)


def messages_of(event: Any) -> list[QueueMessage]:
    """Queue messages of a Chalice ``SQSEvent`` or of a raw Lambda SQS event dict."""
    raw = event.to_dict() if hasattr(event, "to_dict") else event
    out = []
    for record in raw.get("Records", []):
        attributes = record.get("attributes", {})
        out.append(
            QueueMessage(
                message_id=record["messageId"],
                body=record.get("body", ""),
                receive_count=int(attributes.get("ApproximateReceiveCount", "1")),
                attributes=attributes,
            )
        )
    return out


def process_batch(event: Any, handle: Callable[[QueueMessage], None]) -> dict[str, list[dict[str, str]]]:
    failures = []
    for message in messages_of(event):
        with slog.log_context(messageId=message.message_id, receiveCount=message.receive_count):
            try:
                handle(message)
            except Exception as exc:  # reported, retried, and finally dead-lettered by the queue
                slog.log(_log, logging.WARNING, "message failed", error=f"{type(exc).__name__}: {exc}")
                failures.append({"itemIdentifier": message.message_id})
    observability.flush()
    return {"batchItemFailures": failures}
