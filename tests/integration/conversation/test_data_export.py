"""Conversation's part of a data export, against the emulator: a spoken turn (heard by the recogniser, with
its feedback and its recording's bytes) and the end report are in it; another student's conversation is not."""

import json

from speaktracker.events import UserExportRequested
from speaktracker.export import part_prefix

from .conftest import b64, espeak_wav
from .test_conversation_api import quiet_queues, send, start  # noqa: F401 - the module's autouse fixture


def test_the_part_holds_turns_feedback_report_and_recordings(api, aws, queues, student, tmp_path):
    other = aws.user(role="student")
    recording = espeak_wav("I would like a large coffee please", tmp_path / "t.wav")
    cid = start(api, student)["conversationId"]
    status, accepted = send(api, student, cid, audioData=b64(recording), audioContentType="audio/wav")
    assert status == 202, accepted
    other_cid = start(api, other)["conversationId"]
    assert send(api, other, other_cid, userMessage="Hello there")[0] == 202
    queues.drain("ai-chat")
    queues.drain("ai-feedback")
    status, ended = api.call("post", f"/api/ai/chat/{cid}/end", user=student)
    assert status == 200, ended
    queues.purge("identity-events")

    request = UserExportRequested(exportId="1764600000-c", email=student.email, role="student")
    assert api.deliver("follow_tutor_links", "conversation-events", request) == []
    s3, bucket = aws.client("s3"), aws.settings.name("user-content")
    prefix = part_prefix(request.export_id, "conversation")
    [conversation] = json.loads(s3.get_object(Bucket=bucket, Key=prefix + "conversations.json")["Body"].read())
    assert conversation["conversationId"] == cid and conversation["report"] == ended["report"]
    turns = conversation["turns"]
    assert turns[0]["itemKey"] == "TURN#0000", turns  # the partner's opener
    [turn] = [t for t in turns if t.get("heardText")]
    assert "coffee" in turn["heardText"].lower() and turn["feedback"]
    assert turn["recordingFile"].startswith(f"conversation/recordings/{cid}-")
    name = turn["recordingFile"].removeprefix("conversation/")
    assert s3.get_object(Bucket=bucket, Key=prefix + name)["Body"].read() == recording
    assert other_cid not in json.dumps(conversation)
    [part] = [b for b in queues.bodies("identity-events") if b["type"] == "user_export_part_ready"]
    assert part["context"] == "conversation" and {f["path"] for f in part["files"]} >= {
        "conversation/conversations.json",
        turn["recordingFile"],
    }
