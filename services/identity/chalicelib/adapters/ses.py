"""Email through SES (the dev stack reads the emulator's outbox as a mailbox)."""

from __future__ import annotations

from typing import Any


class SesMailer:
    def __init__(self, client: Any, sender: str) -> None:
        self._ses, self._sender = client, sender

    def send(self, to: str, subject: str, text: str) -> None:
        self._ses.send_email(
            Source=self._sender,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": text, "Charset": "UTF-8"}},
            },
        )
