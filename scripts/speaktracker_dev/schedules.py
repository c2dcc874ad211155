"""Runs a Chalice ``@app.schedule`` function the way an EventBridge rule does: every period, with a
scheduled-event payload, in a daemon thread until the host stops.

Only ``Rate`` schedules are run (``Cron`` ones are logged and skipped); the period can be capped so that the
dev stack does not wait hours for a daily job. A run that raises is logged and the next one comes as usual.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalice.local import LambdaContext

_log = logging.getLogger("speaktracker.dev.schedules")

_UNIT_SECONDS = {"MINUTES": 60, "HOURS": 3600, "DAYS": 86_400}


@dataclass(frozen=True)
class ScheduledFunction:
    function_name: str
    period_seconds: float
    handler: Callable[[dict, Any], Any]

    def run_once(self) -> None:
        context = LambdaContext(self.function_name, memory_size=128, max_runtime_ms=900_000)
        try:
            self.handler(scheduled_event(), context)
        except Exception:  # the next period tries again, as EventBridge would
            _log.exception("scheduled function %s raised", self.function_name)

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(self.period_seconds):
            self.run_once()


def scheduled_event() -> dict[str, Any]:
    """The event EventBridge hands a scheduled function."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [],
        "detail": {},
    }


def scheduled_functions(app: Any, max_period_seconds: float | None = None) -> list[ScheduledFunction]:
    from chalice.app import Rate, ScheduledEventConfig

    found = []
    for source in app.event_sources:
        if not isinstance(source, ScheduledEventConfig):
            continue
        expression = source.schedule_expression
        if not isinstance(expression, Rate):
            _log.warning("%s: only Rate schedules run in the dev stack, not %r", source.name, expression)
            continue
        period = float(expression.value * _UNIT_SECONDS[expression.unit])
        if max_period_seconds is not None:
            period = min(period, max_period_seconds)
        found.append(ScheduledFunction(source.name, period, app.handler_map[source.name]))
    return found


def start_schedules(app: Any, stop: threading.Event, max_period_seconds: float | None = None) -> list[threading.Thread]:
    """A daemon thread per scheduled function of ``app``, running it every period until ``stop`` is set."""
    threads = []
    for function in scheduled_functions(app, max_period_seconds):
        thread = threading.Thread(
            target=function.run, args=(stop,), name=f"schedule-{function.function_name}", daemon=True
        )
        thread.start()
        threads.append(thread)
        _log.info("running %s every %g s", function.function_name, function.period_seconds)
    return threads
