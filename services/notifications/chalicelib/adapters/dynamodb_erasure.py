"""Erasing a deleted user from notifications' tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from speaktracker.dynamo import delete_keys
from speaktracker.erasure import DynamoUserErasure, holding


class DynamoNotificationsErasure(DynamoUserErasure):
    def __init__(self, client: Any, name: Callable[[str], str]) -> None:
        self._inbox = name("notifications")
        holdings = (
            holding(name, "notifications"),  # their own inbox
            holding(name, "websocket-connections", "userEmail-index"),
            holding(name, "feedback-messages", "studentEmail-index"),  # feedback they received
            holding(name, "feedback-messages", "tutorEmail-index"),  # feedback they sent
            holding(name, "tutor-links"),  # as a student (a tutor's links end through matching's events)
        )
        super().__init__(client, holdings)

    def erase_user(self, email: str) -> None:
        super().erase_user(email)
        delete_keys(self._db, self._inbox, self._notifications_about(email))

    def _notifications_about(self, email: str) -> list[dict[str, Any]]:
        # Notifications *about* the user sit in other people's inboxes (a tutor's "민지 asked you to be their
        # tutor"), keyed by the recipient, with no index on whom they are about. A Scan, filtered to the user,
        # is justified here: it runs only on an account deletion, in a background worker, and an index just
        # for that would cost a write on every notification; inbox items also expire after INBOX_DAYS.
        keys: list[dict[str, Any]] = []
        for page in self._db.get_paginator("scan").paginate(
            TableName=self._inbox,
            FilterExpression="#d.#s = :email OR #d.#t = :email",
            ExpressionAttributeNames={"#d": "data", "#s": "studentEmail", "#t": "tutorEmail"},
            ExpressionAttributeValues={":email": {"S": email}},
            ProjectionExpression="userEmail, notificationId",
        ):
            keys += [
                {"userEmail": i["userEmail"]["S"], "notificationId": i["notificationId"]["S"]} for i in page["Items"]
            ]
        return keys
