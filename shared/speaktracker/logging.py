"""Structured JSON logging with the request id of the work in hand.

The lines are Powertools' (``LambdaPowertoolsFormatter``: level, location, message, timestamp, service, the
X-Ray trace id in AWS, with emails and names redacted: ``privacy``) on the standard ``logging`` tree, so every
module keeps ``logging.getLogger(name)``;
the fields of ``log_context`` live in Powertools' context variable, so concurrent requests never share them.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .privacy import scrub_log_entry

_NOISY = ("botocore", "boto3", "urllib3", "s3transfer", "werkzeug", "aws_xray_sdk")


def _dumps(entry: Any) -> str:
    """A line as written: emails and names redacted (``privacy``), since logs outlive an account's deletion."""
    return json.dumps(scrub_log_entry(entry), ensure_ascii=False, default=str)


class PowertoolsLines(logging.Formatter):
    """Powertools' formatter, built at the first line: importing Powertools is no part of a cold start's
    imports (scripts/bench_imports.py)."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service
        self._formatter: logging.Formatter | None = None

    def format(self, record: logging.LogRecord) -> str:
        if self._formatter is None:
            from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

            self._formatter = LambdaPowertoolsFormatter(
                json_serializer=_dumps, utc=True, service=self._service, name="%(name)s"
            )
        return self._formatter.format(record)


def configure(level: str = "INFO", service: str = "speaktracker") -> None:
    root = logging.getLogger()
    if not any(isinstance(h.formatter, PowertoolsLines) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(PowertoolsLines(service))
        root.handlers = [handler]
    root.setLevel(level)
    for noisy in _NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)


def log(logger: logging.Logger, level: int, message: str, **fields: Any) -> None:
    """``message`` with ``fields`` as top-level keys of the line."""
    logger.log(level, message, extra=fields, stacklevel=2)


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Fields added to every log line inside the block (request id, message id, user)."""
    from aws_lambda_powertools.logging.formatter import THREAD_LOCAL_KEYS

    token = THREAD_LOCAL_KEYS.set({**THREAD_LOCAL_KEYS.get(), **fields})
    try:
        yield
    finally:
        THREAD_LOCAL_KEYS.reset(token)
