"""How practice, conversation and notifications let a tutor name a child by handle instead of email.

Identity derives a child's handle (``events.child_handle``) and matching carries it in ``TutorMatch``
(``studentHandle``). Each of these contexts keeps, in its own link table, one item per linked child keyed by
the handle (a handle is never an email, so it never meets a student's own row): the child's email and the
tutor. A tutor route resolves a handle through it, and only for that tutor; the item is written when the link
is approved and removed when it ends (also when an account is deleted: matching ends its links first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from botocore.exceptions import ClientError

from .dynamo import from_item, is_condition_failure, to_item, to_values
from .events import TutorMatch, is_child_handle


class StudentHandles(Protocol):
    def remember(self, handle: str, student_email: str, tutor_email: str) -> None: ...

    def forget(self, handle: str, tutor_email: str) -> None:
        """Only the link it names: a handle now linked to another tutor stays."""

    def student_of(self, handle: str, tutor_email: str) -> str | None:
        """The child's email, if ``tutor_email`` is their tutor; None otherwise."""

    def handle_of(self, student_email: str, tutor_email: str) -> str | None:
        """The handle a tutor knows this student by, if they are a child linked to that tutor."""


def follow_link(handles: StudentHandles, event: TutorMatch) -> None:
    """Keeps the handle items in step with matching's links (idempotent: a put and a conditional delete)."""
    if not event.student_handle:
        return
    if event.action == "approved":
        handles.remember(event.student_handle, event.student_email.lower(), event.tutor_email.lower())
    elif event.action == "ended":
        handles.forget(event.student_handle, event.tutor_email.lower())


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
    table's key layout); the email item (written beside the handle item) answers ``handle_of``."""

    def __init__(self, client: Any, table: str, key: Callable[[str], dict[str, Any]]) -> None:
        self._db, self._table, self._key = client, table, key

    def remember(self, handle: str, student_email: str, tutor_email: str) -> None:
        for name, other in (
            (handle, {"childEmail": student_email}),
            (f"HANDLE-OF#{student_email}", {"handle": handle}),
        ):
            self._db.put_item(
                TableName=self._table, Item=to_item({**self._key(name), "tutorEmail": tutor_email, **other})
            )

    def forget(self, handle: str, tutor_email: str) -> None:
        email = self._get(handle, tutor_email).get("childEmail")
        for name in (handle, *([f"HANDLE-OF#{email}"] if email else [])):
            try:
                self._db.delete_item(
                    TableName=self._table,
                    Key=to_item(self._key(name)),
                    ConditionExpression="tutorEmail = :t",
                    ExpressionAttributeValues=to_values({":t": tutor_email}),
                )
            except ClientError as error:
                if not is_condition_failure(error):
                    raise

    def student_of(self, handle: str, tutor_email: str) -> str | None:
        return self._get(handle, tutor_email).get("childEmail")

    def handle_of(self, student_email: str, tutor_email: str) -> str | None:
        return self._get(f"HANDLE-OF#{student_email}", tutor_email).get("handle")

    def _get(self, name: str, tutor_email: str) -> dict[str, Any]:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=to_item(self._key(name)), ConsistentRead=True).get("Item")
        )
        return item if item and item.get("tutorEmail") == tutor_email else {}
