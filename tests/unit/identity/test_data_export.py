"""Data export rules and use cases with in-memory fakes: the state machine, the deadline, the archive."""

import io
import json
import os
import tracemalloc
import zipfile

import pytest
from chalicelib import export_service, exports
from chalicelib.domain import User
from chalicelib.export_service import Exports
from speaktracker.errors import Conflict, NotFound
from speaktracker.events import ExportFileEntry, UserExportPartReady, UserExportReady, UserExportRequested
from speaktracker.export import EXPORT_CONTEXTS, part_prefix

from .fakes import FakeEvents, FakeExportFiles, FakeExportRepository, FakeMailer, FakeUsers

EMAIL = "kim@example.com"


class Clock:
    def __init__(self, now=1_764_600_000):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def ctx(clock):
    users = FakeUsers()
    users.add(User(EMAIL, "김학생", "student", "CONFIRMED", "2026-11-01T00:00:00Z", "sub-1", "hello"))
    return Exports(FakeExportRepository(), users, FakeExportFiles(), FakeMailer(), FakeEvents(), clock)


def _part(ctx, export_id, context, payload=b"[]"):
    ctx.files.put(part_prefix(export_id, context) + "data.json", payload, "application/json")
    entry = ExportFileEntry(path=f"{context}/data.json", description="d", size=len(payload))
    return UserExportPartReady(exportId=export_id, email=EMAIL, context=context, files=(entry,))


def _deliver_all(ctx, export_id):
    for context in EXPORT_CONTEXTS[1:]:
        export_service.record_part(ctx, _part(ctx, export_id, context, json.dumps({"c": context}).encode()))


def test_a_request_writes_identitys_part_and_asks_every_other_context(ctx):
    view = export_service.request_export(ctx, EMAIL)
    assert view.export.status == "RUNNING" and view.export.parts == {"identity"}
    [requested] = ctx.events.published
    assert isinstance(requested, UserExportRequested) and requested.export_id == view.export.export_id
    assert requested.role == "student"
    profile = json.loads(ctx.files.objects[part_prefix(view.export.export_id, "identity") + "profile.json"])
    assert profile == [
        {
            "email": EMAIL,
            "name": "김학생",
            "role": "student",
            "status": "CONFIRMED",
            "created_at": "2026-11-01T00:00:00Z",
            "user_id": "sub-1",
            "intro": "hello",
            "consent": "NOT_NEEDED",
        }
    ]


def test_one_export_at_a_time_until_it_finishes_or_its_deadline_passes(ctx, clock):
    first = export_service.request_export(ctx, EMAIL).export
    with pytest.raises(Conflict) as conflict:
        export_service.request_export(ctx, EMAIL)
    assert conflict.value.code == "EXPORT_IN_PROGRESS"
    clock.now += exports.EXPORT_DEADLINE_SECONDS + 1
    assert export_service.request_export(ctx, EMAIL).export.export_id != first.export_id


def test_every_part_once_makes_the_archive_announces_it_once_and_mails_the_link(ctx):
    export_id = export_service.request_export(ctx, EMAIL).export.export_id
    _deliver_all(ctx, export_id)
    export_service.record_part(ctx, _part(ctx, export_id, "practice"))  # redelivered after READY: ignored
    ready = [e for e in ctx.events.published if isinstance(e, UserExportReady)]
    assert [e.export_id for e in ready] == [export_id]
    [(to, subject, text)] = [m for m in ctx.mailer.sent if "export" in m[1]]
    assert to == EMAIL and f"exports/{export_id}/" in text and f"expires={exports.EXPORT_LINK_SECONDS}" in text
    view = export_service.export_status(ctx, EMAIL, export_id)
    assert view.export.status == "READY" and view.download_url.startswith(f"http://files.test/exports/{export_id}/")
    archive = zipfile.ZipFile(io.BytesIO(ctx.files.objects[exports.archive_key(view.export)]))
    assert json.loads(archive.read("notifications/data.json")) == {"c": "notifications"}
    assert "GDPR" in archive.read("README.txt").decode()


def test_a_missing_part_fails_the_export_after_the_deadline_and_frees_the_user(ctx, clock):
    export_id = export_service.request_export(ctx, EMAIL).export.export_id
    export_service.record_part(ctx, _part(ctx, export_id, "practice"))
    clock.now += exports.EXPORT_DEADLINE_SECONDS - 1
    assert export_service.export_status(ctx, EMAIL, export_id).export.status == "RUNNING"
    clock.now += 2
    failed = export_service.export_status(ctx, EMAIL, export_id).export
    assert failed.status == "FAILED" and "matching" in failed.reason and "practice" not in failed.reason
    assert ctx.exports.get(EMAIL, export_id).status == "FAILED"  # recorded, not only shown
    export_service.record_part(ctx, _part(ctx, export_id, "matching"))  # too late: stays FAILED
    assert ctx.exports.get(EMAIL, export_id).status == "FAILED"


def test_a_ready_export_expires_with_the_bucket_and_gives_no_link_any_more(ctx, clock):
    export_id = export_service.request_export(ctx, EMAIL).export.export_id
    _deliver_all(ctx, export_id)
    clock.now += exports.EXPORT_KEEP_SECONDS + 1
    view = export_service.export_status(ctx, EMAIL, export_id)
    assert view.export.status == "EXPIRED" and view.download_url is None


def test_someone_elses_export_is_not_found(ctx):
    export_id = export_service.request_export(ctx, EMAIL).export.export_id
    with pytest.raises(NotFound):
        export_service.export_status(ctx, "other@example.com", export_id)


def test_an_assembly_with_a_file_missing_raises_so_the_queue_retries(ctx):
    export_id = export_service.request_export(ctx, EMAIL).export.export_id
    for context in EXPORT_CONTEXTS[1:-1]:
        export_service.record_part(ctx, _part(ctx, export_id, context))
    last = _part(ctx, export_id, EXPORT_CONTEXTS[-1])
    del ctx.files.objects[part_prefix(export_id, EXPORT_CONTEXTS[-1]) + "data.json"]
    with pytest.raises(RuntimeError):
        export_service.record_part(ctx, last)
    assert ctx.exports.get(EMAIL, export_id).status == "RUNNING"


def test_the_manifest_lists_the_readme_and_every_part_in_context_order():
    export = exports.DataExport(
        EMAIL,
        "1-a",
        "RUNNING",
        0,
        10,
        frozenset(EXPORT_CONTEXTS),
        {"practice": [{"path": "practice/a.json"}], "identity": [{"path": "identity/p.json"}]},
    )
    listed = [f["path"] for f in exports.manifest(export, 5)["files"]]
    assert listed == ["README.txt", "identity/p.json", "practice/a.json"]


def test_the_sweep_fails_an_abandoned_export_with_its_reason_so_the_user_can_ask_again(ctx, clock):
    export_id = export_service.request_export(ctx, EMAIL).export.export_id
    export_service.record_part(ctx, _part(ctx, export_id, "practice"))
    assert export_service.sweep(ctx) == export_service.Swept(failed=0, expired=0)  # not yet due
    clock.now += exports.EXPORT_DEADLINE_SECONDS + 1
    assert export_service.sweep(ctx) == export_service.Swept(failed=1, expired=0)  # nobody looked at it
    failed = ctx.exports.get(EMAIL, export_id)
    assert failed.status == "FAILED" and "matching" in failed.reason and "practice" not in failed.reason
    assert not [key for key in ctx.files.objects if key.startswith(f"exports/{export_id}/")]  # partial parts gone
    assert export_service.sweep(ctx) == export_service.Swept(failed=0, expired=0)  # once
    assert export_service.request_export(ctx, EMAIL).export.status == "RUNNING"


def test_the_sweep_erases_an_expired_exports_zip_and_parts(ctx, clock):
    export_id = export_service.request_export(ctx, EMAIL).export.export_id
    _deliver_all(ctx, export_id)
    zip_key = exports.archive_key(ctx.exports.get(EMAIL, export_id))
    assert zip_key in ctx.files.objects
    clock.now += exports.EXPORT_KEEP_SECONDS - 60
    assert export_service.sweep(ctx).expired == 0 and zip_key in ctx.files.objects
    clock.now += 120
    assert export_service.sweep(ctx) == export_service.Swept(failed=0, expired=1)
    assert not [key for key in ctx.files.objects if key.startswith(f"exports/{export_id}/")]
    assert ctx.exports.get(EMAIL, export_id).status == "EXPIRED"
    assert export_service.sweep(ctx).expired == 0


class _Noise(io.RawIOBase):
    """``size`` incompressible bytes, made as they are read (a large recording that was never in memory)."""

    def __init__(self, size):
        self.left = size

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left)
        buffer[:n] = os.urandom(n)
        self.left -= n
        return n


def test_a_large_export_is_zipped_and_uploaded_in_chunks_not_held_in_memory(ctx):
    """40 MB of recordings through the assembly: Python's peak allocation stays far below their size."""
    export_id = export_service.request_export(ctx, EMAIL).export.export_id
    for context in EXPORT_CONTEXTS[1:]:
        key = part_prefix(export_id, context) + "recording.wav"
        ctx.files.streams[key] = lambda: io.BufferedReader(_Noise(8 * 1024 * 1024))
    ctx.files.keep_uploads = False
    tracemalloc.start()
    try:
        for context in EXPORT_CONTEXTS[1:]:
            entry = ExportFileEntry(path=f"{context}/recording.wav", description="r", size=8 * 1024 * 1024)
            export_service.record_part(
                ctx, UserExportPartReady(exportId=export_id, email=EMAIL, context=context, files=(entry,))
            )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    export = ctx.exports.get(EMAIL, export_id)
    assert export.status == "READY"
    assert ctx.files.uploaded[exports.archive_key(export)] > 32 * 1024 * 1024  # every recording went in
    assert peak < 16 * 1024 * 1024, f"peak {peak / 2**20:.1f} MB"
