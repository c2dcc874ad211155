"""Erasing a deleted student's conversations from ai-conversations: each conversation's whole partition
(META and TURN# items), the reply requests its items name, and conversation's record of their tutor."""

from __future__ import annotations

from typing import Any

from speaktracker.dynamo import delete_keys, query_pages
from speaktracker.erasure import holding, keys_held


class DynamoConversationErasure:
    def __init__(self, client: Any, name: Any) -> None:
        self._db, self._table = client, name("ai-conversations")
        self._index = holding(name, "ai-conversations", "studentEmail-index")

    def erase_user(self, email: str) -> None:
        keys: list[dict[str, Any]] = [{"conversationId": f"TUTOR#{email}", "itemKey": "LINK"}]
        for meta in keys_held(self._db, self._index, email):
            for item in query_pages(
                self._db,
                TableName=self._table,
                KeyConditionExpression="conversationId = :c",
                ExpressionAttributeValues={":c": {"S": meta["conversationId"]}},
                ConsistentRead=True,
            ):
                keys.append({"conversationId": item["conversationId"], "itemKey": item["itemKey"]})
                for request_id in {item.get("requestId"), item.get("pendingRequestId")} - {None}:
                    keys.append({"conversationId": f"REQ#{request_id}", "itemKey": "REQUEST"})
        # The META items go last: were a delete to fail, the index still leads a retry to the rest.
        keys.sort(key=lambda k: k["itemKey"] == "META")
        delete_keys(self._db, self._table, keys)
