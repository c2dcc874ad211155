"""The conversation routes and the turn worker against the emulator, offline engines (the scripted partner,
Whisper tiny.en, espeak-ng, pocketsphinx): text and spoken turns, the pushes' events, bad input, who reads what."""

import numpy as np
import pytest
from speaktracker.events import TutorMatch

from .conftest import b64, espeak_wav, sub_of


@pytest.fixture(autouse=True)
def quiet_queues(queues):
    for logical in ("ai-chat", "ai-feedback", "notifications-events", "practice-events"):
        queues.purge(logical)


def start(api, user, scenario="cafe-order"):
    status, body = api.call("post", "/api/ai/chat/start", {"difficulty": "중급", "scenarioId": scenario}, user=user)
    assert status == 201, body
    return body


def send(api, user, conversation_id, **fields):
    return api.call("post", "/api/ai/chat/message", {"conversationId": conversation_id, **fields}, user=user)


def test_the_catalogue_and_the_openapi_document(api, student):
    status, body = api.call("get", "/api/ai/scenarios", user=student)
    assert status == 200 and len(body["scenarios"]) >= 12
    status, beginner = api.call("get", "/api/ai/scenarios?difficulty=초급", user=student)
    assert 4 <= len(beginner["scenarios"]) < len(body["scenarios"])
    assert all("beginner" in s["levels"] for s in beginner["scenarios"])
    status, document = api.call("get", "/openapi.json")
    paths = document["paths"]
    assert {
        "/api/ai/chat/start",
        "/api/ai/chat/message",
        "/api/ai/chat/status/{requestId}",
        "/api/ai/chat/{conversationId}/end",
    } <= set(paths)
    assert "409" in paths["/api/ai/chat/message"]["post"]["responses"]


def test_a_typed_turn_end_to_end_through_the_queue(api, queues, student):
    started = start(api, student)
    assert started["firstMessage"].startswith("Good morning") and started["turnLimit"] == 10
    assert started["audioUrl"] and started["scenario"]["scenarioId"] == "cafe-order"
    status, accepted = send(api, student, started["conversationId"], userMessage="I very like latte")
    assert status == 202 and accepted["status"] == "PROCESSING" and accepted["estimatedTime"] > 0
    status, pending = api.call("get", f"/api/ai/chat/status/{accepted['requestId']}", user=student)
    assert pending["status"] == "PROCESSING" and pending["turnCount"] == 0
    assert queues.drain("ai-chat") == 1 and queues.drain("ai-feedback") == 1  # the reply, then its feedback
    status, done = api.call("get", f"/api/ai/chat/status/{accepted['requestId']}", user=student)
    assert done["status"] == "COMPLETED" and done["heardText"] == "I very like latte" and done["turnCount"] == 1
    assert done["aiMessage"] and done["aiMessageKo"] and done["audioUrl"] and done["audioJobId"]
    assert done["feedback"]["corrections"][0]["corrected"] == "I really like"
    [reply] = [e for e in queues.bodies("notifications-events") if e["type"] == "ai_reply_ready"]
    assert (reply["requestId"], reply["studentEmail"], reply["aiMessage"]) == (
        accepted["requestId"],
        student.email,
        done["aiMessage"],
    )
    [counted] = [e for e in queues.bodies("practice-events") if e["type"] == "conversation_turn_completed"]
    assert counted["words"] == 4 and counted["turnIndex"] == 1
    status, transcript = api.call("get", f"/api/ai/chat/{started['conversationId']}", user=student)
    assert [t["index"] for t in transcript["turns"]] == [0, 1]
    assert transcript["turns"][1]["aiAudioUrl"] and transcript["turns"][1]["userAudioUrl"] is None
    status, mine = api.call("get", "/api/ai/chat", user=student)
    assert mine["conversations"][0]["conversationId"] == started["conversationId"]
    assert mine["conversations"][0]["turnCount"] == 1
    # The OpenAPI models describe the real answers (the web app's types come from them).
    from chalicelib import routes

    for model, body in (
        (routes.StartAnswer, started),
        (routes.MessageAnswer, accepted),
        (routes.StatusAnswer, done),
        (routes.TranscriptAnswer, transcript),
        (routes.ListAnswer, mine),
    ):
        model.model_validate(body)


def test_a_spoken_turn_is_heard_by_the_recogniser_and_scored(api, queues, student, tmp_path):
    started = start(api, student)
    said = "I would like a large coffee please"
    status, accepted = send(
        api,
        student,
        started["conversationId"],
        audioData=b64(espeak_wav(said, tmp_path / "t.wav")),
        audioContentType="audio/wav",
    )
    assert status == 202, accepted
    queues.drain("ai-chat")
    queues.drain("ai-feedback")
    status, done = api.call("get", f"/api/ai/chat/status/{accepted['requestId']}", user=student)
    assert done["status"] == "COMPLETED", done
    heard = done["heardText"].lower()
    assert "large" in heard and "coffee" in heard
    pronunciation = done["feedback"]["pronunciation"]
    assert pronunciation["words"] and 0 <= pronunciation["overallScore"] <= 100
    assert pronunciation["weakestSounds"][0]["phoneme"]
    [counted] = [e for e in queues.bodies("practice-events") if e["type"] == "conversation_turn_completed"]
    assert counted["speakingSeconds"] > 1
    status, transcript = api.call("get", f"/api/ai/chat/{started['conversationId']}", user=student)
    assert transcript["turns"][1]["userAudioUrl"]


def test_a_presigned_upload_is_accepted_only_under_the_learners_own_folder(api, aws, queues, student, tmp_path):
    started = start(api, student)
    s3, bucket = aws.client("s3"), aws.settings.name("user-content")
    key = f"user-audio/{sub_of(student)}/take-1.wav"
    s3.put_object(Bucket=bucket, Key=key, Body=espeak_wav("Hot please", tmp_path / "a.wav"), ContentType="audio/wav")
    status, refused = send(api, student, started["conversationId"], audioKey="user-audio/someone-else/take.wav")
    assert (status, refused["error"]) == (403, "NOT_YOUR_RECORDING")
    status, missing = send(api, student, started["conversationId"], audioKey=f"user-audio/{sub_of(student)}/none.wav")
    assert (status, missing["error"]) == (404, "RECORDING_NOT_FOUND")
    status, accepted = send(api, student, started["conversationId"], audioKey=key)
    assert status == 202
    queues.drain("ai-chat")
    queues.drain("ai-feedback")
    assert api.call("get", f"/api/ai/chat/status/{accepted['requestId']}", user=student)[1]["status"] == "COMPLETED"


def _silence() -> bytes:
    import io
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(np.zeros(16000, dtype="<i2").tobytes())
    return out.getvalue()


def _too_long(tmp_path) -> bytes:
    return espeak_wav("I like coffee. " * 20, tmp_path / "long.wav", speed=80)


@pytest.mark.parametrize(
    "fields, status, code",
    [
        ({}, 400, "EMPTY_MESSAGE"),
        ({"userMessage": "   "}, 400, "EMPTY_MESSAGE"),
        ({"userMessage": "x" * 600}, 400, "MESSAGE_TOO_LONG"),
        ({"audioData": "%%% not base64"}, 400, "AUDIO_NOT_BASE64"),
        ({"audioData": b64(b"this is not audio at all" * 10)}, 415, "AUDIO_UNDECODABLE"),
        ({"audioData": "silence"}, 422, "AUDIO_SILENT"),
        ({"audioData": "long"}, 422, "AUDIO_TOO_LONG"),
        ({"audioData": b64(b"RIFF"), "audioContentType": "image/png"}, 415, "UNSUPPORTED_AUDIO_FORMAT"),
        ({"surprise": 1, "userMessage": "Hi"}, 400, "VALIDATION_FAILED"),
    ],
)
def test_bad_messages_get_a_clear_4xx_and_nothing_is_written(api, aws, queues, student, tmp_path, fields, status, code):
    started = start(api, student)
    if fields.get("audioData") == "silence":
        fields["audioData"] = b64(_silence())
    if fields.get("audioData") == "long":
        fields["audioData"] = b64(_too_long(tmp_path))
    got, body = send(api, student, started["conversationId"], **fields)
    assert (got, body["error"]) == (status, code), body
    s3 = aws.client("s3")
    listed = s3.list_objects_v2(Bucket=aws.settings.name("user-content"), Prefix=f"user-audio/{sub_of(student)}/")
    assert listed.get("KeyCount", 0) == 0 and queues.drain("ai-chat") == 0
    assert send(api, student, started["conversationId"], userMessage="Hello")[0] == 202  # nothing was held


def test_one_message_at_a_time_and_none_after_the_end(api, queues, student):
    started = start(api, student)
    cid = started["conversationId"]
    assert send(api, student, cid, userMessage="A latte please")[0] == 202
    status, busy = send(api, student, cid, userMessage="And a muffin")
    assert (status, busy["error"]) == (409, "REPLY_IN_PROGRESS")
    queues.drain("ai-chat")
    queues.drain("ai-feedback")
    assert send(api, student, cid, userMessage="And a muffin")[0] == 202
    queues.drain("ai-chat")
    queues.drain("ai-feedback")
    status, ended = api.call("post", f"/api/ai/chat/{cid}/end", user=student)
    assert status == 200 and ended["status"] == "ENDED" and ended["report"]["turns"] == 2
    assert ended["report"]["goals"][0]["met"] is True and ended["report"]["cefr"]["isEstimate"] is True
    from chalicelib import routes

    routes.EndAnswer.model_validate(ended)
    assert api.call("post", f"/api/ai/chat/{cid}/end", user=student)[1]["report"] == ended["report"]
    status, refused = send(api, student, cid, userMessage="Hello?")
    assert (status, refused["error"]) == (409, "CONVERSATION_ENDED")
    status, hint = api.call("post", f"/api/ai/chat/{cid}/hint", user=student)
    assert (status, hint["error"]) == (409, "CONVERSATION_ENDED")


def test_a_hint_for_a_stuck_learner(api, student):
    started = start(api, student, "airport-checkin")
    status, hint = api.call("post", f"/api/ai/chat/{started['conversationId']}/hint", user=student)
    assert status == 200 and hint["suggestion"] == "I'm flying to New York." and hint["suggestionKo"]
    from chalicelib import routes

    routes.HintAnswer.model_validate(hint)


def test_only_the_student_and_their_tutor_see_a_conversation(api, aws, queues, student, tutor):
    started = start(api, student)
    cid = started["conversationId"]
    send(api, student, cid, userMessage="Hello")
    queues.drain("ai-chat")
    queues.drain("ai-feedback")
    other = aws.user(role="student")
    for path in (f"/api/ai/chat/{cid}",):
        assert api.call("get", path, user=other)[0] == 404
        assert api.call("get", path, user=tutor)[0] == 404
    assert api.call("post", f"/api/ai/chat/{cid}/end", user=other)[0] == 404
    assert api.call("post", f"/api/ai/chat/{cid}/hint", user=other)[0] == 404
    assert send(api, other, cid, userMessage="Hi")[0] == 404
    assert api.call("post", "/api/ai/chat/start", {"scenarioId": "cafe-order"}, user=tutor)[0] == 403
    assert api.call("get", "/api/ai/chat/does-not-exist", user=student)[0] == 404
    failed = api.deliver(
        "follow_tutor_links",
        "conversation-events",
        TutorMatch(action="approved", studentEmail=student.email, tutorEmail=tutor.email),
    )
    assert failed == []
    status, seen = api.call("get", f"/api/ai/chat/{cid}", user=tutor)
    assert status == 200 and len(seen["turns"]) == 2
    status, listed = api.call("get", f"/api/ai/chat?studentEmail={student.email}", user=tutor)
    assert [c["conversationId"] for c in listed["conversations"]] == [cid]
    assert api.call("get", f"/api/ai/chat?studentEmail={other.email}", user=tutor)[0] == 404
    assert api.call("get", f"/api/ai/chat/{cid}", user=aws.user(role="tutor"))[0] == 404


def test_a_redelivered_turn_adds_nothing_and_a_malformed_message_is_dead_lettered(api, queues, student):
    started = start(api, student)
    send(api, student, started["conversationId"], userMessage="A latte please")
    import json

    sqs, url = queues.sqs, queues.url("ai-chat")
    message = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)["Messages"][0]
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    queues.drain("ai-chat")
    queues.drain("ai-feedback")
    sqs.send_message(QueueUrl=url, MessageBody=message["Body"])  # SQS delivers at least once
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"no": "request"}))
    queues.drain("ai-chat")
    queues.drain("ai-feedback")
    status, transcript = api.call("get", f"/api/ai/chat/{started['conversationId']}", user=student)
    assert len(transcript["turns"]) == 2
    assert len([e for e in queues.bodies("notifications-events") if e["type"] == "ai_reply_ready"]) == 1
    dlq = sqs.get_queue_url(QueueName=queues.aws.settings.name("ai-chat-dlq"))["QueueUrl"]
    dead = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=0, MaxNumberOfMessages=10).get("Messages", [])
    assert [json.loads(m["Body"]) for m in dead] == [{"no": "request"}]


def test_a_page_cursor_opens_only_for_the_caller_who_got_it(api, aws, student, tutor):
    """The student and their tutor both read the student's conversations, each with cursors of their own: one
    handed to the other is a 400 (it is sealed for its caller as well as for the list and its owner)."""
    first, second = start(api, student), start(api, student, "airport-checkin")
    linked = TutorMatch(action="approved", studentEmail=student.email, tutorEmail=tutor.email)
    assert api.deliver("follow_tutor_links", "conversation-events", linked) == []
    mine = "/api/ai/chat?limit=1"
    theirs = f"/api/ai/chat?studentEmail={student.email}&limit=1"
    status, students_page = api.call("get", mine, user=student)
    assert status == 200 and students_page["cursor"]
    status, tutors_page = api.call("get", theirs, user=tutor)
    assert status == 200 and tutors_page["cursor"]
    for path, user, cursor in ((theirs, tutor, students_page["cursor"]), (mine, student, tutors_page["cursor"])):
        status, refused = api.call("get", f"{path}&cursor={cursor}", user=user)
        assert (status, refused["error"]) == (400, "INVALID_CURSOR")
    pages = [
        [students_page, api.call("get", f"{mine}&cursor={students_page['cursor']}", user=student)[1]],
        [tutors_page, api.call("get", f"{theirs}&cursor={tutors_page['cursor']}", user=tutor)[1]],
    ]
    for each in pages:  # each caller's own cursor goes on to the next page
        assert [c["conversationId"] for p in each for c in p["conversations"]] == [
            second["conversationId"],
            first["conversationId"],
        ]
