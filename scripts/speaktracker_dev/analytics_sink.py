"""The dev stack's stand-in for the analytics Firehose: every event on the topic, archived as
newline-delimited JSON under ``<root>/events/type=<type>/dt=YYYY-MM-DD/events.json`` (the layout Firehose
writes to the analytics bucket in AWS), read by ``make analytics``.

Idempotent by ``eventId``: an event and its partition are one-to-one, so a redelivered event is found in its
own partition's file and not written twice. A message that is not an event is reported as a batch item
failure (the queue's redrive policy moves it to the dead-letter queue); the rest of its batch is archived.
Events of types this version does not know are archived too: analytics keeps everything. What is kept of an
event is ``speaktracker.analytics_archive``'s, as in AWS (Firehose's transformation Lambda): users named by
pseudonym, and names left out, under the analytics subkey of the stack's platform secret (``platform_secret.py``),
so a learner keeps their pseudonym across runs.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from speaktracker.analytics_archive import NotAnEvent, archive_line, event_in, partition_prefix
from speaktracker.privacy import Pseudonyms, analytics_record, platform_pseudonyms

from .platform_secret import stack_platform_secret

_log = logging.getLogger("speaktracker.dev.analytics")

ARCHIVE_FILE = "events.json"


def pseudonyms_of(state_dir: str | Path) -> Pseudonyms:
    """The dev stack's pseudonyms: under the analytics subkey of its platform secret."""
    return platform_pseudonyms(stack_platform_secret(state_dir))


class LocalEventArchive:
    def __init__(self, root: str | Path, pseudonyms: Pseudonyms) -> None:
        self.root = Path(root)
        self._pseudonyms = pseudonyms
        self._seen: dict[Path, set[str]] = {}
        self._lock = threading.Lock()

    def keep(self, event: dict[str, Any]) -> bool:
        """Appends the event's record to its partition; False if it was already there."""
        event = analytics_record(event, self._pseudonyms)
        path = self.root / partition_prefix(event["type"], event["occurredAt"]) / ARCHIVE_FILE
        with self._lock:
            seen = self._seen.get(path)
            if seen is None:
                seen = self._seen[path] = _event_ids_in(path)
            if event["eventId"] in seen:
                return False
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as archive:
                archive.write(archive_line(event) + "\n")
            seen.add(event["eventId"])
            return True


def archive_handler(archive: LocalEventArchive):
    """A Lambda-shaped SQS handler (``QueuePoller`` drives it) that archives each record's event."""

    def handle(sqs_event: dict[str, Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
        failures = []
        for record in sqs_event.get("Records", []):
            try:
                archive.keep(event_in(record.get("body", "")))
            except (NotAnEvent, OSError) as exc:
                _log.error("message %s not archived: %s", record.get("messageId"), exc)
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return handle


def _event_ids_in(path: Path) -> set[str]:
    if not path.exists():
        return set()
    ids = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            ids.add(json.loads(line)["eventId"])
    return ids
