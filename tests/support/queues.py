"""Runs a Chalice app's queue handlers over the emulator's real queues through the dev stack's own SQS poller,
so receive counts, partial failures and dead-lettering are SQS's, not a test's."""

from __future__ import annotations

import json
from typing import Any


class Queues:
    def __init__(self, aws: Any, app: Any) -> None:
        from speaktracker_dev.poller import sqs_subscriptions

        self.aws, self.sqs = aws, aws.client("sqs")
        self.handlers = {s.queue_name: s for s in sqs_subscriptions(app)}

    def url(self, logical: str) -> str:
        return self.sqs.get_queue_url(QueueName=self.aws.settings.name(logical))["QueueUrl"]

    def drain(self, logical: str, rounds: int = 20) -> int:
        """Polls the queue until it stays empty; returns how many deliveries were handled."""
        from speaktracker_dev.poller import QueuePoller

        subscription = self.handlers[self.aws.settings.name(logical)]
        poller = QueuePoller(
            self.sqs,
            self.url(logical),
            subscription.handler,
            subscription.batch_size,
            subscription.function_name,
            wait_seconds=0,
            retry_after_seconds=0,
        )
        handled = 0
        for _ in range(rounds):
            result = poller.poll_once()
            if result.received == 0:
                break
            handled += result.received
        return handled

    def bodies(self, logical: str) -> list[Any]:
        """Every message now on a queue (consumed: tests read events the app published)."""
        out, url = [], self.url(logical)
        while True:
            got = self.sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0, AttributeNames=["All"]
            ).get("Messages", [])
            if not got:
                return out
            for message in got:
                out.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    def purge(self, logical: str) -> None:
        self.bodies(logical)
