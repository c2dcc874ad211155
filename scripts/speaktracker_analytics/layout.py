"""Where an archived event lives and what columns it has, both derived from the event contracts.

The partition date is the UTC date of ``occurredAt`` (what Firehose's dynamic partitioning extracts in AWS);
the queries themselves count product days in Korean time.
"""

from __future__ import annotations

import types
from datetime import datetime
from typing import Any, Literal, Union, get_args, get_origin

from speaktracker.analytics_archive import EVENTS_PREFIX, partition_prefix
from speaktracker.events import EVENT_CLASSES

__all__ = ["EVENTS_PREFIX", "columns_of", "event_types", "glue_columns", "partition_prefix"]

_SQL_TYPES = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN", datetime: "VARCHAR"}
_GLUE_TYPES = {"VARCHAR": "string", "BIGINT": "bigint", "DOUBLE": "double", "BOOLEAN": "boolean"}


def event_types() -> tuple[str, ...]:
    return tuple(sorted(EVENT_CLASSES))


def columns_of(event_type: str) -> dict[str, str]:
    """The JSON fields of one event type with their DuckDB types (timestamps stay text, cast by the views)."""
    model = EVENT_CLASSES[event_type]
    return {field.alias or name: _sql_type(field.annotation) for name, field in model.model_fields.items()}


def glue_columns() -> dict[str, str]:
    """Every field of every event, lower-cased as Glue stores names, with its Glue type; ``type`` is left out
    because it is a partition key. A name two events type differently becomes double (numbers) or string."""
    merged: dict[str, str] = {}
    for event_type in event_types():
        for name, sql_type in columns_of(event_type).items():
            glue_type, key = _GLUE_TYPES[sql_type], name.lower()
            if key == "type":
                continue
            if key in merged and merged[key] != glue_type:
                numbers = {merged[key], glue_type} <= {"bigint", "double"}
                glue_type = "double" if numbers else "string"
            merged[key] = glue_type
    return dict(sorted(merged.items()))


def _sql_type(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is Literal:
        return "VARCHAR"
    if origin in (Union, types.UnionType):
        [inner] = [a for a in get_args(annotation) if a is not type(None)]
        return _sql_type(inner)
    if origin in (tuple, list, dict):
        return "VARCHAR"  # a list (a data export's files) or an object (a turn's feedback) is kept as its JSON text
    return _SQL_TYPES[annotation]
