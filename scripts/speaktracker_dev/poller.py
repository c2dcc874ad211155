"""Runs a Chalice ``@app.on_sqs_message`` handler the way Lambda's SQS event source mapping does.

Receive up to the handler's batch size, hand it a Lambda-shaped SQS event, then:

- the handler returns normally: every message is deleted, except those it names in
  ``{"batchItemFailures": [{"itemIdentifier": messageId}]}`` (ReportBatchItemFailures);
- the handler raises, or names a message that was not in the batch: nothing is deleted (Lambda's rule).

A failed message is not deleted but made visible again after ``retry_after_seconds`` instead of the queue's
full visibility timeout, so that in the dev stack the queue's redrive policy moves it to the dead-letter queue
after ``maxReceiveCount`` deliveries within seconds. Nothing here knows what the messages mean.

Like the event source mapping's maximum concurrency, each handler runs in up to ``concurrency`` invocations
at once (``SPEAKTRACKER_DEV_QUEUE_CONCURRENCY``: ``"3"`` for every queue, ``"tts=4,ai-chat=2"`` per queue, or
both, ``"2,tts=4"``; default ``DEFAULT_CONCURRENCY``). A received message stays invisible for the queue's
visibility timeout (``SPEAKTRACKER_DEV_VISIBILITY_TIMEOUT_SECONDS`` shortens it for every queue, e.g. so a
killed host's messages come back within seconds). An invocation that outlives the visibility timeout counts
as failed, as a Lambda function running past its timeout does: its messages may already be redelivered to
another invocation, so none of them is deleted.
"""

from __future__ import annotations

import base64
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from chalice.local import LambdaContext

_log = logging.getLogger("speaktracker.dev.poller")

SQS_MAX_BATCH = 10  # ReceiveMessage returns at most ten messages per call
DEFAULT_CONCURRENCY = 3
CONCURRENCY_VARIABLE = "SPEAKTRACKER_DEV_QUEUE_CONCURRENCY"
VISIBILITY_VARIABLE = "SPEAKTRACKER_DEV_VISIBILITY_TIMEOUT_SECONDS"


@dataclass(frozen=True)
class PollResult:
    received: int
    deleted: int
    failed: int


class QueuePoller:
    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        handler: Callable[[dict, Any], Any],
        batch_size: int,
        function_name: str = "sqs-handler",
        wait_seconds: int = 1,
        retry_after_seconds: int = 1,
        visibility_timeout: int | None = None,
    ) -> None:
        self._sqs, self._queue_url, self._handler = sqs, queue_url, handler
        self.batch_size = batch_size
        self.function_name = function_name
        self._wait_seconds, self._retry_after = wait_seconds, retry_after_seconds
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn", "VisibilityTimeout"])[
            "Attributes"
        ]
        self.queue_arn = attributes["QueueArn"]
        self.visibility_timeout = (
            visibility_timeout if visibility_timeout is not None else int(attributes["VisibilityTimeout"])
        )
        self._region = self.queue_arn.split(":")[3]

    def poll_once(self) -> PollResult:
        messages = self._receive_batch()
        if not messages:
            return PollResult(0, 0, 0)
        started = time.monotonic()
        failed_ids = self._invoke(messages)
        if self.visibility_timeout and time.monotonic() - started >= self.visibility_timeout:
            _log.error(
                "%s ran past the %d s visibility timeout: its %d messages may be redelivered already, none is deleted",
                self.function_name,
                self.visibility_timeout,
                len(messages),
            )
            return PollResult(len(messages), 0, len(messages))
        succeeded = [m for m in messages if m["MessageId"] not in failed_ids]
        failed = [m for m in messages if m["MessageId"] in failed_ids]
        self._delete(succeeded)
        self._retry_later(failed)
        return PollResult(len(messages), len(succeeded), len(failed))

    def run(self, stop: threading.Event, error_pause_seconds: float = 2.0) -> None:
        while not stop.is_set():
            try:
                self.poll_once()
            except Exception:  # the emulator went away or restarted: keep trying until told to stop
                _log.exception("polling %s failed", self._queue_url)
                stop.wait(error_pause_seconds)

    def _receive_batch(self) -> list[dict[str, Any]]:
        """Up to ``batch_size`` messages; batches above ten take several receives, as Lambda's poller does."""
        messages: list[dict[str, Any]] = []
        while len(messages) < self.batch_size:
            wanted = min(SQS_MAX_BATCH, self.batch_size - len(messages))
            received = self._sqs.receive_message(
                QueueUrl=self._queue_url,
                MaxNumberOfMessages=wanted,
                VisibilityTimeout=self.visibility_timeout,
                WaitTimeSeconds=0 if messages else self._wait_seconds,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            messages += received
            if len(received) < wanted:
                break
        return messages

    def _invoke(self, messages: list[dict[str, Any]]) -> set[str]:
        """The ids of the messages that must stay on the queue."""
        all_ids = {m["MessageId"] for m in messages}
        event = sqs_event(messages, self.queue_arn, self._region)
        context = LambdaContext(self.function_name, memory_size=128, max_runtime_ms=900_000)
        try:
            response = self._handler(event, context)
        except Exception:
            _log.exception(
                "%s raised: the %d messages of the batch stay on the queue", self.function_name, len(messages)
            )
            return all_ids
        failures = (response or {}).get("batchItemFailures", []) if isinstance(response, dict) else []
        failed = {str(f.get("itemIdentifier", "")) for f in failures if isinstance(f, dict)}
        if failed - all_ids:
            _log.error(
                "%s reported unknown message ids %s: the whole batch stays on the queue",
                self.function_name,
                sorted(failed - all_ids),
            )
            return all_ids
        return failed

    def _delete(self, messages: list[dict[str, Any]]) -> None:
        for chunk in _chunks(messages):
            self._sqs.delete_message_batch(
                QueueUrl=self._queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)],
            )

    def _retry_later(self, messages: list[dict[str, Any]]) -> None:
        for chunk in _chunks(messages):
            self._sqs.change_message_visibility_batch(
                QueueUrl=self._queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": self._retry_after}
                    for i, m in enumerate(chunk)
                ],
            )


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """The event Lambda hands an SQS-triggered function."""
    return {"Records": [_record(m, queue_arn, region) for m in messages]}


def _record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message.get("Body", ""),
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {name: _attribute(value) for name, value in message.get("MessageAttributes", {}).items()},
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def _attribute(value: dict[str, Any]) -> dict[str, Any]:
    """ReceiveMessage's ``StringValue``/``BinaryValue`` become Lambda's ``stringValue``/base64 ``binaryValue``."""
    attribute: dict[str, Any] = {"dataType": value["DataType"], "stringListValues": [], "binaryListValues": []}
    if "StringValue" in value:
        attribute["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        attribute["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
    return attribute


def _chunks(messages: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [messages[i : i + SQS_MAX_BATCH] for i in range(0, len(messages), SQS_MAX_BATCH)]


@dataclass(frozen=True)
class SqsSubscription:
    """One ``@app.on_sqs_message`` handler of a Chalice app."""

    function_name: str
    queue_name: str
    batch_size: int
    handler: Callable[[dict, Any], Any]


def sqs_subscriptions(app: Any) -> list[SqsSubscription]:
    from chalice.app import SQSEventConfig

    found = []
    for source in app.event_sources:
        if isinstance(source, SQSEventConfig):
            queue = source.queue or (source.queue_arn or "").rsplit(":", 1)[-1]
            found.append(SqsSubscription(source.name, queue, source.batch_size, app.handler_map[source.name]))
    return found


def queue_concurrency(queue_name: str, setting: str | None) -> int:
    """How many invocations of the handler of ``queue_name`` (a physical name, ``speaktracker-dev-tts``) may run
    at once, from ``SPEAKTRACKER_DEV_QUEUE_CONCURRENCY`` (see the module's docstring)."""
    default, per_queue = DEFAULT_CONCURRENCY, {}
    for part in filter(None, (piece.strip() for piece in (setting or "").split(","))):
        name, _, value = part.rpartition("=")
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"{CONCURRENCY_VARIABLE}: {part!r} is not a positive number (e.g. 3 or tts=4)")
        if name:
            per_queue[name.strip()] = int(value)
        else:
            default = int(value)
    from speaktracker import catalogue

    logicals = [q.logical for q in (*catalogue.QUEUES, catalogue.ANALYTICS_DEV_QUEUE)]
    unknown = set(per_queue) - set(logicals)
    if unknown:
        raise ValueError(f"{CONCURRENCY_VARIABLE}: no queue is called {', '.join(sorted(unknown))}")
    matches = [n for n in logicals if queue_name == n or queue_name.endswith(f"-{n}")]
    logical = max(matches, key=len) if matches else None
    return per_queue.get(logical, default) if logical else default


def start_pollers(
    app: Any,
    sqs: Any,
    stop: threading.Event,
    retry_after_seconds: int = 1,
    environ: Mapping[str, str] = os.environ,
) -> list[threading.Thread]:
    """Per SQS handler of ``app``, as many daemon threads as its concurrency, each receiving and handling its own
    batches until ``stop`` is set."""
    visibility = environ.get(VISIBILITY_VARIABLE)
    threads = []
    for subscription in sqs_subscriptions(app):
        url = _queue_url(sqs, subscription.queue_name)
        concurrency = queue_concurrency(subscription.queue_name, environ.get(CONCURRENCY_VARIABLE))
        poller = QueuePoller(
            sqs,
            url,
            subscription.handler,
            subscription.batch_size,
            function_name=subscription.function_name,
            retry_after_seconds=retry_after_seconds,
            visibility_timeout=int(visibility) if visibility else None,
        )
        for n in range(concurrency):
            thread = threading.Thread(
                target=poller.run, args=(stop,), name=f"poller-{subscription.function_name}-{n}", daemon=True
            )
            thread.start()
            threads.append(thread)
        _log.info(
            "polling %s for %s (batch size %d, concurrency %d, visibility timeout %d s)",
            subscription.queue_name,
            subscription.function_name,
            subscription.batch_size,
            concurrency,
            poller.visibility_timeout,
        )
    return threads


def _queue_url(sqs: Any, name: str) -> str:
    try:
        return sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except Exception as exc:
        raise RuntimeError(f"queue {name} is not in the emulator: was the catalogue bootstrapped?") from exc
