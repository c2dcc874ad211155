"""Receipts of live-only pushes in DynamoDB: a conditional put claims (recipient, event id) once."""

from __future__ import annotations

import hashlib
from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import is_condition_failure


def receipt_key(user_email: str, event_id: str) -> str:
    """A hash, so the table holds nothing that names a person."""
    return hashlib.sha256(f"{user_email.strip().lower()}#{event_id}".encode()).hexdigest()


class DynamoPushReceipts:
    def __init__(self, client: Any, table: str, clock: Any) -> None:
        self._db, self._table, self._clock = client, table, clock

    def claim(self, user_email: str, event_id: str, expires_at: int) -> bool:
        # moto never deletes expired items (nor does DynamoDB promptly): an expired receipt may be claimed again.
        try:
            self._db.put_item(
                TableName=self._table,
                Item={"receiptKey": {"S": receipt_key(user_email, event_id)}, "ttl": {"N": str(expires_at)}},
                ConditionExpression="attribute_not_exists(receiptKey) OR #ttl < :now",
                ExpressionAttributeNames={"#ttl": "ttl"},
                ExpressionAttributeValues={":now": {"N": str(int(self._clock()))}},
            )
            return True
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
