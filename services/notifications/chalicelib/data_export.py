"""Notifications' part of a user's data export: their inbox and tutor feedback (received, or sent by a tutor).
Reads its own tables only; live connections are not data about the user worth keeping, so they are left out."""

from __future__ import annotations

import time

from speaktracker.events import UserExportPartReady, UserExportRequested
from speaktracker.export import ExportPart, ExportRuntime, UserRecords, runtime_from_settings, write_part


def export_notifications_data(
    request: UserExportRequested, runtime: ExportRuntime | None = None
) -> UserExportPartReady:
    runtime = runtime or runtime_from_settings()
    return write_part(runtime, request, "notifications", lambda part: _fill(runtime, part, request))


def _fill(runtime: ExportRuntime, part: ExportPart, request: UserExportRequested) -> None:
    db, name, email = runtime.db, runtime.name, request.email
    now = time.time()
    inbox = UserRecords(
        name("notifications"), "userEmail", keep=lambda item: item.get("ttl", float("inf")) >= now
    ).query(db, email)  # TTL deletion is lazy: expired notifications are gone for the user already
    part.records("inbox.json", "Your notifications: type, title, message, when, whether read.", inbox)
    by = "tutorEmail" if request.role == "tutor" else "studentEmail"
    feedback = UserRecords(name("feedback-messages"), by, index=f"{by}-index").query(db, email)
    part.records("feedback.json", "Tutor feedback you received (or, as a tutor, sent).", feedback)
    part.records(
        "tutor.json",
        "Who tutors you, as notifications knows it.",
        UserRecords(name("tutor-links"), "studentEmail").query(db, email),
    )
