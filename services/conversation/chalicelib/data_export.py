"""Conversation's part of a user's data export: every AI conversation with its turns (what was heard, the
partner's lines, per-turn feedback), the end reports, and the recorded turns. Reads its own table only."""

from __future__ import annotations

from speaktracker.events import UserExportPartReady, UserExportRequested
from speaktracker.export import ExportPart, ExportRuntime, UserRecords, runtime_from_settings, write_part


def export_conversation_data(request: UserExportRequested, runtime: ExportRuntime | None = None) -> UserExportPartReady:
    runtime = runtime or runtime_from_settings()
    return write_part(runtime, request, "conversation", lambda part: _fill(runtime, part, request.email))


def _fill(runtime: ExportRuntime, part: ExportPart, email: str) -> None:
    table = runtime.name("ai-conversations")
    conversations = []
    # Only META items carry startedAt, so the student index lists the conversations themselves.
    for meta in UserRecords(table, "studentEmail", index="studentEmail-index").query(runtime.db, email):
        conversation_id = meta["conversationId"]
        items = UserRecords(table, "conversationId").query(runtime.db, conversation_id)
        turns = [item for item in items if item["itemKey"].startswith("TURN#")]
        for turn in turns:
            key = turn.get("userAudioKey")
            if key and key.startswith("user-audio/"):
                turn["recordingFile"] = part.copy(
                    f"recordings/{conversation_id}-{turn['itemKey'].removeprefix('TURN#')}", "Your spoken turn.", key
                )
        others = [item for item in items if item["itemKey"] != "META" and not item["itemKey"].startswith("TURN#")]
        conversations.append({**meta, "turns": turns, "other": others})
    part.records(
        "conversations.json",
        "Your AI conversations: scenario, start and end, the report (CEFR estimate, notes, next step), and each "
        "turn with what was heard, the partner's line, feedback and recordingFile (your recording here).",
        conversations,
    )
    part.records(
        "tutor.json",
        "Who tutors you, as conversation knows it.",
        UserRecords(table, "conversationId").query(runtime.db, f"TUTOR#{email}"),
    )
