"""The turn worker's queues: ai-chat carries a message per reply request, ai-feedback one per answered turn's
feedback (so scoring never holds up a reply). The recording stays in S3; a message names the request."""

from __future__ import annotations

import json
import threading
from typing import Any

from ..domain.conversation import ReplyRequest


class SqsReplyQueue:
    def __init__(self, client: Any, reply_queue: str, feedback_queue: str) -> None:
        self._sqs, self._names = client, {"reply": reply_queue, "feedback": feedback_queue}
        self._urls: dict[str, str] = {}
        self._lock = threading.Lock()

    def send(self, request: ReplyRequest, step: str = "reply") -> None:
        self._sqs.send_message(
            QueueUrl=self._queue_url(step),
            MessageBody=json.dumps(
                {"requestId": request.request_id, "conversationId": request.conversation_id, "step": step}
            ),
        )

    def _queue_url(self, step: str) -> str:
        with self._lock:
            if step not in self._urls:
                self._urls[step] = self._sqs.get_queue_url(QueueName=self._names[step])["QueueUrl"]
            return self._urls[step]
