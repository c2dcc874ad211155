"""Matching's part of a user's data export: their match requests (sent or received), tutor-student links, and
matching's record of them (a tutor's profile and capacity, a student's live state). Reads its own tables only."""

from __future__ import annotations

from speaktracker.events import UserExportPartReady, UserExportRequested
from speaktracker.export import ExportPart, ExportRuntime, UserRecords, runtime_from_settings, write_part

from .adapters.tutors import STUDENT_PREFIX
from .domain import tutor_email_status

_STATUSES = ("PENDING", "APPROVED", "REJECTED", "CANCELLED")


def export_matching_data(request: UserExportRequested, runtime: ExportRuntime | None = None) -> UserExportPartReady:
    runtime = runtime or runtime_from_settings()
    return write_part(runtime, request, "matching", lambda part: _fill(runtime, part, request))


def _fill(runtime: ExportRuntime, part: ExportPart, request: UserExportRequested) -> None:
    db, name, email = runtime.db, runtime.name, request.email
    requests_table, links_table = name("tutor-requests"), name("tutor-students")
    if request.role == "tutor":
        requests = [
            item
            for status in _STATUSES
            for item in UserRecords(requests_table, "tutorEmailStatus", index="tutorEmailStatus-index").query(
                db, tutor_email_status(email, status)
            )
        ]
        links = UserRecords(links_table, "tutorEmail").query(db, email)
        record = UserRecords(name("tutors"), "tutorEmail").query(db, email)
    else:
        requests = UserRecords(requests_table, "studentEmail", index="studentEmail-index").query(db, email)
        links = UserRecords(links_table, "studentEmail", index="studentEmail-index").query(db, email)
        record = UserRecords(name("tutors"), "tutorEmail").query(db, f"{STUDENT_PREFIX}{email}")
    requests = [item for item in requests if "status" in item]  # a PAIR# guard is not a request
    part.records("requests.json", "Tutor match requests you sent or received, with their outcome.", requests)
    part.records("links.json", "Your tutor-student links: who, since when, the live learning state.", links)
    part.records("profile.json", "Matching's record of you (a tutor's capacity and accepting state).", record)
