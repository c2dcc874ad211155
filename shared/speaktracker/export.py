"""Data portability (GDPR art. 20): how a context writes its part of a user's data export.

Identity publishes ``UserExportRequested``; each context reads only its own tables for that user, writes its
files under ``exports/{exportId}/{context}/`` in the user-content bucket (JSON, plus recordings as they were
uploaded) and publishes ``UserExportPartReady`` listing them. Writing a part again writes the same keys, so a
redelivered request is harmless; identity counts each context once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from .dynamo import query_pages, to_values
from .events import ExportFileEntry, UserExportPartReady, UserExportRequested
from .http import per_settings

EXPORT_PREFIX = "exports/"
# Every context holds something about a user; the ZIP is assembled once each has answered.
EXPORT_CONTEXTS = ("identity", "matching", "practice", "conversation", "notifications")


def part_prefix(export_id: str, context: str) -> str:
    return f"{EXPORT_PREFIX}{export_id}/{context}/"


RECORDING_MAX_BYTES = 50 * 1024 * 1024


class ObjectWriter(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def read(self, key: str, max_bytes: int) -> tuple[bytes, str] | None: ...


class ExportPart:
    """The files one context contributes to one export; paths in the ZIP are ``{context}/{name}``."""

    def __init__(self, request: UserExportRequested, context: str, bucket: ObjectWriter) -> None:
        self._request, self._context, self._bucket = request, context, bucket
        self._files: list[ExportFileEntry] = []

    def records(self, name: str, description: str, records: Iterable[dict[str, Any]]) -> None:
        data = json.dumps(list(records), ensure_ascii=False, indent=2, sort_keys=True, default=str).encode()
        self.file(name, description, data, "application/json")

    def file(self, name: str, description: str, data: bytes, content_type: str) -> None:
        if name.startswith("/") or ".." in name:
            raise ValueError(f"an export file name must stay inside its part: {name!r}")
        self._bucket.put(part_prefix(self._request.export_id, self._context) + name, data, content_type)
        self._files.append(
            ExportFileEntry(
                path=f"{self._context}/{name}", description=description, size=len(data), contentType=content_type
            )
        )

    def copy(self, stem: str, description: str, key: str) -> str | None:
        """Copies a stored object (a recording, an image) into the part as ``stem`` plus the key's extension;
        the file's name in the ZIP, or None if the object is gone (the bucket's lifecycle removed it)."""
        found = self._bucket.read(key, RECORDING_MAX_BYTES)
        if found is None:
            return None
        extension = key.rsplit(".", 1)[-1] if "." in key.rsplit("/", 1)[-1] else "bin"
        name = f"{stem}.{extension}"
        self.file(name, description, found[0], found[1] or "application/octet-stream")
        return f"{self._context}/{name}"

    def ready(self) -> UserExportPartReady:
        return UserExportPartReady(
            exportId=self._request.export_id,
            email=self._request.email,
            context=self._context,
            files=tuple(self._files),
        )


@dataclass(frozen=True)
class UserRecords:
    """One access pattern of a context's own table that finds a user's items: a key condition on the
    table or one of its indexes, optionally narrowed to sort keys with a prefix or to items passing a test."""

    table: str  # physical name
    key: str
    index: str | None = None
    sort_key: str | None = None
    sort_prefix: str | None = None
    keep: Callable[[dict[str, Any]], bool] | None = None

    def query(self, db: Any, value: str) -> list[dict[str, Any]]:
        condition, values = "#k = :v", {":v": value}
        names = {"#k": self.key}
        if self.sort_key and self.sort_prefix is not None:
            condition += " AND begins_with(#s, :p)"
            names["#s"] = self.sort_key
            values[":p"] = self.sort_prefix
        query: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_values(values),
        }
        if self.index:
            query["IndexName"] = self.index
        return [item for item in query_pages(db, **query) if self.keep is None or self.keep(item)]


@dataclass(frozen=True)
class ExportRuntime:
    """What a context's export writer uses: its DynamoDB client, the bucket and the events publisher."""

    db: Any
    bucket: Any  # a storage.PresignedBucket
    events: Any  # an events.EventPublisher
    name: Callable[[str], str]  # logical -> physical resource name


def _runtime(settings: Any) -> ExportRuntime:
    from .aws import AwsClients
    from .events import publisher_from
    from .storage import PresignedBucket

    clients = AwsClients(settings)
    bucket = PresignedBucket(clients.client("s3"), settings.name("user-content"), settings.presigned_url_seconds)
    return ExportRuntime(clients.client("dynamodb"), bucket, publisher_from(clients), settings.name)


runtime_from_settings = per_settings(_runtime)  # built on first use, again when the settings are reset


def write_part(
    runtime: ExportRuntime, request: UserExportRequested, context: str, fill: Callable[[ExportPart], None]
) -> UserExportPartReady:
    """Writes one context's part with ``fill`` and announces it; a failure propagates (retried, then DLQ)."""
    part = ExportPart(request, context, runtime.bucket)
    fill(part)
    ready = part.ready()
    runtime.events.publish(ready)
    return ready
