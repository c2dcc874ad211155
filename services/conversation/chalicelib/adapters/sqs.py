"""The ai-chat queue: a message per reply request and one per its feedback; the recording stays in S3, the
message names the request."""

from __future__ import annotations

import json
import threading
from typing import Any

from ..domain.conversation import ReplyRequest


class SqsReplyQueue:
    def __init__(self, client: Any, queue_name: str) -> None:
        self._sqs, self._name = client, queue_name
        self._url: str | None = None
        self._lock = threading.Lock()

    def send(self, request: ReplyRequest, step: str = "reply") -> None:
        self._sqs.send_message(QueueUrl=self._queue_url(), MessageBody=json.dumps(
            {"requestId": request.request_id, "conversationId": request.conversation_id, "step": step}))

    def _queue_url(self) -> str:
        with self._lock:
            if self._url is None:
                self._url = self._sqs.get_queue_url(QueueName=self._name)["QueueUrl"]
            return self._url
