"""Data export use cases (GDPR art. 20): request an export, read its state, collect the parts, make the ZIP."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import BinaryIO

from speaktracker.events import ExportFileEntry, UserExportPartReady, UserExportReady, UserExportRequested
from speaktracker.export import ExportPart

from . import domain, exports
from .domain import User
from .exports import DataExport
from .ports import ExportFiles, ExportRepository, Mailer, Publisher, UserRepository


@dataclass
class Exports:
    exports: ExportRepository
    users: UserRepository
    files: ExportFiles
    mailer: Mailer
    events: Publisher
    clock: Callable[[], float] = field(default=time.time)

    def now(self) -> int:
        return int(self.clock())


@dataclass(frozen=True)
class ExportView:
    export: DataExport
    download_url: str | None


def request_export(ctx: Exports, email: str) -> ExportView:
    user = ctx.users.get(email)
    if user is None:
        raise exports.owned(None)
    export = exports.new_export(email, ctx.now())
    ctx.exports.start(export)  # Conflict while another export of this user runs
    request = UserExportRequested(exportId=export.export_id, email=email, role=user.role)
    try:
        part = _identity_part(ctx, request, user)
        export = ctx.exports.add_part(export, "identity", [asdict_entry(f) for f in part.ready().files]) or export
        ctx.events.publish(request)
    except Exception:
        ctx.exports.fail(export, "The export could not be started.", ctx.now())  # nothing left running
        raise
    return ExportView(export, None)


def export_status(ctx: Exports, email: str, export_id: str) -> ExportView:
    return _view(ctx, exports.owned(ctx.exports.get(email, export_id)))


def recent_exports(ctx: Exports, email: str, limit: int = 10) -> list[ExportView]:
    return [_view(ctx, export) for export in ctx.exports.recent(email, limit)]


def record_part(ctx: Exports, event: UserExportPartReady) -> None:
    """Idempotent: a part counts once, and only the call that moves the export to READY announces it."""
    export = ctx.exports.get(event.email, event.export_id)
    if export is None or event.context not in exports.EXPORT_CONTEXTS:
        return
    export = ctx.exports.add_part(export, event.context, [asdict_entry(f) for f in event.files])
    if export is not None and export.is_complete():
        assemble(ctx, export)


def assemble(ctx: Exports, export: DataExport) -> None:
    now = ctx.now()
    key = exports.archive_key(export)
    # Spooled: a small ZIP never touches the disk, a large one (many recordings) goes to /tmp, not the heap.
    with tempfile.SpooledTemporaryFile(max_size=exports.ARCHIVE_SPOOL_BYTES) as spool:
        exports.write_archive(export, _part_files(ctx, export), now, spool)
        spool.seek(0)
        ctx.files.upload(key, spool, "application/zip")
    if not ctx.exports.finish(export, key, now):
        return
    link = ctx.files.presign_download(key, exports.EXPORT_LINK_SECONDS)
    available_until = exports.iso(now + exports.EXPORT_KEEP_SECONDS)
    ctx.events.publish(UserExportReady(exportId=export.export_id, email=export.email, availableUntil=available_until))
    hours = exports.EXPORT_LINK_SECONDS // 3600
    ctx.mailer.send(
        export.email,
        "SpeakTracker 데이터 내보내기 완료 / your data export is ready",
        f"요청하신 데이터 내보내기가 준비되었습니다. 아래 링크는 {hours}시간 동안 유효합니다.\n\n"
        f"Your SpeakTracker data export is ready. This link works for {hours} hours:\n{link}\n\n"
        f"Until {available_until} you can get a new link in the app (settings, Download my data).",
    )


def _part_files(ctx: Exports, export: DataExport) -> Iterator[tuple[str, BinaryIO]]:
    """Each part file as a stream, opened one at a time while the ZIP takes it in."""
    for entry in export.entries():
        stream = ctx.files.open(export.file_key(entry["path"]))
        if stream is None:  # retried by the queue; the deadline turns a lasting gap into FAILED
            raise RuntimeError(f"export file {entry['path']} is missing")
        try:
            yield entry["path"], stream
        finally:
            stream.close()


@dataclass(frozen=True)
class Swept:
    failed: int
    expired: int


def sweep(ctx: Exports) -> Swept:
    """Closes the exports nobody is waiting on: a RUNNING one past its deadline becomes FAILED with its reason
    (so the user may simply ask again), and a READY one past its retention has its files erased and becomes
    EXPIRED. Idempotent: each close is conditional, and erasing is by prefix."""
    now = ctx.now()
    failed = expired = 0
    for export in ctx.exports.due("RUNNING", now, exports.SWEEP_BATCH):
        seen = export.seen_at(now)
        if seen.status == "FAILED" and ctx.exports.fail(export, seen.reason or "Timed out.", now):
            ctx.files.erase_prefix(export.prefix())  # the parts that did arrive
            failed += 1
    for export in ctx.exports.due("READY", now, exports.SWEEP_BATCH):
        ctx.files.erase_prefix(export.prefix())
        if ctx.exports.expire(export):
            expired += 1
    return Swept(failed, expired)


def _view(ctx: Exports, export: DataExport) -> ExportView:
    seen = export.seen_at(ctx.now())
    if seen.status == "FAILED" and export.status == "RUNNING":
        ctx.exports.fail(export, seen.reason or "Timed out.", seen.finished_at or ctx.now())
    url = None
    if seen.status == "READY" and seen.archive_key:
        url = ctx.files.presign_download(seen.archive_key)
    return ExportView(seen, url)


def _identity_part(ctx: Exports, request: UserExportRequested, user: User) -> ExportPart:
    part = ExportPart(request, "identity", ctx.files)
    profile = {k: v for k, v in asdict(user).items() if v not in (None, "")}
    part.records("profile.json", "Your account: email, name, role, introduction, when you signed up.", [profile])
    if user.profile_image_key:
        image = ctx.files.get(user.profile_image_key)
        if image is not None:
            extension = user.profile_image_key.rsplit(".", 1)[-1]
            content_type = next((t for t, ext in domain.PROFILE_IMAGE_TYPES.items() if ext == extension), "image")
            part.file(f"profile-image.{extension}", "Your profile image.", image, content_type)
    return part


def asdict_entry(entry: ExportFileEntry) -> dict:
    return entry.model_dump(by_alias=True)
