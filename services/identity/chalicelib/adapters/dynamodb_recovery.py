"""Recovery codes in identity's verification-codes table: under the user's email, the item ``mfa-recovery``
holds the set's salt, and one item ``mfa-recovery#<digest>`` per unused code (no code is ever stored)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import delete_keys, from_item, is_condition_failure, query_pages, to_item, to_values

_SET = "mfa-recovery"


class DynamoRecoveryCodes:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def salt(self, email: str) -> str | None:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=self._key(email, _SET), ConsistentRead=True).get("Item")
        )
        return str(item["salt"]) if item and item.get("salt") else None

    def replace(self, email: str, salt: str, digests: list[str]) -> None:
        fresh = {f"{_SET}#{digest}" for digest in digests}
        stale = [key for key in self._keys(email) if key["purpose"] not in fresh | {_SET}]
        self._db.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": self._table, "Item": to_item({"email": email, "purpose": _SET, "salt": salt})}},
                *({"Put": {"TableName": self._table, "Item": to_item({"email": email, "purpose": p})}} for p in fresh),
                *({"Delete": {"TableName": self._table, "Key": to_item(key)}} for key in stale),
            ]
        )

    def use(self, email: str, digest: str) -> bool:
        try:
            self._db.delete_item(
                TableName=self._table,
                Key=self._key(email, f"{_SET}#{digest}"),
                ConditionExpression="attribute_exists(purpose)",
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def remove(self, email: str) -> None:
        delete_keys(self._db, self._table, self._keys(email))

    def _keys(self, email: str) -> list[dict[str, Any]]:
        return [
            {"email": item["email"], "purpose": item["purpose"]}
            for item in query_pages(
                self._db,
                TableName=self._table,
                KeyConditionExpression="email = :e AND begins_with(purpose, :p)",
                ExpressionAttributeValues=to_values({":e": email, ":p": _SET}),
                ProjectionExpression="email, purpose",
                ConsistentRead=True,
            )
        ]

    @staticmethod
    def _key(email: str, purpose: str) -> dict[str, Any]:
        return to_item({"email": email, "purpose": purpose})
