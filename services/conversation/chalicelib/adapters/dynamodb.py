"""Conversations in the ai-conversations table (one partition per conversation, plus request and tutor items).

    conversationId          itemKey      what
    conv-...                META         the conversation (studentEmail + startedAt: the student's index)
    conv-...                TURN#0003    one exchange: what was heard, the partner's line, feedback
    REQ#req-...             REQUEST      a reply request and its status (GET /api/ai/chat/status/{id})
    TUTOR#student@...       LINK         conversation's projection of who tutors the student

Only META items carry ``startedAt``, so the student index lists conversations and nothing else. Changes that
must agree (the pending request on the conversation and the request; the turn, the count and the
request's completion) are one transaction, guarded by conditions.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import (
    cancellation_reasons,
    decode_cursor,
    encode_cursor,
    from_item,
    is_condition_failure,
    is_transaction_cancelled,
    to_item,
    to_values,
)
from speaktracker.errors import Conflict

from ..domain.conversation import Conversation, ReplyRequest, Turn, iso_utc
from ..domain.scenarios import Level
from ..ports import Page

META = "META"
_CONVERSATION_FIELDS = {
    "conversation_id": "conversationId",
    "student_email": "studentEmail",
    "scenario_id": "scenarioId",
    "started_at": "startedAt",
    "topic": "topic",
    "role": "role",
    "situation": "situation",
    "turn_count": "turnCount",
    "turn_limit": "turnLimit",
    "status": "status",
    "pending_request_id": "pendingRequestId",
    "pending_since": "pendingSince",
    "ended_at": "endedAt",
    "last_message": "lastMessage",
    "report": "report",
}
_TURN_FIELDS = {
    "index": "turnIndex",
    "ai_message": "aiMessage",
    "ai_message_ko": "aiMessageKo",
    "created_at": "createdAt",
    "request_id": "requestId",
    "heard_text": "heardText",
    "typed_text": "typedText",
    "user_audio_key": "userAudioKey",
    "ai_audio_key": "aiAudioKey",
    "ai_audio_id": "aiAudioId",
    "speaking_ms": "speakingMs",
    "feedback": "feedback",
}
_REQUEST_FIELDS = {
    "request_id": "requestId",
    "conversation_id": "forConversation",
    "student_email": "ownerEmail",
    "created_at": "createdAt",
    "status": "status",
    "typed_text": "typedText",
    "audio_key": "audioKey",
    "audio_content_type": "audioContentType",
    "turn_index": "turnIndex",
    "reason": "reason",
    "reason_code": "reasonCode",
    "notified": "notified",
    "feedback_done": "feedbackDone",
    "updated_at": "updatedAt",
}
_PAGE_KEYS = {"conversationId", "itemKey", "studentEmail", "startedAt"}


def turn_key(index: int) -> str:
    return f"TURN#{index:04d}"


def _request_key(request_id: str) -> dict[str, Any]:
    return {"conversationId": f"REQ#{request_id}", "itemKey": "REQUEST"}


def _fields(obj: Any, fields: dict[str, str]) -> dict[str, Any]:
    return {attr: getattr(obj, name) for name, attr in fields.items()}


def _conversation(item: dict[str, Any]) -> Conversation:
    values = {name: item[attr] for name, attr in _CONVERSATION_FIELDS.items() if item.get(attr) is not None}
    return Conversation(level=Level(item["level"]), **values)


def _turn(conversation_id: str, item: dict[str, Any]) -> Turn:
    values = {name: item[attr] for name, attr in _TURN_FIELDS.items() if item.get(attr) is not None}
    return Turn(conversation_id=conversation_id, **values)


def _request(item: dict[str, Any]) -> ReplyRequest:
    return ReplyRequest(**{name: item[attr] for name, attr in _REQUEST_FIELDS.items() if item.get(attr) is not None})


class DynamoConversations:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    # --- conversations -------------------------------------------------------------------------------
    def start(self, conversation: Conversation, opener: Turn) -> None:
        ttl = conversation.expires_at()
        meta = {
            **_fields(conversation, _CONVERSATION_FIELDS),
            "itemKey": META,
            "level": conversation.level.value,
            "ttl": ttl,
        }
        self._db.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_item(meta),
                        "ConditionExpression": "attribute_not_exists(conversationId)",
                    }
                },
                {"Put": {"TableName": self._table, "Item": to_item(self._turn_item(opener, ttl))}},
            ]
        )

    def get(self, conversation_id: str) -> Conversation | None:
        item = self._get({"conversationId": conversation_id, "itemKey": META})
        return None if item is None else _conversation(item)

    def turns(self, conversation_id: str) -> list[Turn]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "ConsistentRead": True,
            "KeyConditionExpression": "conversationId = :c AND begins_with(itemKey, :t)",
            "ExpressionAttributeValues": to_values({":c": conversation_id, ":t": "TURN#"}),
        }
        while True:
            page = self._db.query(**kwargs)
            items += [from_item(i) for i in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return [_turn(conversation_id, i) for i in items]

    def page(self, student_email: str, cursor: str | None, limit: int, caller: str) -> Page:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "studentEmail-index",
            "ScanIndexForward": False,
            "KeyConditionExpression": "studentEmail = :s",
            "Limit": limit,
            "ExpressionAttributeValues": to_values({":s": student_email}),
        }
        purpose = f"{self._table}#studentEmail-index"
        start = decode_cursor(cursor, _PAGE_KEYS, purpose, owner=student_email, caller=caller)
        if start:
            kwargs["ExclusiveStartKey"] = start
        answer = self._db.query(**kwargs)
        now = time.time()
        items = [from_item(i) for i in answer.get("Items", [])]
        return Page(
            [_conversation(i) for i in items if i.get("ttl", now + 1) > now],
            encode_cursor(answer.get("LastEvaluatedKey"), purpose, owner=student_email, caller=caller),
        )

    def end(self, conversation: Conversation, report: dict[str, Any], ended_at: str) -> Conversation:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=to_item({"conversationId": conversation.conversation_id, "itemKey": META}),
                UpdateExpression="SET #status = :ended, report = :report, endedAt = :at",
                ConditionExpression="#status = :active",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_values(
                    {":ended": "ENDED", ":active": "ACTIVE", ":report": report, ":at": ended_at}
                ),
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise
        stored = self.get(conversation.conversation_id)
        assert stored is not None
        return stored

    # --- reply requests ------------------------------------------------------------------------------
    def open_request(self, conversation: Conversation, request: ReplyRequest, stale_before: datetime) -> None:
        item = {
            **_fields(request, _REQUEST_FIELDS),
            **_request_key(request.request_id),
            "ttl": conversation.expires_at(),
        }
        try:
            self._db.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": to_item({"conversationId": conversation.conversation_id, "itemKey": META}),
                            "UpdateExpression": "SET pendingRequestId = :rid, pendingSince = :now",
                            "ConditionExpression": "#status = :active AND turnCount < turnLimit AND "
                            "(attribute_not_exists(pendingRequestId) OR pendingSince < :stale)",
                            "ExpressionAttributeNames": {"#status": "status"},
                            "ExpressionAttributeValues": to_values(
                                {
                                    ":rid": request.request_id,
                                    ":now": request.created_at,
                                    ":active": "ACTIVE",
                                    ":stale": iso_utc(stale_before),
                                }
                            ),
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": to_item(item),
                            "ConditionExpression": "attribute_not_exists(conversationId)",
                        }
                    },
                ]
            )
        except ClientError as error:
            if not (is_transaction_cancelled(error) and "ConditionalCheckFailed" in cancellation_reasons(error)):
                raise
            raise self._why_busy(conversation.conversation_id) from error

    def _why_busy(self, conversation_id: str) -> Conflict:
        current = self.get(conversation_id)
        if current is not None:
            try:
                current.check_can_take_message()
            except Conflict as conflict:
                return conflict
        return Conflict("The partner is still answering your last message; wait for the reply.", "REPLY_IN_PROGRESS")

    def get_request(self, request_id: str) -> ReplyRequest | None:
        item = self._get(_request_key(request_id))
        return None if item is None else _request(item)

    def complete_turn(self, request: ReplyRequest, turn: Turn, last_message: str) -> bool:
        conversation = self.get(request.conversation_id)
        ttl = conversation.expires_at() if conversation else None
        key = to_item({"conversationId": request.conversation_id, "itemKey": META})
        try:
            self._db.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": to_item(self._turn_item(turn, ttl)),
                            "ConditionExpression": "attribute_not_exists(itemKey)",
                        }
                    },
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": key,
                            "UpdateExpression": "SET turnCount = :n, lastMessage = :m "
                            "REMOVE pendingRequestId, pendingSince",
                            "ConditionExpression": "pendingRequestId = :rid AND turnCount = :before",
                            "ExpressionAttributeValues": to_values(
                                {
                                    ":n": turn.index,
                                    ":before": turn.index - 1,
                                    ":m": last_message,
                                    ":rid": request.request_id,
                                }
                            ),
                        }
                    },
                    {
                        "Update": self._finish_request(
                            request.request_id,
                            "SET #status = :done, turnIndex = :n, updatedAt = :now",
                            {":done": "COMPLETED", ":n": turn.index, ":now": turn.created_at},
                        )
                    },
                ]
            )
        except ClientError as error:
            if is_transaction_cancelled(error):
                return False
            raise
        return True

    def fail_request(self, request: ReplyRequest) -> bool:
        try:
            self._db.update_item(
                **self._finish_request(
                    request.request_id,
                    "SET #status = :failed, reason = :reason, reasonCode = :code, updatedAt = :now",
                    {
                        ":failed": "FAILED",
                        ":reason": request.reason or "",
                        ":code": request.reason_code or "FAILED",
                        ":now": request.updated_at or request.created_at,
                    },
                )
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        try:  # release the conversation, if this request still holds it
            self._db.update_item(
                TableName=self._table,
                Key=to_item({"conversationId": request.conversation_id, "itemKey": META}),
                UpdateExpression="REMOVE pendingRequestId, pendingSince",
                ConditionExpression="pendingRequestId = :rid",
                ExpressionAttributeValues=to_values({":rid": request.request_id}),
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise
        return True

    def _finish_request(self, request_id: str, update: str, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "TableName": self._table,
            "Key": to_item(_request_key(request_id)),
            "UpdateExpression": update,
            "ConditionExpression": "#status = :processing",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_values({**values, ":processing": "PROCESSING"}),
        }

    def mark_notified(self, request_id: str) -> None:
        self._db.update_item(
            TableName=self._table,
            Key=to_item(_request_key(request_id)),
            UpdateExpression="SET notified = :yes",
            ExpressionAttributeValues=to_values({":yes": True}),
        )

    def save_feedback(self, request_id: str, conversation_id: str, index: int, feedback: dict[str, Any]) -> None:
        self._db.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": to_item({"conversationId": conversation_id, "itemKey": turn_key(index)}),
                        "UpdateExpression": "SET feedback = :f",
                        "ConditionExpression": "attribute_exists(itemKey)",
                        "ExpressionAttributeValues": to_values({":f": feedback}),
                    }
                },
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": to_item(_request_key(request_id)),
                        "UpdateExpression": "SET feedbackDone = :yes",
                        "ExpressionAttributeValues": to_values({":yes": True}),
                    }
                },
            ]
        )

    # --- helpers -------------------------------------------------------------------------------------
    def _turn_item(self, turn: Turn, ttl: int | None) -> dict[str, Any]:
        return {
            **_fields(turn, _TURN_FIELDS),
            "conversationId": turn.conversation_id,
            "itemKey": turn_key(turn.index),
            "ttl": ttl,
        }

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        item = from_item(self._db.get_item(TableName=self._table, Key=to_item(key), ConsistentRead=True).get("Item"))
        if item is None or item.get("ttl", float("inf")) < time.time():
            return None  # TTL deletion is lazy: an expired item is gone as far as anyone can tell
        return item
