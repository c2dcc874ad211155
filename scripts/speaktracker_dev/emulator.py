"""The embedded AWS emulator: moto's server, plus the dev mailbox read from its SES outbox.

    python -m speaktracker_dev.emulator --port 4566

moto keeps sent email in the memory of its own process and records no send time, so this process wraps moto's
WSGI application: after every request it stamps the SES messages that appeared during it, and it answers
``GET /_speaktracker/mailbox?to=EMAIL`` itself. Everything else is moto, with two fixes where its cost grew with
what is stored: a send no longer scans every message in the queue, and a Query reads one partition, not the whole
table (``moto_fixes``).
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from . import lifecycle, moto_fixes

MAILBOX_PATH = "/_speaktracker/mailbox"


class SesOutbox:
    """The SES messages moto has accepted, each with the time it was first seen."""

    def __init__(
        self,
        backends: Callable[[], Iterable[Any]] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._backends = backends or _ses_backends
        self._clock = clock
        self._sent_at: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def stamp_new(self) -> None:
        with self._lock:
            now = self._clock()
            for message in self._messages():
                self._sent_at.setdefault(message.id, now)

    def messages_to(self, address: str | None) -> list[dict[str, Any]]:
        """Newest first; every message when ``address`` is empty."""
        self.stamp_new()
        wanted = (address or "").strip().lower()
        found = []
        for order, message in enumerate(self._messages()):
            letter = _letter(message)
            if wanted and wanted not in (a.lower() for a in letter["to"]):
                continue
            letter["sentAt"] = self._sent_at[message.id].isoformat(timespec="milliseconds")
            found.append((self._sent_at[message.id], order, letter))
        found.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [letter for _, _, letter in found]

    def _messages(self) -> list[Any]:
        return [m for backend in self._backends() for m in list(backend.sent_messages) if hasattr(m, "id")]


def _ses_backends() -> Iterable[Any]:
    from moto.ses.models import ses_backends

    for account in list(ses_backends.values()):
        yield from list(account.values())


def _letter(message: Any) -> dict[str, Any]:
    """One sent message as the mailbox shows it: to, from, subject, body."""
    if hasattr(message, "raw_data"):  # SendRawEmail: the MIME text as the caller built it
        parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
        part = parsed.get_body(preferencelist=("plain", "html"))
        recipients = list(message.destinations) or [a.strip() for a in str(parsed.get("To", "")).split(",")]
        return {
            "to": recipients,
            "from": message.source,
            "subject": str(parsed.get("Subject", "")),
            "body": part.get_content() if part else "",
        }
    destinations = message.destinations if isinstance(message.destinations, dict) else {}
    recipients = [
        *destinations.get("ToAddresses", []),
        *destinations.get("CcAddresses", []),
        *destinations.get("BccAddresses", []),
    ]
    if hasattr(message, "template"):  # SendTemplatedEmail: moto keeps the template name and data only
        return {
            "to": recipients,
            "from": message.source,
            "subject": f"template {message.template}",
            "body": message.template_data,
        }
    return {"to": recipients, "from": message.source, "subject": message.subject, "body": message.body}


class MailboxMiddleware:
    """moto's WSGI app, with the mailbox endpoint and the send-time stamping around it."""

    def __init__(self, moto_app: Callable, outbox: SesOutbox) -> None:
        self._moto, self._outbox = moto_app, outbox

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == MAILBOX_PATH and environ.get("REQUEST_METHOD") == "GET":
            to = parse_qs(environ.get("QUERY_STRING", "")).get("to", [""])[0]
            body = json.dumps({"messages": self._outbox.messages_to(to)}, ensure_ascii=False).encode()
            start_response(
                "200 OK", [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))]
            )
            return [body]
        response = self._moto(environ, start_response)
        self._outbox.stamp_new()
        return response


def make_emulator_server(host: str, port: int) -> Any:
    from moto.moto_server.threaded_moto_server import MotoRequestHandler
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    moto_fixes.install()
    app = MailboxMiddleware(DomainDispatcherApplication(create_backend_app), SesOutbox())
    return make_server(host, port, app, threaded=True, request_handler=MotoRequestHandler)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="moto's server with the SpeakTracker dev mailbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per AWS call drowns the services' logs
    # Two-step sign-in: moto checks software-token (TOTP) codes only when asked to, and then against one fixed
    # secret that it hands every user (the README says so).
    os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    server = make_emulator_server(args.host, args.port)
    stop = lifecycle.stop_on_signal_or_orphaning()
    threading.Thread(target=server.serve_forever, name="emulator", daemon=True).start()
    print(f"emulator: moto server on http://{args.host}:{args.port}", flush=True)
    stop.wait()
    server.shutdown()


if __name__ == "__main__":
    main()
