"""Conditional writes for DynamoDB: update and condition expressions with every attribute name escaped
(``name`` and ``status`` are reserved words), and TransactWriteItems whose cancellation becomes the domain
error of the first item, in the order the caller ranks them, whose condition failed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import cancellation_reasons, is_transaction_cancelled, to_item, to_values
from speaktracker.errors import Conflict, DomainError

from ..ports import TutorChanged


@dataclass
class Expression:
    """One UpdateItem/ConditionCheck's expressions; ``#a`` in a condition refers to attribute ``a``."""

    sets: dict[str, Any] = field(default_factory=dict)
    removes: tuple[str, ...] = ()
    condition: str | None = None
    values: dict[str, Any] = field(default_factory=dict)  # ":name" -> value used by the condition

    def arguments(self) -> dict[str, Any]:
        names: dict[str, str] = {}
        values = dict(self.values)
        clauses = []
        if self.sets:
            assignments = []
            for attribute, value in self.sets.items():
                names[f"#{attribute}"] = attribute
                values[f":set_{attribute}"] = value
                assignments.append(f"#{attribute} = :set_{attribute}")
            clauses.append("SET " + ", ".join(assignments))
        if self.removes:
            names.update({f"#{a}": a for a in self.removes})
            clauses.append("REMOVE " + ", ".join(f"#{a}" for a in self.removes))
        arguments: dict[str, Any] = {}
        if clauses:
            arguments["UpdateExpression"] = " ".join(clauses)
        if self.condition:
            arguments["ConditionExpression"] = self.condition
            names.update({f"#{word[1:]}": word[1:] for word in _placeholders(self.condition)})
        if names:
            arguments["ExpressionAttributeNames"] = names
        if values:
            arguments["ExpressionAttributeValues"] = to_values(values)
        return arguments


def _placeholders(condition: str) -> set[str]:
    out, word = set(), ""
    for char in condition + " ":
        if char == "#" or (word and (char.isalnum() or char == "_")):
            word += char
        else:
            if len(word) > 1:
                out.add(word)
            word = ""
    return out


class Transaction:
    """TransactWriteItems with each item's condition failure mapped to a domain error."""

    def __init__(self, client: Any) -> None:
        self._db = client
        self._items: list[dict[str, Any]] = []
        self._errors: list[Callable[[], DomainError] | None] = []

    def put(
        self,
        table: str,
        item: dict[str, Any],
        condition: str | None = None,
        on_failure: Callable[[], DomainError] | None = None,
    ) -> Transaction:
        operation: dict[str, Any] = {"TableName": table, "Item": to_item(item)}
        if condition:
            operation["ConditionExpression"] = condition
        return self._add({"Put": operation}, on_failure)

    def update(
        self,
        table: str,
        key: dict[str, Any],
        expression: Expression,
        on_failure: Callable[[], DomainError] | None = None,
    ) -> Transaction:
        return self._add({"Update": {"TableName": table, "Key": key, **expression.arguments()}}, on_failure)

    def check(
        self, table: str, key: dict[str, Any], expression: Expression, on_failure: Callable[[], DomainError]
    ) -> Transaction:
        return self._add({"ConditionCheck": {"TableName": table, "Key": key, **expression.arguments()}}, on_failure)

    def delete(
        self,
        table: str,
        key: dict[str, Any],
        expression: Expression | None = None,
        on_failure: Callable[[], DomainError] | None = None,
    ) -> Transaction:
        arguments = expression.arguments() if expression else {}
        return self._add({"Delete": {"TableName": table, "Key": key, **arguments}}, on_failure)

    def commit(self, ranking: list[int] | None = None) -> None:
        """``ranking``: item positions in the order their failures should be reported."""
        try:
            self._db.transact_write_items(TransactItems=self._items)
        except ClientError as error:
            if not is_transaction_cancelled(error):
                raise
            raise self._error(cancellation_reasons(error), ranking or list(range(len(self._items)))) from error

    def _error(self, reasons: list[str], ranking: list[int]) -> DomainError:
        for position in ranking:
            code = reasons[position] if position < len(reasons) else "None"
            make = self._errors[position]
            if code == "ConditionalCheckFailed" and make is not None:
                return make()
        if "TransactionConflict" in reasons:
            return TutorChanged()  # another transaction held an item: read again and decide again
        return Conflict(
            "Someone changed this at the same moment; try again.", "CONCURRENT_UPDATE", {"reasons": reasons}
        )

    def _add(self, operation: dict[str, Any], on_failure: Callable[[], DomainError] | None) -> Transaction:
        self._items.append(operation)
        self._errors.append(on_failure)
        return self
