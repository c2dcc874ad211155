"""Erasing a deleted user's items from a context's own tables, by Query on keys and indexes.

Each context names where it keeps a user's items (``Holding``: a table, or an index of it, whose hash key is
the user's email); ``erase_holdings`` queries each for the keys and deletes them, and raises if anything is
left, so the ``UserDeleted`` message stays on its queue for a retry (or the DLQ) instead of being reported
done half-erased. Deleting what is already gone changes nothing, so a redelivery is harmless.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from . import catalogue
from .dynamo import delete_keys, query_pages


@dataclass(frozen=True)
class Holding:
    table: str  # physical name
    key_names: tuple[str, ...]
    attribute: str  # the hash key (of the table, or of ``index``) that holds the user's email
    index: str | None = None


def holding(name: Callable[[str], str], logical: str, index: str | None = None) -> Holding:
    """The holding of catalogue table ``logical`` (or its ``index``), named by ``Settings.name``."""
    table = catalogue.table(logical)
    keys = tuple(k.name for k in (table.hash_key, table.range_key) if k is not None)
    by = next(i for i in table.indexes if i.name == index).hash_key if index else table.hash_key
    return Holding(name(logical), keys, by.name, index)


def keys_held(client: Any, held: Holding, email: str) -> list[dict[str, Any]]:
    query: dict[str, Any] = {
        "TableName": held.table,
        "KeyConditionExpression": "#by = :email",
        "ExpressionAttributeNames": {"#by": held.attribute, **{f"#k{n}": k for n, k in enumerate(held.key_names)}},
        "ExpressionAttributeValues": {":email": {"S": email}},
        "ProjectionExpression": ", ".join(f"#k{n}" for n in range(len(held.key_names))),
    }
    if held.index:
        query["IndexName"] = held.index
    else:
        query["ConsistentRead"] = True
    return [{k: item[k] for k in held.key_names} for item in query_pages(client, **query)]


def erase_holdings(client: Any, holdings: Iterable[Holding], email: str) -> int:
    """Deletes every item of ``email`` in these holdings; returns how many."""
    return sum(delete_keys(client, held.table, keys_held(client, held, email)) for held in holdings)


class DynamoUserErasure:
    """A context's erasure adapter: the holdings it names, erased in order."""

    def __init__(self, client: Any, holdings: Iterable[Holding]) -> None:
        self._db, self._holdings = client, tuple(holdings)

    def erase_user(self, email: str) -> None:
        erase_holdings(self._db, self._holdings, email)
