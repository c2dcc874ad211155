"""Scenario pictures from Amazon Nova Canvas (Bedrock ``InvokeModel``, task TEXT_IMAGE).

Throttling, a busy service, a model timeout and a dropped connection are retried here with bounded, jittered
backoff inside a total time budget: another attempt starts only if it can end within 25 s of the first (API
Gateway ends a request at 29 s), so a read that timed out after 20 s is not tried again. Then, and for output
that is not one PNG, ``Unavailable`` (503 IMAGE_UNAVAILABLE). botocore's own retries are off for this client
(``client_config``) so that the attempts are counted in one place.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import random
import time
from collections.abc import Callable
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionError, ReadTimeoutError
from speaktracker.errors import Unavailable

from ..domain.images import ImageSpec
from ..ports import Image

_log = logging.getLogger(__name__)

RETRYABLE = {
    "ThrottlingException",
    "ServiceUnavailableException",
    "ModelTimeoutException",
    "ModelNotReadyException",
    "InternalServerException",
}
PNG = b"\x89PNG\r\n\x1a\n"
UNAVAILABLE = "IMAGE_UNAVAILABLE"
READ_TIMEOUT = 20.0  # seconds one attempt may wait for its picture


def client_config() -> Config:
    return Config(retries={"total_max_attempts": 1}, connect_timeout=3, read_timeout=READ_TIMEOUT)


class NovaCanvas:
    def __init__(
        self,
        client: Any,
        model_id: str,
        attempts: int = 3,
        budget_seconds: float = 25.0,
        base_delay: float = 0.5,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client, self.model = client, model_id
        self._attempts, self._budget, self._base = attempts, budget_seconds, base_delay
        self._sleep, self._clock = sleep or _pause, clock

    def generate(self, spec: ImageSpec) -> Image:
        started = self._clock()
        for attempt in range(1, self._attempts + 1):
            try:
                answer = self._client.invoke_model(
                    modelId=self.model,
                    contentType="application/json",
                    accept="application/json",
                    body=json.dumps(_request(spec)),
                )
                return Image(_png_of(answer["body"].read()), "image/png")
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code", "")
                if code not in RETRYABLE:
                    _log.warning("Nova Canvas refused the request: %s", code)
                    raise _unavailable(f"the image model refused the request ({code})") from error
                failure: Exception = error
            except (ReadTimeoutError, ConnectionError) as error:
                failure = error
            delay = self._base * 2 ** (attempt - 1) * (1 + random.random())
            if attempt == self._attempts or self._clock() - started + delay + READ_TIMEOUT > self._budget:
                break
            _log.info("Nova Canvas attempt %d failed (%s); retrying in %.1f s", attempt, failure, delay)
            self._sleep(delay)
        raise _unavailable("the image model is busy") from failure


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def _request(spec: ImageSpec) -> dict[str, Any]:
    return {
        "taskType": "TEXT_IMAGE",
        "textToImageParams": {"text": spec.prompt, "negativeText": spec.negative},
        "imageGenerationConfig": {
            "width": spec.width,
            "height": spec.height,
            "numberOfImages": 1,
            "cfgScale": 7.0,
            "seed": spec.seed,
            "quality": "standard",
        },
    }


def _png_of(raw: bytes) -> bytes:
    try:
        answer = json.loads(raw)
        if answer.get("error"):
            raise _unavailable(f"the image model made no picture ({answer['error']})")
        data = base64.b64decode(answer["images"][0], validate=True)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, binascii.Error) as error:
        raise _unavailable("the image model answered in an unexpected shape") from error
    if not data.startswith(PNG):
        raise _unavailable("the image model's answer is not a PNG")
    return data


def _unavailable(reason: str) -> Unavailable:
    return Unavailable(f"The scenario picture cannot be made right now: {reason}. Try again later.", UNAVAILABLE)
