"""Custom metrics and tracing with Powertools.

Metrics are CloudWatch embedded metric format (EMF) lines on stdout: in Lambda, CloudWatch Logs turns them into
metrics of the ``SpeakTracker`` namespace with the dimensions ``service`` and ``stage``; offline they are log lines and
need no AWS. Each request and each queue batch flushes what it recorded (``flush``). The tracer sends X-Ray segments in
Lambda only (Powertools turns it off elsewhere), so the X-Ray SDK is imported, and boto3 patched, only there.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aws_lambda_powertools import Metrics, Tracer

NAMESPACE = "SpeakTracker"

# The custom metrics (terraform/modules/observability alarms on and charts them by these names).
SESSION_DURATION = "PracticeSessionDuration"  # seconds from a practice session's start to its end
SENTENCES_PRACTISED = "SentencesPractised"  # assessed recordings
ASSESSMENT_TIME = "AssessmentTime"  # ms to score one recording
AI_RESPONSE_TIME = "AIResponseTime"  # ms for the AI partner's reply to a turn
CONVERSATION_TURNS = "ConversationTurns"  # learner turns answered

# Powertools keeps one metric set per process; conversation answers a batch's turns on threads.
_lock = threading.Lock()
_tracers: dict[str, Tracer] = {}
_dimensions: dict[str, str] = {}


@functools.cache
def _metrics() -> Metrics:
    """Built at the first metric (Powertools is imported then, not with the app)."""
    from aws_lambda_powertools import Metrics

    return Metrics(namespace=NAMESPACE)


def configure(service: str, stage: str = "dev") -> None:
    """Name the service and stage every metric of this process is recorded under (dev and prod may share an
    account: their metrics must not mix)."""
    with _lock:
        _dimensions.update(service=service, stage=stage)


def _add(name: str, unit: str, value: float) -> None:
    with _lock:
        # The dimensions go on each metric set, never as Powertools "default dimensions": its clear_metrics (run by
        # every flush) re-adds the defaults through add_dimension, which then finds them among the defaults and
        # warns "Dimension ... has already been added" at every flush. Here the set starts empty after a flush and
        # the dimensions are added once to it.
        emf = _metrics().provider
        if emf.dimension_set != _dimensions:  # first metric since a flush, or the settings changed (tests)
            if emf.metric_set:
                emf.flush_metrics()
            emf.default_dimensions.clear()
            emf.clear_metrics()
            for key, dimension in _dimensions.items():
                emf.add_dimension(key, dimension)
        emf.add_metric(name=name, unit=unit, value=value)


def count(name: str, value: float = 1) -> None:
    _add(name, "Count", value)


def seconds(name: str, value: float) -> None:
    _add(name, "Seconds", value)


@contextmanager
def timed(name: str) -> Iterator[None]:
    """Record how long the block took, in milliseconds, when it succeeds."""
    started = time.perf_counter()
    yield
    _add(name, "Milliseconds", round((time.perf_counter() - started) * 1000, 1))


def flush() -> None:
    """Write the recorded metrics as one EMF line (nothing when none were recorded)."""
    with _lock:
        if _metrics.cache_info().currsize and _metrics().metric_set:
            _metrics().flush_metrics()


def tracer(service: str) -> Tracer:
    """The service's tracer: in Lambda it patches boto3 and records subsegments; elsewhere it is disabled."""
    if service not in _tracers:
        from aws_lambda_powertools import Tracer

        _tracers[service] = Tracer(service=service)
    return _tracers[service]


@contextmanager
def traced(service: str, name: str, **annotations: str) -> Iterator[None]:
    """A subsegment named ``name`` carrying ``annotations`` (searchable in X-Ray), when tracing is on."""
    current = tracer(service)
    if current.disabled:
        yield
        return
    with current.provider.in_subsegment(name) as subsegment:
        for key, value in annotations.items():
            subsegment.put_annotation(key, value)
        yield
