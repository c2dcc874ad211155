"""Small helpers for DynamoDB adapters: plain Python in and out, ClientError codes as domain errors."""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from .errors import Invalid

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_item(data: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB item from plain values; None values are left out (absent, not NULL)."""
    return {k: _serializer.serialize(_numbers_to_decimal(v)) for k, v in data.items() if v is not None}


def from_item(item: dict[str, Any] | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def to_values(data: dict[str, Any]) -> dict[str, Any]:
    """ExpressionAttributeValues from ``{":name": value}``."""
    return {k: _serializer.serialize(_numbers_to_decimal(v)) for k, v in data.items()}


def is_condition_failure(error: ClientError) -> bool:
    return bool(error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")


def cancellation_reasons(error: ClientError) -> list[str]:
    """Per-item codes of a cancelled TransactWriteItems ("None" where an item was fine)."""
    return [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]


def is_transaction_cancelled(error: ClientError) -> bool:
    return bool(error.response.get("Error", {}).get("Code") == "TransactionCanceledException")


def query_pages(client: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
    """Every item of a query, page after page."""
    for page in client.get_paginator("query").paginate(**kwargs):
        for item in page.get("Items", []):
            yield from_item(item)  # type: ignore[misc]


def _numbers_to_decimal(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _numbers_to_decimal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_numbers_to_decimal(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, set)):
        return [_plain(v) for v in value]
    return value


def encode_cursor(
    last_evaluated_key: dict[str, Any] | None, purpose: str, owner: str = "", *, caller: str
) -> str | None:
    """A sealed page cursor for clients from DynamoDB's LastEvaluatedKey.

    The key (which holds emails) is encrypted and authenticated with AES-GCM under the platform's cursor key;
    ``purpose`` (the table and list), ``owner`` (whose list it is) and ``caller`` (the principal who asked for the
    page: their user id) are bound to it as associated data, so the cursor reads as noise, cannot be forged, and
    opens only for the same list of the same owner asked for by the same caller: a cursor handed to anyone else,
    even someone who may read that list too (a student's tutor), is refused. The plain key is padded to a multiple
    of 32 bytes so a cursor's length barely hints at an email's."""
    _require(caller)
    if not last_evaluated_key:
        return None
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    raw = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True).encode()
    raw += b" " * (-len(raw) % _CURSOR_BLOCK)
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_cursor_key()).encrypt(nonce, raw, _associated_data(purpose, owner, caller))
    return base64.urlsafe_b64encode(_CURSOR_VERSION + nonce + sealed).decode().rstrip("=")


def decode_cursor(
    cursor: str | None, key_names: set[str], purpose: str, owner: str = "", *, caller: str
) -> dict[str, Any] | None:
    """The ExclusiveStartKey of a client's cursor. A cursor we did not seal for this list, owner and caller
    (tampered, truncated, older, from another list, user or caller) is a 400, not a 500; so is one whose key does
    not fit."""
    _require(caller)
    if not cursor:
        return None
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        token = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        if not token.startswith(_CURSOR_VERSION) or len(token) < len(_CURSOR_VERSION) + _NONCE_BYTES + 16:
            raise ValueError("not a sealed cursor")
        nonce = token[len(_CURSOR_VERSION) : len(_CURSOR_VERSION) + _NONCE_BYTES]
        sealed = token[len(_CURSOR_VERSION) + _NONCE_BYTES :]
        key = json.loads(AESGCM(_cursor_key()).decrypt(nonce, sealed, _associated_data(purpose, owner, caller)))
        valid = (
            isinstance(key, dict)
            and set(key) == key_names
            and all(isinstance(v, dict) and len(v) == 1 and next(iter(v)) in ("S", "N") for v in key.values())
        )
    except (ValueError, TypeError, InvalidTag):
        valid = False
    if not valid:
        raise Invalid("The page cursor is not valid; start from the first page.", "INVALID_CURSOR")
    checked: dict[str, Any] = key
    return checked


_CURSOR_VERSION = b"\x02"  # 2: bound to the caller as well (a version-1 cursor is refused, as a stale one)
_NONCE_BYTES = 12
_CURSOR_BLOCK = 32


def _require(caller: str) -> None:
    if not caller:  # a programming error, not a client's: every list is read by someone
        raise ValueError("a page cursor is sealed for its caller; none was given")


def _associated_data(purpose: str, owner: str, caller: str) -> bytes:
    return json.dumps(["page-cursor", purpose, owner, caller], separators=(",", ":")).encode()


def _cursor_key() -> bytes:
    from .platform_secret import PAGE_CURSORS, platform_key

    return platform_key(PAGE_CURSORS)


def delete_keys(client: Any, table_name: str, keys: Iterable[dict[str, Any]], attempts: int = 5) -> int:
    """Deletes the items with these plain-value keys, 25 a request; retries what DynamoDB left unprocessed and
    raises if some are still left, so an erasure is never reported done while items remain. Returns how many."""
    pending = [{"DeleteRequest": {"Key": to_item(k)}} for k in keys]
    count = len(pending)
    for start in range(0, len(pending), 25):
        batch = pending[start : start + 25]
        for attempt in range(attempts):
            left = client.batch_write_item(RequestItems={table_name: batch}).get("UnprocessedItems", {})
            batch = left.get(table_name, [])
            if not batch:
                break
            time.sleep(0.05 * 2**attempt)
        if batch:
            raise RuntimeError(f"{len(batch)} items of {table_name} were left undeleted")
    return count
