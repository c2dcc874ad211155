"""Users and verification codes in DynamoDB."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import from_item, is_condition_failure, to_item, to_values
from speaktracker.errors import Conflict

from ..domain import CodePurpose, ConsentLink, ConsentPurpose, IssuedCode, User

_USER_FIELDS = {
    "email": "email",
    "name": "name",
    "role": "role",
    "status": "status",
    "created_at": "createdAt",
    "user_id": "userId",
    "intro": "intro",
    "profile_image_key": "profileImageKey",
    "birth_year": "birthYear",
    "guardian_email": "guardianEmail",
    "consent": "consent",
}


class DynamoUserRepository:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def get(self, email: str) -> User | None:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=to_item({"email": email}), ConsistentRead=True).get("Item")
        )
        if item is None:
            return None
        return User(**{field: item.get(attr) for field, attr in _USER_FIELDS.items() if item.get(attr) is not None})

    def add(self, user: User) -> None:
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(self._attributes(user)),
                ConditionExpression="attribute_not_exists(email)",
            )
        except ClientError as error:
            if is_condition_failure(error):
                raise Conflict(
                    "An account with this email already exists; if it is not confirmed yet, ask for a new code.",
                    "EMAIL_TAKEN",
                ) from error
            raise

    def save(self, user: User) -> None:
        self._db.put_item(
            TableName=self._table, Item=to_item(self._attributes(user)), ConditionExpression="attribute_exists(email)"
        )

    def remove(self, email: str) -> None:
        self._db.delete_item(TableName=self._table, Key=to_item({"email": email}))

    @staticmethod
    def _attributes(user: User) -> dict[str, Any]:
        return {attr: getattr(user, field) or None for field, attr in _USER_FIELDS.items()}


class DynamoCodeStore:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def get(self, email: str, purpose: CodePurpose) -> IssuedCode | None:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=self._key(email, purpose), ConsistentRead=True).get("Item")
        )
        # TTL deletion is lazy, so an expired code may still be here: the domain reports it as expired.
        return None if item is None else self._code(item)

    def put(self, code: IssuedCode) -> None:
        self._db.put_item(
            TableName=self._table,
            Item=to_item(
                {
                    "email": code.email,
                    "purpose": code.purpose,
                    "codeHash": code.code_hash,
                    "salt": code.salt,
                    "ttl": code.expires_at,
                    "attemptsLeft": code.attempts_left,
                    "sentAt": code.sent_at,
                }
            ),
        )

    def spend_attempt(self, code: IssuedCode) -> int:
        try:
            result = self._db.update_item(
                TableName=self._table,
                Key=self._key(code.email, code.purpose),
                UpdateExpression="SET attemptsLeft = attemptsLeft - :one",
                ConditionExpression="codeHash = :hash AND attemptsLeft > :zero",
                ExpressionAttributeValues=to_values({":one": 1, ":zero": 0, ":hash": code.code_hash}),
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as error:
            if is_condition_failure(error):
                return 0  # replaced or exhausted meanwhile: this try counts as the last
            raise
        return int(result["Attributes"]["attemptsLeft"]["N"])

    def remove(self, email: str, purpose: CodePurpose) -> None:
        self._db.delete_item(TableName=self._table, Key=self._key(email, purpose))

    @staticmethod
    def _key(email: str, purpose: str) -> dict[str, Any]:
        return to_item({"email": email, "purpose": purpose})

    @staticmethod
    def _code(item: dict[str, Any]) -> IssuedCode:
        return IssuedCode(
            email=item["email"],
            purpose=item["purpose"],
            code_hash=item["codeHash"],
            salt=item["salt"],
            expires_at=item["ttl"],
            attempts_left=item["attemptsLeft"],
            sent_at=item["sentAt"],
        )


class DynamoConsentLinkStore:
    """Guardians' links in the codes table (key: the child's email and the link's purpose); single use is a
    conditional update, so two clicks at once cannot both consent."""

    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def get(self, email: str, purpose: ConsentPurpose) -> ConsentLink | None:
        item = from_item(
            self._db.get_item(
                TableName=self._table, Key=to_item({"email": email, "purpose": purpose}), ConsistentRead=True
            ).get("Item")
        )
        if item is None:
            return None
        return ConsentLink(item["email"], item["purpose"], item["tokenHash"], item["ttl"], item.get("usedAt"))

    def put(self, link: ConsentLink) -> None:
        item = {"email": link.email, "purpose": link.purpose, "tokenHash": link.token_hash, "ttl": link.expires_at}
        self._db.put_item(TableName=self._table, Item=to_item(item))

    def remove(self, email: str, purpose: ConsentPurpose) -> None:
        self._db.delete_item(TableName=self._table, Key=to_item({"email": email, "purpose": purpose}))

    def use(self, link: ConsentLink, now: int) -> bool:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=to_item({"email": link.email, "purpose": link.purpose}),
                UpdateExpression="SET usedAt = :now",
                ConditionExpression="tokenHash = :hash AND attribute_not_exists(usedAt)",
                ExpressionAttributeValues=to_values({":now": now, ":hash": link.token_hash}),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True
