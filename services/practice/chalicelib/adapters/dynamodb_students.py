"""Per-student sentence mastery in DynamoDB (practice's tutor links: ``speaktracker.tutor_links``)."""

from __future__ import annotations

from typing import Any

from speaktracker.dynamo import from_item, query_pages, to_item, to_values

from ..domain.levels import Level
from ..domain.mastery import SentenceRecord

_RECORD_FIELDS = {
    "student_email": "studentEmail",
    "sentence_key": "sentenceKey",
    "english": "english",
    "korean": "korean",
    "level": "level",
    "topic": "topic",
    "attempts": "attempts",
    "best_score": "bestScore",
    "last_score": "lastScore",
    "last_practiced_at": "lastPracticedAt",
    "last_served_at": "lastServedAt",
    "times_served": "timesServed",
}


def record_item(record: SentenceRecord) -> dict[str, Any]:
    item = {attr: getattr(record, name) for name, attr in _RECORD_FIELDS.items()}
    item["level"] = record.level.value if record.level else None
    item["korean"] = record.korean or None
    return item


class DynamoMastery:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def all_for(self, student_email: str) -> list[SentenceRecord]:
        items = query_pages(
            self._db,
            TableName=self._table,
            KeyConditionExpression="studentEmail = :s",
            ExpressionAttributeValues=to_values({":s": student_email}),
        )
        return [self._record(i) for i in items]

    def get(self, student_email: str, sentence_key: str) -> SentenceRecord | None:
        item = from_item(
            self._db.get_item(
                TableName=self._table,
                Key=to_item({"studentEmail": student_email, "sentenceKey": sentence_key}),
            ).get("Item")
        )
        return None if item is None else self._record(item)

    def save(self, record: SentenceRecord) -> None:
        self._db.put_item(TableName=self._table, Item=to_item(record_item(record)))

    @staticmethod
    def _record(item: dict[str, Any]) -> SentenceRecord:
        values = {name: item.get(attr) for name, attr in _RECORD_FIELDS.items() if item.get(attr) is not None}
        values.setdefault("korean", "")
        if "level" in values:
            values["level"] = Level(values["level"])
        return SentenceRecord(**values)
