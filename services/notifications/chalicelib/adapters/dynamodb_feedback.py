"""Tutor feedback messages in DynamoDB (seed: compositeKey = tutorEmail#studentEmail, timestamp)."""

from __future__ import annotations

from typing import Any

from speaktracker.dynamo import decode_cursor, encode_cursor, from_item, to_item, to_values

from ..ports import FeedbackMessage, Page


class DynamoFeedbackLog:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def add(self, feedback: FeedbackMessage) -> None:
        self._db.put_item(
            TableName=self._table,
            Item=to_item(
                {
                    "compositeKey": _composite(feedback.tutor_email, feedback.student_email),
                    "timestamp": feedback.timestamp,
                    "feedbackId": feedback.feedback_id,
                    "tutorEmail": feedback.tutor_email,
                    "studentEmail": feedback.student_email,
                    "message": feedback.message,
                    "messageType": feedback.message_type,
                    "websocketSent": False,
                }
            ),
            ConditionExpression="attribute_not_exists(compositeKey)",
        )

    def remove(self, tutor_email: str, student_email: str, timestamp: str) -> None:
        self._db.delete_item(
            TableName=self._table,
            Key=to_item({"compositeKey": _composite(tutor_email, student_email), "timestamp": timestamp}),
        )

    def mark_sent(self, tutor_email: str, student_email: str, timestamp: str) -> None:
        self._db.update_item(
            TableName=self._table,
            Key=to_item({"compositeKey": _composite(tutor_email, student_email), "timestamp": timestamp}),
            UpdateExpression="SET websocketSent = :yes",
            ConditionExpression="attribute_exists(compositeKey)",
            ExpressionAttributeValues=to_values({":yes": True}),
        )

    def for_student(self, student_email: str, cursor: str | None, limit: int, caller: str) -> Page:
        return self._page(
            {
                "IndexName": "studentEmail-index",
                "KeyConditionExpression": "studentEmail = :k",
                "ExpressionAttributeValues": to_values({":k": student_email}),
            },
            {"studentEmail", "timestamp", "compositeKey"},
            cursor,
            limit,
            caller,
        )

    def from_tutor(
        self, tutor_email: str, student_email: str | None, cursor: str | None, limit: int, caller: str
    ) -> Page:
        if student_email:
            return self._page(
                {
                    "KeyConditionExpression": "compositeKey = :k",
                    "ExpressionAttributeValues": to_values({":k": _composite(tutor_email, student_email)}),
                },
                {"compositeKey", "timestamp"},
                cursor,
                limit,
                caller,
            )
        return self._page(
            {
                "IndexName": "tutorEmail-index",
                "KeyConditionExpression": "tutorEmail = :k",
                "ExpressionAttributeValues": to_values({":k": tutor_email}),
            },
            {"tutorEmail", "timestamp", "compositeKey"},
            cursor,
            limit,
            caller,
        )

    def _page(self, query: dict[str, Any], key_names: set[str], cursor: str | None, limit: int, caller: str) -> Page:
        request = {"TableName": self._table, "ScanIndexForward": False, "Limit": limit, **query}
        purpose = f"{self._table}#{query.get('IndexName', 'feedback')}"
        owner = query["ExpressionAttributeValues"][":k"]["S"]  # the student, or the tutor and student
        start = decode_cursor(cursor, key_names, purpose, owner, caller=caller)
        if start:
            request["ExclusiveStartKey"] = start
        result = self._db.query(**request)
        items = [from_item(i) for i in result.get("Items", [])]
        return Page(
            [_message(i).as_json() for i in items],
            encode_cursor(result.get("LastEvaluatedKey"), purpose, owner, caller=caller),
        )


def _composite(tutor_email: str, student_email: str) -> str:
    return f"{tutor_email}#{student_email}"


def _message(item: dict[str, Any]) -> FeedbackMessage:
    return FeedbackMessage(
        feedback_id=item["feedbackId"],
        tutor_email=item["tutorEmail"],
        student_email=item["studentEmail"],
        message=item["message"],
        message_type=item.get("messageType", "text"),
        timestamp=item["timestamp"],
        websocket_sent=item.get("websocketSent", False),
    )
