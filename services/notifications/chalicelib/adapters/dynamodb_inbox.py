"""The notification inbox and the tutor-link record in DynamoDB."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import decode_cursor, encode_cursor, from_item, is_condition_failure, to_item, to_values

from ..inbox import Notification
from ..ports import Page


class DynamoNotificationInbox:
    def __init__(self, client: Any, table: str, clock: Any) -> None:
        self._db, self._table, self._clock = client, table, clock

    def add(self, notification: Notification) -> bool:
        item = {
            "userEmail": notification.user_email,
            "notificationId": notification.notification_id,
            "type": notification.type,
            "title": notification.title,
            "message": notification.message,
            "data": notification.data,
            "createdAt": notification.created_at,
            "read": False,
            "pushed": False,
            "unreadUserEmail": notification.user_email,
            "ttl": notification.expires_at,
        }
        try:
            self._db.put_item(
                TableName=self._table, Item=to_item(item), ConditionExpression="attribute_not_exists(notificationId)"
            )
            return True
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise

    def get(self, user_email: str, notification_id: str) -> Notification | None:
        item = from_item(
            self._db.get_item(
                TableName=self._table, Key=self._key(user_email, notification_id), ConsistentRead=True
            ).get("Item")
        )
        return self._notification(item) if item and not self._expired(item) else None

    def mark_pushed(self, user_email: str, notification_id: str) -> None:
        self._update(user_email, notification_id, "SET pushed = :yes")

    def mark_read(self, user_email: str, notification_id: str) -> bool:
        return self._update(user_email, notification_id, "SET #read = :yes REMOVE unreadUserEmail", {"#read": "read"})

    def unread_ids(self, user_email: str) -> list[str]:
        ids, start = [], None
        while True:
            page = self._db.query(
                TableName=self._table,
                IndexName="unread-index",
                KeyConditionExpression="unreadUserEmail = :u",
                ExpressionAttributeValues=to_values({":u": user_email}),
                **({"ExclusiveStartKey": start} if start else {}),
            )
            ids += [from_item(i)["notificationId"] for i in page.get("Items", [])]
            start = page.get("LastEvaluatedKey")
            if not start:
                return ids

    def page(self, user_email: str, unread_only: bool, cursor: str | None, limit: int, caller: str) -> Page:
        index = {"IndexName": "unread-index"} if unread_only else {}
        key = "unreadUserEmail" if unread_only else "userEmail"
        key_names = {"userEmail", "notificationId"} | ({"unreadUserEmail"} if unread_only else set())
        request = dict(
            TableName=self._table,
            KeyConditionExpression=f"{key} = :u",
            ExpressionAttributeValues=to_values({":u": user_email}),
            ScanIndexForward=False,
            Limit=limit,
            **index,
        )
        purpose = f"{self._table}#{key}"
        start = decode_cursor(cursor, key_names, purpose, owner=user_email, caller=caller)
        if start:
            request["ExclusiveStartKey"] = start
        result = self._db.query(**request)
        items = [from_item(i) for i in result.get("Items", [])]
        notes = [self._notification(i).as_json() for i in items if not self._expired(i)]
        return Page(notes, encode_cursor(result.get("LastEvaluatedKey"), purpose, owner=user_email, caller=caller))

    def _update(
        self, user_email: str, notification_id: str, expression: str, names: dict[str, str] | None = None
    ) -> bool:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=self._key(user_email, notification_id),
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(notificationId)",
                ExpressionAttributeValues=to_values({":yes": True}),
                **({"ExpressionAttributeNames": names} if names else {}),
            )
            return True
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise

    def _expired(self, item: dict[str, Any]) -> bool:
        return item.get("ttl", 0) and item["ttl"] <= self._clock()  # TTL deletion is lazy

    @staticmethod
    def _key(user_email: str, notification_id: str) -> dict[str, Any]:
        return to_item({"userEmail": user_email, "notificationId": notification_id})

    @staticmethod
    def _notification(item: dict[str, Any]) -> Notification:
        return Notification(
            user_email=item["userEmail"],
            notification_id=item["notificationId"],
            type=item["type"],
            title=item.get("title", ""),
            message=item.get("message", ""),
            data=item.get("data", {}),
            created_at=item["createdAt"],
            read=item.get("read", False),
            pushed=item.get("pushed", False),
            expires_at=item.get("ttl", 0),
        )
