"""The dev mailbox: email the services sent through SES, read back from the emulator's outbox.

Each emulator keeps its outbox in its own memory and offers it over HTTP: our embedded emulator at
``/_speaktracker/mailbox`` (see ``emulator.py``), LocalStack at ``/_aws/ses``. Both are shown the same way:
``{"messages": [{"to": [...], "from", "subject", "body", "sentAt"}]}``, newest first.
"""

from __future__ import annotations

from typing import Any, Protocol

import requests

from .emulator import MAILBOX_PATH


class Mailbox(Protocol):
    def messages_to(self, address: str | None) -> list[dict[str, Any]]: ...


class EmbeddedEmulatorMailbox:
    def __init__(self, endpoint: str, timeout: float = 5.0) -> None:
        self._endpoint, self._timeout = endpoint.rstrip("/"), timeout

    def messages_to(self, address: str | None) -> list[dict[str, Any]]:
        response = requests.get(f"{self._endpoint}{MAILBOX_PATH}", params={"to": address or ""}, timeout=self._timeout)
        response.raise_for_status()
        return response.json()["messages"]


class LocalStackMailbox:
    def __init__(self, endpoint: str, timeout: float = 5.0) -> None:
        self._endpoint, self._timeout = endpoint.rstrip("/"), timeout

    def messages_to(self, address: str | None) -> list[dict[str, Any]]:
        response = requests.get(f"{self._endpoint}/_aws/ses", timeout=self._timeout)
        response.raise_for_status()
        wanted = (address or "").strip().lower()
        letters = [localstack_letter(m) for m in response.json().get("messages", [])]
        letters = [m for m in letters if not wanted or wanted in (a.lower() for a in m["to"])]
        return sorted(letters, key=lambda m: m["sentAt"], reverse=True)


def localstack_letter(message: dict[str, Any]) -> dict[str, Any]:
    destination = message.get("Destination") or {}
    recipients = [
        *destination.get("ToAddresses", []),
        *destination.get("CcAddresses", []),
        *destination.get("BccAddresses", []),
    ]
    body = message.get("Body") or {}
    return {
        "to": recipients,
        "from": message.get("Source", ""),
        "subject": message.get("Subject", ""),
        "body": body.get("text_part") or body.get("html_part") or message.get("RawData", ""),
        "sentAt": message.get("Timestamp", ""),
    }
