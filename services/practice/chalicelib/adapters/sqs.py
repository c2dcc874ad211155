"""The TTS queue: one message per sentence, sent in batches of ten."""

from __future__ import annotations

import threading
from typing import Any

from ..domain.speech_jobs import TtsRequest


class SqsTtsQueue:
    def __init__(self, client: Any, queue_name: str) -> None:
        self._sqs, self._name = client, queue_name
        self._url: str | None = None
        self._lock = threading.Lock()

    def enqueue(self, requests: list[TtsRequest], delay_seconds: int = 0) -> list[str]:
        failed: list[str] = []
        for start in range(0, len(requests), 10):
            batch = requests[start : start + 10]
            entries = [
                {
                    "Id": str(i),
                    "MessageBody": r.model_dump_json(by_alias=True, exclude_none=True),
                    "DelaySeconds": delay_seconds,
                }
                for i, r in enumerate(batch)
            ]
            answer = self._sqs.send_message_batch(QueueUrl=self._queue_url(), Entries=entries)
            failed += [batch[int(f["Id"])].job_id for f in answer.get("Failed", [])]
        return failed

    def _queue_url(self) -> str:
        with self._lock:
            if self._url is None:
                self._url = self._sqs.get_queue_url(QueueName=self._name)["QueueUrl"]
            return self._url
