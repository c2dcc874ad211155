"""In-memory stand-ins for identity's ports, with the same behaviour the real adapters promise."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import BinaryIO

from chalicelib.domain import ConsentLink, IssuedCode, User
from chalicelib.exports import DataExport
from chalicelib.ports import StoredObject, Tokens
from speaktracker.errors import Conflict, Unauthorized
from support.erasure_fakes import PrefixErasing


class FakeUsers:
    def __init__(self):
        self.rows: dict[str, User] = {}

    def get(self, email):
        return self.rows.get(email)

    def add(self, user):
        if user.email in self.rows:
            raise Conflict("taken", "EMAIL_TAKEN")
        self.rows[user.email] = user

    def save(self, user):
        assert user.email in self.rows
        self.rows[user.email] = user

    def remove(self, email):
        self.rows.pop(email, None)


class FakeCodes:
    def __init__(self):
        self.rows: dict[tuple[str, str], IssuedCode] = {}

    def get(self, email, purpose):
        return self.rows.get((email, purpose))

    def put(self, code):
        self.rows[(code.email, code.purpose)] = code

    def spend_attempt(self, code):
        current = self.rows.get((code.email, code.purpose))
        if current is None or current.code_hash != code.code_hash or current.attempts_left <= 0:
            return 0
        self.rows[(code.email, code.purpose)] = replace(current, attempts_left=current.attempts_left - 1)
        return current.attempts_left - 1

    def remove(self, email, purpose):
        self.rows.pop((email, purpose), None)


class FakeProvider:
    def __init__(self):
        self.accounts: dict[str, dict] = {}
        self.fail_sign_up = False
        self.signed_out: list[str] = []

    def sign_up(self, email, password, name, role):
        if self.fail_sign_up:
            raise RuntimeError("cognito is down")
        if email in self.accounts:
            raise Conflict("exists", "EMAIL_TAKEN")
        self.accounts[email] = {"password": password, "confirmed": False, "group": role, "sub": str(uuid.uuid4())}
        return self.accounts[email]["sub"]

    def confirm(self, email):
        self.accounts[email]["confirmed"] = True

    def delete(self, email):
        self.accounts.pop(email, None)

    def login(self, email, password):
        account = self.accounts.get(email)
        if not account or account["password"] != password:
            raise Unauthorized("The email or password is not right.", "INVALID_CREDENTIALS")
        return Tokens(f"access-{email}", f"id-{email}", f"refresh-{email}", 3600)

    def refresh(self, refresh_token):
        if not refresh_token.startswith("refresh-"):
            raise Unauthorized("bad", "REFRESH_TOKEN_INVALID")
        return Tokens("access-new", "id-new", None, 3600)

    def sign_out_everywhere(self, email):
        self.signed_out.append(email)

    def set_password(self, email, password):
        self.accounts[email]["password"] = password

    def set_consent_pending(self, email, pending):
        self.accounts[email]["consent_pending"] = pending


class FakeLinks:
    def __init__(self):
        self.links: dict[tuple[str, str], ConsentLink] = {}

    def get(self, email, purpose):
        return self.links.get((email, purpose))

    def put(self, link):
        self.links[(link.email, link.purpose)] = link

    def remove(self, email, purpose):
        self.links.pop((email, purpose), None)

    def use(self, link, now):
        stored = self.links.get((link.email, link.purpose))
        if stored is None or stored.token_hash != link.token_hash or stored.used_at is not None:
            return False
        self.links[(link.email, link.purpose)] = replace(stored, used_at=now)
        return True


class FakeMailer:
    def __init__(self):
        self.sent: list[tuple[str, str, str]] = []

    def last_code_to(self, email):
        import re

        text = [t for to, _, t in self.sent if to == email][-1]
        return re.search(r"\b(\d{6})\b", text).group(1)

    def send(self, to, subject, text):
        self.sent.append((to, subject, text))


class FakeFiles(PrefixErasing):
    def __init__(self):
        self.objects: dict[str, StoredObject] = {}

    def presign_upload(self, key, content_type, max_bytes):
        return {"method": "POST", "url": "http://files.test/", "fields": {"key": key}}

    def presign_download(self, key):
        return f"http://files.test/{key}?signed"

    def describe(self, key):
        return self.objects.get(key)


class FakeEvents:
    def __init__(self):
        self.published = []
        self.fail = False

    def publish(self, event):
        if self.fail:
            raise RuntimeError("the topic is down")
        self.published.append(event)


class FakeExportRepository:
    """Keeps the same promises as DynamoExportRepository: one running export per user (until its deadline),
    parts as a set, RUNNING -> READY/FAILED once."""

    def __init__(self):
        self.rows: dict[tuple[str, str], DataExport] = {}
        self.active: dict[str, DataExport] = {}

    def start(self, export):
        running = self.active.get(export.email)
        if running is not None and running.deadline >= export.requested_at:
            raise Conflict("running", "EXPORT_IN_PROGRESS")
        self.active[export.email] = export
        self.rows[(export.email, export.export_id)] = export

    def get(self, email, export_id):
        return self.rows.get((email, export_id))

    def recent(self, email, limit):
        mine = [e for (owner, _), e in self.rows.items() if owner == email]
        return sorted(mine, key=lambda e: e.export_id, reverse=True)[:limit]

    def add_part(self, export, context, files):
        stored = self.rows[(export.email, export.export_id)]
        if stored.status != "RUNNING":
            return None
        stored = replace(stored, parts=stored.parts | {context}, files={**stored.files, context: files})
        self.rows[(export.email, export.export_id)] = stored
        return stored

    def finish(self, export, archive_key, now):
        return self._close(export, status="READY", archive_key=archive_key, finished_at=now)

    def fail(self, export, reason, now):
        return self._close(export, status="FAILED", reason=reason, finished_at=now)

    def expire(self, export):
        stored = self.rows[(export.email, export.export_id)]
        if stored.status != "READY":
            return False
        self.rows[(export.email, export.export_id)] = replace(stored, status="EXPIRED")
        return True

    def due(self, status, now, limit):
        due = [e for e in self.rows.values() if e.status == status and (e.sweep_at() or now) < now]
        return sorted(due, key=lambda e: e.sweep_at())[:limit]

    def _close(self, export, **changes):
        stored = self.rows[(export.email, export.export_id)]
        if stored.status != "RUNNING":
            return False
        self.rows[(export.email, export.export_id)] = replace(stored, **changes)
        if self.active.get(export.email, stored).export_id == export.export_id:
            self.active.pop(export.email, None)
        return True


class FakeExportFiles(PrefixErasing):
    """Streams as S3FileStore does: ``open`` hands out a stream (or one of ``self.streams``, made on demand),
    ``upload`` reads its source in chunks into ``self.objects`` (or, with ``keep_uploads`` off, only counts
    the bytes in ``self.uploaded``)."""

    def __init__(self):
        self.objects: dict[str, bytes] = {}
        self.streams: dict[str, Callable[[], BinaryIO]] = {}
        self.keep_uploads = True
        self.uploaded: dict[str, int] = {}

    def put(self, key, data, content_type):
        self.objects[key] = data

    def open(self, key):
        if key in self.streams:
            return self.streams[key]()
        return io.BytesIO(self.objects[key]) if key in self.objects else None

    def upload(self, key, source, content_type):
        chunks = iter(lambda: source.read(1024 * 1024), b"")
        if self.keep_uploads:
            self.objects[key] = b"".join(chunks)
        else:
            self.uploaded[key] = sum(len(chunk) for chunk in chunks)

    def get(self, key):
        return self.objects.get(key)

    def read(self, key, max_bytes):
        return (self.objects[key], "application/octet-stream") if key in self.objects else None

    def presign_download(self, key, expires_in=None):
        return f"http://files.test/{key}?expires={expires_in or 900}"


class FakeRecoveryCodes:
    """The salt and the unused digests per user, as the DynamoDB adapter keeps them."""

    def __init__(self):
        self.sets: dict[str, tuple[str, set[str]]] = {}

    def salt(self, email):
        return self.sets[email][0] if email in self.sets else None

    def replace(self, email, salt, digests):
        self.sets[email] = (salt, set(digests))

    def use(self, email, digest):
        unused = self.sets.get(email, ("", set()))[1]
        if digest not in unused:
            return False
        unused.discard(digest)
        return True

    def remove(self, email):
        self.sets.pop(email, None)
