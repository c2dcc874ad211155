"""Data exports (GDPR art. 20): a job's states, when it counts as failed or expired, and the ZIP. No IO here.

RUNNING -> READY once every context's part arrived (the ZIP is assembled);
RUNNING -> FAILED when a part does not arrive before the deadline (a part that keeps failing is in its DLQ);
READY   -> EXPIRED when the retention has passed (no link is given any more).

The sweep (a schedule) writes both transitions for exports nobody looks at: an abandoned RUNNING one is FAILED
with its reason, and an expired one's files are erased (the bucket's lifecycle rule on ``exports/`` is the
backstop in AWS). The ZIP is written into a spooled file, one part file streamed at a time, so its size is
bounded by the disk, not the Lambda's memory.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO, Literal

from speaktracker.errors import NotFound
from speaktracker.export import EXPORT_CONTEXTS, EXPORT_PREFIX

ExportStatus = Literal["RUNNING", "READY", "FAILED", "EXPIRED"]

EXPORT_DEADLINE_SECONDS = 15 * 60
EXPORT_KEEP_SECONDS = 7 * 86_400  # the bucket's lifecycle keeps exports/ for 7 days
EXPORT_LINK_SECONDS = 24 * 3600  # a link in the email or the inbox
SWEEP_BATCH = 100  # exports one sweep closes per state; the next run takes the rest
ARCHIVE_SPOOL_BYTES = 8 * 1024 * 1024  # the ZIP stays in memory up to this size, then moves to a temporary file
COPY_CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class DataExport:
    email: str
    export_id: str
    status: ExportStatus
    requested_at: int
    deadline: int
    parts: frozenset[str] = frozenset()
    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # context -> its file entries
    archive_key: str | None = None
    finished_at: int | None = None
    reason: str | None = None

    def seen_at(self, now: int) -> DataExport:
        """The job as the user sees it now: a RUNNING job past its deadline has failed, a READY one past
        the retention has expired."""
        if self.status == "RUNNING" and now > self.deadline:
            missing = ", ".join(self.missing_parts())
            return replace(self, status="FAILED", reason=f"Timed out waiting for: {missing}.", finished_at=now)
        if self.status == "READY" and self.finished_at is not None and now > self.finished_at + EXPORT_KEEP_SECONDS:
            return replace(self, status="EXPIRED")
        return self

    def missing_parts(self) -> list[str]:
        return [c for c in EXPORT_CONTEXTS if c not in self.parts]

    def is_complete(self) -> bool:
        return not self.missing_parts()

    def available_until(self) -> int | None:
        return None if self.finished_at is None else self.finished_at + EXPORT_KEEP_SECONDS

    def file_key(self, path: str) -> str:
        return f"{self.prefix()}{path}"

    def prefix(self) -> str:
        """Where the export's files (every part, and the ZIP) are kept."""
        return f"{EXPORT_PREFIX}{self.export_id}/"

    def sweep_at(self) -> int | None:
        """When the sweep must close this export: a RUNNING one at its deadline, a READY one when the
        retention ends; None once it is final."""
        if self.status == "RUNNING":
            return self.deadline
        if self.status == "READY" and self.finished_at is not None:
            return self.finished_at + EXPORT_KEEP_SECONDS
        return None

    def entries(self) -> list[dict[str, Any]]:
        return [entry for context in EXPORT_CONTEXTS for entry in self.files.get(context, [])]


def new_export(email: str, now: int) -> DataExport:
    # Time-ordered, so the user's exports list newest first with a key condition.
    export_id = f"{now:010d}-{secrets.token_hex(8)}"
    return DataExport(email, export_id, "RUNNING", now, now + EXPORT_DEADLINE_SECONDS, files={})


def owned(export: DataExport | None) -> DataExport:
    """Someone else's export id and an unknown one look the same: not found."""
    if export is None:
        raise NotFound("You have no export with this id.", "EXPORT_NOT_FOUND")
    return export


def archive_key(export: DataExport) -> str:
    return f"{EXPORT_PREFIX}{export.export_id}/speaktracker-export-{export.export_id}.zip"


README = """SpeakTracker data export / 스피크트래커 데이터 내보내기

This archive holds everything SpeakTracker keeps about you, as of the time it was made (GDPR art. 20).
이 파일에는 스피크트래커가 보관하는 회원님의 모든 데이터가 들어 있습니다.

manifest.json lists every file with what it holds. One folder per part of the product:
  identity/       your profile (and your profile image, if you set one)
  matching/       tutor requests and tutor-student links
  practice/       learning sessions, pronunciation results with per-word scores, statistics, recordings
  conversation/   AI conversations: turns, feedback and reports, and your recorded turns
  notifications/  your inbox and tutor feedback
JSON files are UTF-8; recordings are as you uploaded them.
"""


def manifest(export: DataExport, made_at: int) -> dict[str, Any]:
    return {
        "exportId": export.export_id,
        "email": export.email,
        "requestedAt": iso(export.requested_at),
        "madeAt": iso(made_at),
        "files": [{"path": "README.txt", "description": "What this archive is.", "contentType": "text/plain"}]
        + export.entries(),
    }


def write_archive(export: DataExport, contents: Iterable[tuple[str, BinaryIO]], made_at: int, out: BinaryIO) -> None:
    """Writes the ZIP to ``out`` (seekable): README.txt, manifest.json, and every file the contexts wrote, at its
    path. Each file is copied in chunks from its stream, so no file is ever held whole."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr("manifest.json", json.dumps(manifest(export, made_at), ensure_ascii=False, indent=2))
        for path, source in contents:
            with archive.open(path, "w", force_zip64=True) as entry:
                shutil.copyfileobj(source, entry, COPY_CHUNK_BYTES)


def iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
