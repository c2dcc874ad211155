"""Practice's part of a user's data export: sessions, pronunciation results (per-word and per-phone scores),
statistics, sentence records, speech jobs and the recordings themselves. Reads practice's own tables only."""

from __future__ import annotations

from speaktracker.events import UserExportPartReady, UserExportRequested
from speaktracker.export import ExportPart, ExportRuntime, UserRecords, runtime_from_settings, write_part


def export_practice_data(request: UserExportRequested, runtime: ExportRuntime | None = None) -> UserExportPartReady:
    runtime = runtime or runtime_from_settings()
    return write_part(runtime, request, "practice", lambda part: _fill(runtime, part, request.email))


def _fill(runtime: ExportRuntime, part: ExportPart, email: str) -> None:
    db, name = runtime.db, runtime.name
    part.records(
        "sessions.json",
        "Your learning sessions: type, start, end, speaking time.",
        UserRecords(name("learning-sessions"), "studentEmail").query(db, email),
    )
    results = UserRecords(name("pronunciation-results"), "studentEmail").query(db, email)
    for result in results:
        key = result.get("audioKey")
        if key and key.startswith("user-audio/"):
            result["recordingFile"] = part.copy(
                f"recordings/{result['resultId']}", f"Your recording of “{result.get('originalText', '')}”.", key
            )
    part.records(
        "results.json",
        "Your pronunciation results: the sentence, overall score and grade, each word's and sound's score, and "
        "recordingFile, the recording in this archive.",
        results,
    )
    part.records(
        "daily-statistics.json",
        "Your practice per day: sessions, minutes, results, conversation turns.",
        UserRecords(name("daily-statistics"), "studentEmail").query(db, email),
    )
    part.records(
        "sentence-records.json",
        "Each sentence you practised: best and last score, times practised.",
        UserRecords(name("sentence-mastery"), "studentEmail").query(db, email),
    )
    part.records(
        "speech-jobs.json",
        "Text-to-speech jobs you asked for (kept a few days).",
        UserRecords(name("async-job-status"), "ownerEmail", index="ownerEmail-index").query(db, email),
    )
    part.records(
        "tutor.json",
        "Who tutors you, as practice knows it.",
        UserRecords(name("student-tutors"), "studentEmail").query(db, email),
    )
