"""Each context's own record of who tutors whom, kept from matching's ``TutorMatch`` events (approved, ended).

SQS delivers at least once and in any order, and matching's outbox relay may publish an event again long after
it happened, so every write carries the change's time (the event's ``occurredAt``) and only a newer change wins:
a late, redelivered approval never brings back a link that has ended since. An end ends only the link with the
tutor it names (the student may be linked to someone else by now). Practice, conversation and notifications keep
one such record per student in a table of their own (``key`` gives its key layout).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from botocore.exceptions import ClientError

from .dynamo import from_item, is_condition_failure, to_item, to_values
from .events import ENDED_BY_DELETION, TutorMatch


class TutorLinks(Protocol):
    def tutor_of(self, student_email: str) -> str | None: ...

    def change(self, student_email: str, tutor_email: str, linked: bool, at: datetime) -> None:
        """Applies a link change unless a newer one was applied already (events may arrive out of order)."""

    def erase(self, student_email: str, tutor_email: str) -> None:
        """An account was deleted: the record of its link with this tutor goes, leaving no marker behind."""


def follow_match(links: TutorLinks, event: TutorMatch) -> None:
    """Keeps a context's link record in step with matching's approvals and ends."""
    student, tutor = event.student_email.lower(), event.tutor_email.lower()
    if event.action == "ended" and event.ended_by == ENDED_BY_DELETION:
        links.erase(student, tutor)
    elif event.action in ("approved", "ended"):
        links.change(student, tutor, event.action == "approved", event.occurred_at)


def changed_at(at: datetime) -> str:
    """A change's time as stored: UTC to the millisecond, so it sorts as text (and as the items written before)."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def newer_change(at: datetime, ending_tutor: str | None = None) -> tuple[str, dict[str, Any]]:
    """The condition (and its values) under which a change made at ``at`` replaces an item: the item is absent,
    older, or from before ``changedAt`` was kept; an end (``ending_tutor``) also needs the item to name that tutor
    or to be ended already."""
    condition = "attribute_not_exists(changedAt) OR changedAt < :at"
    values: dict[str, Any] = {":at": changed_at(at)}
    if ending_tutor is not None:
        condition = f"({condition}) AND (attribute_not_exists(tutorEmail) OR tutorEmail = :tutor OR linked = :false)"
        values.update({":tutor": ending_tutor, ":false": False})
    return condition, to_values(values)


class DynamoTutorLinks:
    """One item per student: ``tutorEmail``, ``linked`` and ``changedAt`` (items written before ``linked`` was
    kept were links)."""

    def __init__(self, client: Any, table: str, key: Callable[[str], dict[str, Any]]) -> None:
        self._db, self._table, self._key = client, table, key

    def tutor_of(self, student_email: str) -> str | None:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=to_item(self._key(student_email)), ConsistentRead=True).get(
                "Item"
            )
        )
        return item["tutorEmail"] if item and item.get("tutorEmail") and item.get("linked", True) else None

    def change(self, student_email: str, tutor_email: str, linked: bool, at: datetime) -> None:
        """Idempotent: the same change again, or an older one, finds a newer item and writes nothing."""
        condition, values = newer_change(at, None if linked else tutor_email)
        item = {**self._key(student_email), "tutorEmail": tutor_email, "linked": linked, "changedAt": changed_at(at)}
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(item),
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise

    def erase(self, student_email: str, tutor_email: str) -> None:
        erase_if_tutor(self._db, self._table, to_item(self._key(student_email)), tutor_email)


def erase_if_tutor(client: Any, table: str, key: dict[str, Any], tutor_email: str) -> None:
    """Deletes an item unless it names another tutor (a link made since stays)."""
    try:
        client.delete_item(
            TableName=table,
            Key=key,
            ConditionExpression="attribute_not_exists(tutorEmail) OR tutorEmail = :t",
            ExpressionAttributeValues=to_values({":t": tutor_email}),
        )
    except ClientError as error:
        if not is_condition_failure(error):
            raise
