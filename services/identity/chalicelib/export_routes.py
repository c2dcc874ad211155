"""Data portability routes (GDPR art. 20): ask for a copy of your data, follow the job, get the link."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from chalice import Rate
from pydantic import Field
from speaktracker import logging as slog
from speaktracker.auth import Principal
from speaktracker.http import ANY_ROLE, Routes
from speaktracker.lazy import lazy_callable, lazy_module
from speaktracker.openapi import Answer
from speaktracker.settings import get_settings
from speaktracker.sqs import QueueMessage, process_batch

if TYPE_CHECKING:
    from speaktracker import events

    from . import export_service, exports
    from .wiring import data_exports
else:  # the use cases, adapters and event contracts load with the first request or message that needs them
    events = lazy_module("speaktracker.events")
    export_service = lazy_module(f"{__package__}.export_service")
    exports = lazy_module(f"{__package__}.exports")
    data_exports = lazy_callable(f"{__package__}.wiring", "data_exports")

_log = slog.get_logger("speaktracker.identity.exports")


class ExportAnswer(Answer):
    export_id: str
    status: Literal["RUNNING", "READY", "FAILED", "EXPIRED"]
    requested_at: str
    finished_at: str | None
    available_until: str | None = Field(description="Until when the archive is kept (READY exports).")
    download_url: str | None = Field(description="A presigned link to the ZIP, for READY exports; it expires soon.")
    parts_done: list[str] = Field(description="The parts of the product whose data is in already.")
    parts_missing: list[str]
    reason: str | None


class ExportListAnswer(Answer):
    exports: list[ExportAnswer]


def register_export_routes(routes: Routes) -> None:
    @routes.post("/api/users/me/export", roles=ANY_ROLE, status=202, response=ExportAnswer, errors=[404, 409])
    def request_export(principal: Principal) -> dict:
        """Starts an export of everything we hold about you; 409 EXPORT_IN_PROGRESS while one runs."""
        return _answer(export_service.request_export(data_exports(), principal.email))

    @routes.get("/api/users/me/exports", roles=ANY_ROLE, response=ExportListAnswer)
    def list_exports(principal: Principal) -> dict:
        """Your recent exports, newest first."""
        return {"exports": [_answer(v) for v in export_service.recent_exports(data_exports(), principal.email)]}

    @routes.get("/api/users/me/export/{exportId}", roles=ANY_ROLE, response=ExportAnswer, errors=[404])
    def export_status(principal: Principal, exportId: str) -> dict:
        """Where the export is; a READY one carries a fresh download link."""
        return _answer(export_service.export_status(data_exports(), principal.email, exportId))


def register_export_consumer(app: Any) -> Any:
    """Returns the handler: app.py binds it as a top-level name, which is what Lambda's handler resolves."""

    @app.on_sqs_message(queue=get_settings().name("identity-events"), batch_size=10)
    def collect_export_parts(event: Any) -> dict:
        return process_batch(event, _collect)

    return collect_export_parts


def register_export_sweep(app: Any) -> Any:
    """Every 15 minutes: abandoned exports are FAILED (the user can ask again), expired ones erased."""

    @app.schedule(Rate(15, unit=Rate.MINUTES))
    def sweep_exports(event: Any) -> None:
        swept = export_service.sweep(data_exports())
        if swept.failed or swept.expired:
            slog.log(_log, 20, "swept data exports", failed=swept.failed, expired=swept.expired)

    return sweep_exports


def _collect(message: QueueMessage) -> None:
    event = events.parse_event(message.body)  # a malformed one raises: retried, then dead-lettered
    if isinstance(event, events.UserExportPartReady):
        export_service.record_part(data_exports(), event)
    elif event is not None:
        slog.log(_log, 20, "ignored an event identity does not consume", type=event.type)


def _answer(view: export_service.ExportView) -> dict:
    export = view.export
    until = export.available_until() if export.status == "READY" else None
    return {
        "exportId": export.export_id,
        "status": export.status,
        "requestedAt": exports.iso(export.requested_at),
        "finishedAt": exports.iso(export.finished_at) if export.finished_at else None,
        "availableUntil": exports.iso(until) if until else None,
        "downloadUrl": view.download_url,
        "partsDone": sorted(export.parts),
        "partsMissing": export.missing_parts(),
        "reason": export.reason,
    }
