"""Two fixes to moto (5.2.5, the newest on PyPI) for the embedded emulator, where its cost grows with what is
stored: a queue's attributes read per key, and a table's Query reading one partition. ``install`` applies both.

**Queue attributes.**
moto's ``Queue.attributes`` builds every attribute of the queue on each read, ApproximateNumberOfMessages,
...Delayed and ...NotVisible among them, each by scanning every message the queue holds. ``send_message``
reads it to learn one flag (ContentBasedDeduplication), so every message sent, and every message an SNS
publish delivers to a subscribed queue, costs time proportional to the queue's depth; a queue nobody drains
(the dev stack's notifications queue while a benchmark runs) makes every publish slower than the last.

Here ``attributes`` is a read-only mapping that answers ``get``/``[]`` for one attribute from the queue's own
fields and builds the full set (moto's own code, unchanged) only when something iterates it, as
GetQueueAttributes ``All`` does. What SQS answers is the same; only when the scan happens changes.

**Query.** moto's ``Table.query`` on a table's own key lists and sorts every item of the table, then keeps
the partition asked for: every student's history Query grows with every other student's rows. Here a Query on
the table's key (no index) runs moto's own code over a view of the table whose item list is that one
partition; moto still filters, sorts, pages and projects. Index queries are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class QueueAttributes(Mapping):
    """moto's attributes of one queue; a single attribute is read without counting the messages."""

    def __init__(self, queue: Any, build_all: Any) -> None:
        self._queue, self._build_all = queue, build_all
        self._all: dict[str, Any] | None = None

    def _every(self) -> dict[str, Any]:
        if self._all is None:
            self._all = self._build_all(self._queue)
        return self._all

    def __getitem__(self, name: str) -> Any:
        if name == "ContentBasedDeduplication" and self._all is None:
            # moto lists it for FIFO queues only, as "true"/"false".
            if not self._queue.fifo_queue:
                raise KeyError(name)
            return str(bool(self._queue.content_based_deduplication)).lower()
        return self._every()[name]

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[str]:
        return iter(self._every())

    def __len__(self) -> int:
        return len(self._every())


def install() -> None:
    """Both fixes (idempotent); the embedded emulator calls it before serving."""
    read_queue_attributes_per_key()
    query_one_partition()


class _OnePartition:
    """A table as moto's query sees it, holding only the items of one partition key."""

    def __init__(self, table: Any, hash_key: Any) -> None:
        self._table, self._hash_key = table, hash_key

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def all_items(self) -> list[Any]:
        partition = self._table.items.get(self._hash_key)  # .get: the table's defaultdict gains no entry
        if partition is None:
            return []
        if not self._table.range_key_attr:
            return [partition]
        return sorted(partition.values(), key=lambda item: item.range_key)


def query_one_partition() -> None:
    from moto.dynamodb.models.table import Table

    if getattr(Table.query, "one_partition", False):
        return
    query_all = Table.query

    def query(table: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name or hash_key is None:
            return query_all(table, hash_key, *args, **kwargs)
        return query_all(_OnePartition(table, hash_key), hash_key, *args, **kwargs)

    query.one_partition = True  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]


def read_queue_attributes_per_key() -> None:
    from moto.sqs.models import Queue

    current = Queue.__dict__["attributes"]
    if getattr(current.fget, "per_key", False):
        return
    build_all = current.fget

    def attributes(queue: Any) -> QueueAttributes:
        return QueueAttributes(queue, build_all)

    attributes.per_key = True  # type: ignore[attr-defined]
    Queue.attributes = property(attributes)  # type: ignore[method-assign,assignment]
