"""Builds DynamoDB update and condition expressions with every attribute name escaped (``name`` and
``status`` are reserved words) from plain Python values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from speaktracker.dynamo import to_values


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
