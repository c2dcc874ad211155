"""What the analytics archive keeps of an event, the same in AWS and in the dev stack.

Every event on the topic is archived as one JSON line under ``events/type=<type>/dt=YYYY-MM-DD/``, users named by
pseudonym and names left out (``speaktracker.privacy.analytics_record``). Two writers apply it:

- the dev stack's sink (``speaktracker_dev.analytics_sink``), draining a queue into ``.dev/analytics/``;
- in AWS, the Firehose delivery stream's data-transformation Lambda (``firehose_handler``, packaged by
  ``scripts/package_analytics_transform.py``, wired in ``terraform/modules/analytics``): SNS delivers each event
  raw (the record's data is the published message itself, no envelope), the function answers each record by
  its ``recordId`` with ``Ok`` (the archived record), ``Dropped`` (an empty record: nothing to keep) or
  ``ProcessingFailed`` (not an event: Firehose writes it, as received, under the bucket's ``errors/`` prefix).

Events of types this version does not know are kept too: analytics keeps everything.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from datetime import datetime
from typing import Any

from .privacy import Pseudonyms, analytics_record, platform_pseudonyms

EVENTS_PREFIX = "events/"
OK, DROPPED, FAILED = "Ok", "Dropped", "ProcessingFailed"

_log = logging.getLogger("speaktracker.analytics")


class NotAnEvent(ValueError):
    """A message that is no event: it cannot be partitioned, so it is not archived."""


def partition_prefix(event_type: str, occurred_at: str) -> str:
    """``events/type=<type>/dt=YYYY-MM-DD/`` for an event's ``type`` and ISO-8601 ``occurredAt`` (events write UTC):
    the date as written, which is what Firehose's dynamic partitioning extracts in AWS (the first ten characters),
    so a time in ISO's basic format (``20261201T...``), which would be filed apart there, is refused."""
    if not event_type or "/" in event_type or "=" in event_type:
        raise ValueError(f"not an event type: {event_type!r}")
    day = datetime.fromisoformat(occurred_at.replace("Z", "+00:00")).date()
    if occurred_at[:10] != day.isoformat():
        raise ValueError(f"occurredAt does not start with its date: {occurred_at!r}")
    return f"{EVENTS_PREFIX}type={event_type}/dt={day.isoformat()}/"


def event_in(body: str | bytes) -> dict[str, Any]:
    """The event a raw-delivered message carries, checked for what archiving needs."""
    try:
        event = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise NotAnEvent("the body is not JSON") from exc
    if not isinstance(event, dict):
        raise NotAnEvent("the body is not a JSON object")
    for name in ("type", "eventId", "occurredAt"):
        if not isinstance(event.get(name), str) or not event[name]:
            raise NotAnEvent(f"the event has no {name}")
    try:
        partition_prefix(event["type"], event["occurredAt"])
    except ValueError as exc:
        raise NotAnEvent(str(exc)) from exc
    return event


def archive_line(record: dict[str, Any]) -> str:
    """An archived record as its line (without the newline)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def transform_firehose_records(invocation: dict[str, Any], pseudonyms: Pseudonyms) -> dict[str, Any]:
    """Firehose's data-transformation contract: one answer per input record, by ``recordId``, data base64."""
    answers = []
    for record in invocation.get("records", []):
        answers.append(_transformed(record, pseudonyms))
    failed = sum(answer["result"] == FAILED for answer in answers)
    if failed:
        _log.warning("%d of %d records are not events: Firehose keeps them under errors/", failed, len(answers))
    return {"records": answers}


def _transformed(record: dict[str, Any], pseudonyms: Pseudonyms) -> dict[str, str]:
    record_id, data = record["recordId"], record.get("data", "")
    try:
        body = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError, TypeError):
        _log.warning("record %s is not base64", record_id)
        return {"recordId": record_id, "result": FAILED, "data": data}
    if not body.strip():
        return {"recordId": record_id, "result": DROPPED, "data": data}
    try:
        event = event_in(body)
    except NotAnEvent as exc:
        _log.warning("record %s is not archived: %s", record_id, exc)
        return {"recordId": record_id, "result": FAILED, "data": data}
    line = archive_line(analytics_record(event, pseudonyms))
    return {"recordId": record_id, "result": OK, "data": base64.b64encode(line.encode()).decode()}


def firehose_handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """The analytics delivery stream's transformation Lambda. The pseudonym key is the platform secret's analytics
    subkey, read from Secrets Manager (``SPEAKTRACKER_PLATFORM_SECRET_ID``) on the first invocation and kept for
    the container's life; a secret that cannot be read fails the invocation, which Firehose retries and then
    writes the batch, untransformed, under ``errors/`` (never to the archive as published)."""
    return transform_firehose_records(event, platform_pseudonyms())
