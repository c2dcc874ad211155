"""Generated pictures in the generated-content table, one item per picture (``contentId``: the hash of model,
prompt and size). ``expiresAt`` (epoch seconds) is the table's TTL: DynamoDB deletes expired items within days,
the emulator never does, so every read and write here treats an expired item as absent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import from_item, is_condition_failure, to_item, to_values

from ..domain.conversation import iso_utc, parse_iso
from ..domain.images import GeneratedContent

_LIVE = "attribute_exists(contentId) AND expiresAt > :now"


class DynamoGeneratedContent:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def reuse(self, content_id: str, now: datetime) -> GeneratedContent | None:
        try:
            answer = self._db.update_item(
                TableName=self._table,
                Key=to_item({"contentId": content_id}),
                UpdateExpression="ADD usageCount :one SET lastUsedAt = :at",
                ConditionExpression=_LIVE,
                ExpressionAttributeValues=to_values({":one": 1, ":at": iso_utc(now), ":now": _epoch(now)}),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if is_condition_failure(error):
                return None
            raise
        return _content(from_item(answer["Attributes"]) or {})

    def record(self, content: GeneratedContent, now: datetime) -> GeneratedContent:
        item = {
            "contentId": content.content_id,
            "model": content.model,
            "s3Key": content.s3_key,
            "contentType": content.content_type,
            "createdAt": iso_utc(content.created_at),
            "lastUsedAt": iso_utc(content.created_at),
            "usageCount": content.usage_count,
            "expiresAt": _epoch(content.expires_at),
        }
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(contentId) OR expiresAt <= :now",
                ExpressionAttributeValues=to_values({":now": _epoch(now)}),
            )
            return content
        except ClientError as error:
            if not is_condition_failure(error):
                raise
        return self.reuse(content.content_id, now) or content


def _epoch(at: datetime) -> int:
    return int(at.timestamp())


def _content(item: dict[str, Any]) -> GeneratedContent:
    return GeneratedContent(
        content_id=item["contentId"],
        model=item["model"],
        s3_key=item["s3Key"],
        content_type=item["contentType"],
        created_at=parse_iso(item["createdAt"]),
        usage_count=int(item["usageCount"]),
    )
