"""Pronunciation assessment of real espeak-ng recordings, by multipart upload and by presigned upload."""

import json
import uuid

import pytest
import requests

from .conftest import espeak_wav

SENTENCE = "How was your day?"
# A sentence of the bank, read without "dinner".
WITH_A_GAP = ("My neighbor invited me to dinner on Friday.", "My neighbor invited me to on Friday.", "dinner")


def multipart(fields, boundary=None):
    boundary = boundary or f"----speaktracker{uuid.uuid4().hex}"
    body = b""
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, content_type, data = value
            head = (
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n"
            )
        else:
            head, data = f'Content-Disposition: form-data; name="{name}"\r\n', value.encode()
        body += f"--{boundary}\r\n{head}\r\n".encode() + data + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def evaluate(api, user, audio, text=SENTENCE, content_type="audio/wav", filename="take.wav", **extra):
    body, form_type = multipart({"audioFile": (filename, content_type, audio), "originalText": text, **extra})
    return api.call("post", "/api/stt/evaluate", raw=body, user=user, content_type=form_type)


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recordings")
    return {
        "whole": espeak_wav(SENTENCE, folder / "whole.wav"),
        "missing": espeak_wav(WITH_A_GAP[1], folder / "missing.wav"),
    }


def test_a_clear_recording_scores_high_with_per_phoneme_detail(api, aws, queues, student, recordings):
    queues.purge("notifications-events")
    status, result = evaluate(api, student, recordings["whole"])
    assert status == 200, result
    assert result["overallScore"] >= 75 and result["grade"] in ("A", "B") and result["feedback"]["ko"]
    assert result["missedWords"] == []
    words = result["words"]
    assert [w["text"].lower().strip("?") for w in words][:4] == ["how", "was", "your", "day"]
    assert all(w["phonemes"] and all("score" in p for p in w["phonemes"]) for w in words)
    assert result["audioKey"].startswith("user-audio/") and result["resultId"].startswith("res-")
    stored = aws.client("s3").get_object(Bucket=aws.settings.name("user-content"), Key=result["audioKey"])
    assert stored["Body"].read() == recordings["whole"]
    item = aws.client("dynamodb").get_item(
        TableName=aws.settings.name("pronunciation-results"),
        Key={"studentEmail": {"S": student.email}, "resultId": {"S": result["resultId"]}},
    )["Item"]
    assert item["audioKey"]["S"] == result["audioKey"] and float(item["overallScore"]["N"]) == result["overallScore"]
    [event] = [e for e in queues.bodies("notifications-events") if e["type"] == "practice_result"]
    assert event["studentEmail"] == student.email and event["resultId"] == result["resultId"]


def test_a_missing_word_is_reported(api, student, recordings):
    status, result = evaluate(api, student, recordings["missing"], text=WITH_A_GAP[0])
    assert status == 200, result
    assert WITH_A_GAP[2] in [w.lower() for w in result["missedWords"]]
    assert [w["errorType"] for w in result["words"] if w["text"].lower() == WITH_A_GAP[2]] == ["omission"]
    assert result["completenessScore"] < 100


def test_evaluations_reach_the_session_results_and_summary(api, student, recordings):
    session = api.call("post", "/api/sessions/start", {"sessionType": "practice"}, user=student)[1]
    status, result = evaluate(api, student, recordings["whole"], sessionId=session["sessionId"])
    assert status == 200 and result["sessionId"] == session["sessionId"]
    status, ended = api.call("post", "/api/sessions/end", {"sessionId": session["sessionId"]}, user=student)
    assert status == 200 and ended["speakingDuration"] >= 1
    results = api.call("get", "/api/results?limit=5", user=student)[1]["results"]
    assert results[0]["resultId"] == result["resultId"] and results[0]["assessment"]["words"]
    summary = api.call("get", "/api/stats/summary", user=student)[1]
    assert summary["evaluationCount"] == 1 and summary["streakDays"] == 1 and summary["totalSpeakingTime"] >= 1


def test_presigned_upload_then_evaluate_by_key(api, student, recordings):
    status, upload = api.call(
        "post", "/api/stt/upload-url", {"contentType": "audio/wav", "size": len(recordings["whole"])}, user=student
    )
    assert status == 200 and upload["audioKey"].startswith("user-audio/")
    form = upload["upload"]
    sent = requests.post(
        form["url"], data=form["fields"], files={"file": ("take.wav", recordings["whole"], "audio/wav")}, timeout=10
    )
    assert sent.status_code in (200, 201, 204), sent.text
    status, result = api.call(
        "post", "/api/stt/evaluate", {"audioKey": upload["audioKey"], "originalText": SENTENCE}, user=student
    )
    assert status == 200, result
    assert result["audioKey"] == upload["audioKey"] and result["overallScore"] >= 70


def test_keys_outside_the_callers_folder_are_refused(api, aws, student, recordings):
    other = aws.user(None, "student")
    upload = api.call("post", "/api/stt/upload-url", {"contentType": "audio/wav", "size": 1000}, user=other)[1]
    status, body = api.call(
        "post", "/api/stt/evaluate", {"audioKey": upload["audioKey"], "originalText": SENTENCE}, user=student
    )
    assert (status, body["error"]) == (403, "NOT_YOUR_RECORDING")
    status, body = api.call(
        "post", "/api/stt/evaluate", {"audioKey": "tts/abc.wav", "originalText": SENTENCE}, user=student
    )
    assert status == 403
    mine = api.call("post", "/api/stt/upload-url", {"contentType": "audio/wav", "size": 1000}, user=student)[1]
    status, body = api.call(
        "post", "/api/stt/evaluate", {"audioKey": mine["audioKey"], "originalText": SENTENCE}, user=student
    )
    assert (status, body["error"]) == (404, "UPLOAD_NOT_FOUND")


@pytest.mark.parametrize(
    "case, expected",
    [
        ("empty text", (400, "EMPTY_TEXT")),
        ("unsupported format", (415, "UNSUPPORTED_AUDIO_FORMAT")),
        ("too large", (413, "RECORDING_TOO_LARGE")),
        ("empty audio", (400, "EMPTY_AUDIO")),
        ("not audio", None),
    ],
)
def test_bad_uploads_get_clear_4xx(api, student, recordings, case, expected):
    audio, text, content_type = recordings["whole"], SENTENCE, "audio/wav"
    if case == "empty text":
        text = "  "
    elif case == "unsupported format":
        content_type = "audio/mpeg"
    elif case == "too large":
        audio = b"RIFF" + bytes(10 * 1024 * 1024)
    elif case == "empty audio":
        audio = b""
    elif case == "not audio":
        audio = b"this is plainly not a recording" * 50
    status, body = evaluate(api, student, audio, text=text, content_type=content_type)
    if expected is None:
        assert 400 <= status < 500 and body["error"] and body["message"], body
    else:
        assert (status, body["error"]) == expected, body


def test_a_recording_over_the_duration_limit_is_refused(api, student, tmp_path):
    long_text = " ".join(["This sentence keeps going for a long time."] * 12)
    audio = espeak_wav(long_text, tmp_path / "long.wav", speed=120)
    status, body = evaluate(api, student, audio, text="This sentence keeps going.")
    assert status in (400, 413, 422) and body["error"] and "30" in body["message"], body


def test_neither_multipart_nor_json_is_415(api, student):
    status, body = api.call("post", "/api/stt/evaluate", raw="hello", user=student, content_type="text/plain")
    assert status == 415, body
    status, body = api.call("post", "/api/stt/evaluate", raw=json.dumps({"originalText": SENTENCE}), user=student)
    assert (status, body["error"]) == (400, "VALIDATION_FAILED")
