"""How practice, conversation and notifications let a tutor name a child by handle instead of email.

Identity derives a child's handle (``events.child_handle``) and matching carries it in ``TutorMatch``
(``studentHandle``). Each of these contexts keeps, in its own link table, one item per linked child keyed by
the handle (a handle is never an email, so it never meets a student's own row): the child's email and the
tutor. A tutor route resolves a handle through it, and only for that tutor; the item is written when the link
is approved and ended when the link ends (also when an account is deleted: matching ends its links first), each
change only if it is newer than what the item records, since events arrive late, twice and out of order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from botocore.exceptions import ClientError

from .dynamo import cancellation_reasons, from_item, is_transaction_cancelled, to_item, to_values
from .events import ENDED_BY_DELETION, TutorMatch, is_child_handle
from .tutor_links import changed_at, erase_if_tutor, newer_change


class StudentHandles(Protocol):
    def remember(self, handle: str, student_email: str, tutor_email: str, at: datetime) -> None:
        """Unless a newer change (an end, say) is on record: a late approval brings nothing back."""

    def forget(self, handle: str, student_email: str, tutor_email: str, at: datetime) -> None:
        """Only the link it names (a handle now linked to another tutor stays), and only if no newer change is on
        record; what remains is a marker of the end, which names no email."""

    def erase(self, handle: str, student_email: str, tutor_email: str) -> None:
        """An account was deleted: both items of this tutor's link go, leaving no marker (it would hold the
        tutor's email, and the tutor may be the one deleted)."""

    def student_of(self, handle: str, tutor_email: str) -> str | None:
        """The child's email, if ``tutor_email`` is their tutor; None otherwise."""

    def handle_of(self, student_email: str, tutor_email: str) -> str | None:
        """The handle a tutor knows this student by, if they are a child linked to that tutor."""


def follow_link(handles: StudentHandles, event: TutorMatch) -> None:
    """Keeps the handle items in step with matching's links, in the order the changes happened (not the order
    they arrive): idempotent, and an older event never overwrites a newer state."""
    if not event.student_handle:
        return
    student, tutor = event.student_email.lower(), event.tutor_email.lower()
    if event.action == "approved":
        handles.remember(event.student_handle, student, tutor, event.occurred_at)
    elif event.action == "ended" and event.ended_by == ENDED_BY_DELETION:
        handles.erase(event.student_handle, student, tutor)
    elif event.action == "ended":
        handles.forget(event.student_handle, student, tutor, event.occurred_at)


def student_named_by_tutor(handles: StudentHandles, tutor_email: str, named: str) -> str | None:
    """The email of the student a tutor names: an email as given (lower-cased), a child's handle through the
    context's own record; None when the handle names none of this tutor's students."""
    named = named.strip()
    if is_child_handle(named):
        return handles.student_of(named, tutor_email)
    return named.lower()


def shown_to(handles: StudentHandles, tutor_email: str, student_email: str) -> str:
    """How a tutor's payload names the student: a child by handle, an adult by email."""
    return handles.handle_of(student_email, tutor_email) or student_email


class DynamoStudentHandles:
    """Handle items in a context's own table. ``key`` builds an item's key from a handle or an email (the
    table's key layout). The handle item (the child's email, the tutor, ``changedAt``) answers ``student_of``;
    the email item beside it answers ``handle_of``. Both are written in one transaction, gated on the handle
    item's ``changedAt`` (``tutor_links.newer_change``); an end leaves the handle item as a marker (the tutor,
    ``linked: false``, ``changedAt``; no email) and deletes the email item, so an approval older than the end,
    delivered after it, finds the marker and writes nothing."""

    def __init__(self, client: Any, table: str, key: Callable[[str], dict[str, Any]]) -> None:
        self._db, self._table, self._key = client, table, key

    def remember(self, handle: str, student_email: str, tutor_email: str, at: datetime) -> None:
        condition, values = newer_change(at)
        link = {"tutorEmail": tutor_email, "linked": True, "changedAt": changed_at(at)}
        self._write(
            {"Put": self._put(handle, {**link, "childEmail": student_email}, condition, values)},
            {"Put": self._put(self._email_name(student_email), {**link, "handle": handle})},
        )

    def forget(self, handle: str, student_email: str, tutor_email: str, at: datetime) -> None:
        condition, values = newer_change(at, ending_tutor=tutor_email)
        ended = {"tutorEmail": tutor_email, "linked": False, "changedAt": changed_at(at)}
        self._write(
            {"Put": self._put(handle, ended, condition, values)},
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": to_item(self._key(self._email_name(student_email))),
                    # Not another tutor's (a link made since): that one stays.
                    "ConditionExpression": "attribute_not_exists(tutorEmail) OR tutorEmail = :t",
                    "ExpressionAttributeValues": to_values({":t": tutor_email}),
                }
            },
        )

    def erase(self, handle: str, student_email: str, tutor_email: str) -> None:
        for name in (self._email_name(student_email), handle):
            erase_if_tutor(self._db, self._table, to_item(self._key(name)), tutor_email)

    def student_of(self, handle: str, tutor_email: str) -> str | None:
        return self._get(handle, tutor_email).get("childEmail")

    def handle_of(self, student_email: str, tutor_email: str) -> str | None:
        return self._get(self._email_name(student_email), tutor_email).get("handle")

    @staticmethod
    def _email_name(student_email: str) -> str:
        return f"HANDLE-OF#{student_email}"

    def _put(
        self, name: str, fields: dict[str, Any], condition: str | None = None, values: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self._table, "Item": to_item({**self._key(name), **fields})}
        if condition:
            put.update(ConditionExpression=condition, ExpressionAttributeValues=values)
        return put

    def _write(self, *items: dict[str, Any]) -> None:
        try:
            self._db.transact_write_items(TransactItems=list(items))
        except ClientError as error:
            # A condition refused: a newer change is on record (or this one was applied already).
            if not (is_transaction_cancelled(error) and "ConditionalCheckFailed" in cancellation_reasons(error)):
                raise

    def _get(self, name: str, tutor_email: str) -> dict[str, Any]:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=to_item(self._key(name)), ConsistentRead=True).get("Item")
        )
        return item if item and item.get("tutorEmail") == tutor_email and item.get("linked", True) else {}
