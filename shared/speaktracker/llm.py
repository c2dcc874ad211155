"""Claude through the anthropic SDK: structured output validated by pydantic, bounded retries and time.

The SDK retries 408/409/429/5xx (529 "overloaded" included) and connection errors with exponential backoff,
honouring ``retry-after``; we bound the attempts and each attempt's time so a call ends well inside the
Lambda timeout. What is still failing after that is ``Unavailable`` (503) for the caller, and model output
that does not fit the schema is ``ModelOutputInvalid`` — never a 500.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from . import logging as slog
from .errors import Unavailable

T = TypeVar("T", bound=BaseModel)
_log = slog.get_logger("speaktracker.llm")


class ModelOutputInvalid(Unavailable):
    default_code = "AI_OUTPUT_INVALID"


class LanguageModel(Protocol):
    def structured(
        self,
        system: str,
        messages: list[dict[str, str]],
        schema: type[T],
        tool_name: str,
        description: str,
        max_tokens: int = 1024,
    ) -> T: ...

    def text(self, system: str, messages: list[dict[str, str]], max_tokens: int = 512) -> str: ...


class ClaudeModel:
    """``LanguageModel`` on Claude. Structured output is a forced tool call whose input is the schema."""

    def __init__(self, client: Any, model: str, output_attempts: int = 2) -> None:
        self._client, self._model, self._output_attempts = client, model, output_attempts

    def structured(
        self,
        system: str,
        messages: list[dict[str, str]],
        schema: type[T],
        tool_name: str,
        description: str,
        max_tokens: int = 1024,
    ) -> T:
        tool = {"name": tool_name, "description": description, "input_schema": schema.model_json_schema()}
        problem = "no answer"
        for _ in range(self._output_attempts):
            message = self._create(
                system=system,
                messages=messages,
                max_tokens=max_tokens,
                tools=[tool],
                tool_choice={"type": "tool", "name": tool_name},
            )
            payload = next(
                (b.input for b in message.content if getattr(b, "type", None) == "tool_use" and b.name == tool_name),
                None,
            )
            if payload is None:
                problem = "the model did not call the tool"
                continue
            try:
                return schema.model_validate(payload)
            except ValidationError as exc:
                problem = exc.errors(include_url=False)[0]["msg"]
                slog.log(_log, 30, "model output did not fit the schema", tool=tool_name, problem=problem)
        raise ModelOutputInvalid(f"The AI answered in an unexpected form ({problem}); please try again.")

    def text(self, system: str, messages: list[dict[str, str]], max_tokens: int = 512) -> str:
        message = self._create(system=system, messages=messages, max_tokens=max_tokens)
        text = "".join(getattr(b, "text", "") for b in message.content if getattr(b, "type", None) == "text")
        if not text.strip():
            raise ModelOutputInvalid("The AI gave an empty answer; please try again.")
        return text.strip()

    def _create(self, **request: Any) -> Any:
        import anthropic

        try:
            return self._client.messages.create(model=self._model, **request)
        except (anthropic.APIConnectionError, anthropic.APIStatusError) as exc:
            status = getattr(exc, "status_code", None)
            slog.log(_log, 30, "Claude call failed after retries", status=status, error=type(exc).__name__)
            if status is not None and 400 <= status < 500 and status not in (408, 409, 429):
                raise Unavailable("The AI service refused the request.", "AI_REQUEST_REFUSED") from exc
            raise Unavailable("The AI service is busy; please try again shortly.", "AI_UNAVAILABLE") from exc


class SecretApiKey:
    """The Anthropic API key from Secrets Manager, read once per container (never an env variable)."""

    def __init__(self, secrets_client: Any, secret_id: str) -> None:
        self._client, self._secret_id = secrets_client, secret_id
        self._value: str | None = None
        self._lock = threading.Lock()

    def get(self) -> str:
        with self._lock:
            if self._value is None:
                raw = self._client.get_secret_value(SecretId=self._secret_id)["SecretString"]
                try:
                    parsed = json.loads(raw)
                    self._value = parsed["apiKey"] if isinstance(parsed, dict) else str(parsed)
                except (json.JSONDecodeError, KeyError):
                    self._value = raw.strip()
            return self._value


def claude_from_settings(settings: Any, clients: Any) -> ClaudeModel:
    import anthropic

    if settings.anthropic_api_key:
        api_key = settings.anthropic_api_key
    elif settings.anthropic_secret_id:
        api_key = SecretApiKey(clients.client("secretsmanager"), settings.anthropic_secret_id).get()
    else:
        raise Unavailable("Claude is selected but no API key secret is configured.", "AI_NOT_CONFIGURED")
    client = anthropic.Anthropic(
        api_key=api_key, base_url=settings.anthropic_base_url, timeout=settings.anthropic_timeout_seconds, max_retries=3
    )
    return ClaudeModel(client, settings.anthropic_model)
