from datetime import date

import pytest
from chalicelib import service
from chalicelib.domain.sentences import sentence_key
from chalicelib.multipart import parse_form
from speaktracker.errors import Forbidden, Invalid, NotFound, PayloadTooLarge, UnsupportedMediaType

from .fakes import Clock, assessment, make_practice, student

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(100)


def evaluate(
    ctx, text="How was your day?", audio=WAV, content_type="audio/wav", filename="take.wav", session_id=None, who=None
):
    return service.evaluate_recording(ctx, who or student(), audio, content_type, filename, text, session_id)


def test_an_assessment_is_kept_counted_and_sent_to_the_tutor():
    ctx = make_practice()
    ctx.assessor.next = assessment(88.5, duration_ms=2600)
    answer = evaluate(ctx)
    assert answer["overallScore"] == 88.5 and answer["grade"] == "A" and answer["resultId"].startswith("res-")
    assert answer["audioKey"].startswith("user-audio/sub-kim/") and answer["audioKey"].endswith(".wav")
    assert ctx.files.objects[answer["audioKey"]] == (WAV, "audio/wav")
    [kept] = ctx.results.rows
    assert kept.original_text == "How was your day?" and kept.sentence_key == sentence_key("how was your day")
    [day] = ctx.statistics.days("kim@example.com", date(2025, 1, 30), date(2025, 1, 30))
    assert (day.evaluation_count, day.score_total, day.total_speaking_time) == (1, 88.5, 3)  # no open session
    [event] = ctx.events.events
    assert (event.type, event.student_email, event.overall_score) == ("practice_result", "kim@example.com", 88.5)
    assert (event.speaking_seconds, event.session_id) == (2.6, None)
    assert ctx.mastery.get("kim@example.com", kept.sentence_key).last_score == 88.5


def test_speech_in_an_open_session_reaches_the_day_when_it_ends():
    clock = Clock()
    ctx = make_practice(clock=clock)
    session = service.start_session(ctx, student(), "practice", None)
    ctx.assessor.next = assessment(80, duration_ms=4000)
    assert evaluate(ctx)["sessionId"] == session.session_id
    assert evaluate(ctx, session_id=session.session_id)["sessionId"] == session.session_id
    assert {e.session_id for e in ctx.events.events} == {session.session_id}
    clock.advance(minutes=5)
    ended = service.end_session(ctx, student(), session.session_id)
    assert ended.speaking_duration == 8 and ended.evaluation_count == 2
    [day] = ctx.statistics.days("kim@example.com", date(2025, 1, 30), date(2025, 1, 30))
    assert (day.total_speaking_time, day.evaluation_count, day.practice_count) == (8, 2, 1)
    with pytest.raises(NotFound):
        evaluate(ctx, session_id="sess-unknown")


def test_the_recording_keeps_the_sentences_topic_when_it_was_served():
    ctx = make_practice()
    made = service.generate_sentences(ctx, student(), "상", "건강", 1, None, None)
    evaluate(ctx, text=made.sentences[0].sentence.english)
    assert ctx.results.rows[0].topic == "health" and ctx.results.rows[0].level == "advanced"


def test_a_failed_tutor_push_does_not_cost_the_student_their_result():
    ctx = make_practice()
    ctx.events.fail = True
    assert evaluate(ctx)["overallScore"] == 90.0 and len(ctx.results.rows) == 1


@pytest.mark.parametrize(
    "kwargs, error, code",
    [
        ({"text": "   "}, Invalid, "EMPTY_TEXT"),
        ({"text": "안녕하세요"}, Invalid, "TEXT_NOT_ENGLISH"),
        ({"text": "word " * 100}, Invalid, "TEXT_TOO_LONG"),
        ({"audio": b""}, Invalid, "EMPTY_AUDIO"),
        ({"audio": bytes(10 * 1024 * 1024 + 1)}, PayloadTooLarge, "RECORDING_TOO_LARGE"),
        ({"content_type": "audio/mpeg", "filename": "take.mp3"}, UnsupportedMediaType, "UNSUPPORTED_AUDIO_FORMAT"),
        (
            {"content_type": "application/octet-stream", "filename": "take.exe"},
            UnsupportedMediaType,
            "UNSUPPORTED_AUDIO_FORMAT",
        ),
    ],
)
def test_bad_uploads_are_clear_4xx(kwargs, error, code):
    ctx = make_practice()
    with pytest.raises(error) as caught:
        evaluate(ctx, **kwargs)
    assert caught.value.code == code and 400 <= caught.value.status < 500
    assert ctx.results.rows == [] and ctx.assessor.calls == []


def test_the_engines_audio_errors_reach_the_student_unchanged():
    ctx = make_practice()
    ctx.assessor.next = PayloadTooLarge("A recording may be at most 30 seconds long.", "AUDIO_TOO_LONG")
    with pytest.raises(PayloadTooLarge):
        evaluate(ctx)
    assert ctx.files.objects == {} and ctx.results.rows == []


def test_a_generic_content_type_is_read_from_the_file_name():
    ctx = make_practice()
    answer = evaluate(ctx, content_type="application/octet-stream", filename="take.webm")
    assert answer["audioKey"].endswith(".webm")


def test_presigned_upload_then_evaluate_by_key():
    ctx = make_practice()
    upload = service.start_recording_upload(ctx, student(), "audio/webm", 40_000)
    key = upload["audioKey"]
    assert key.startswith("user-audio/sub-kim/") and upload["upload"]["fields"]["key"] == key
    with pytest.raises(NotFound):
        service.evaluate_uploaded_recording(ctx, student(), key, "How was your day?", None)
    ctx.files.put(key, WAV, "audio/webm")
    answer = service.evaluate_uploaded_recording(ctx, student(), key, "How was your day?", None)
    assert answer["audioKey"] == key and ctx.assessor.calls[-1][2] == "audio/webm"


@pytest.mark.parametrize(
    "key",
    [
        "user-audio/sub-park/take.wav",
        "user-audio/sub-kim/../sub-park/take.wav",
        "tts/abc.wav",
        "user-audio/sub-kimberly/take.wav",
    ],
)
def test_keys_outside_the_callers_folder_are_refused(key):
    ctx = make_practice()
    ctx.files.put(key, WAV, "audio/wav")
    with pytest.raises(Forbidden) as caught:
        service.evaluate_uploaded_recording(ctx, student(), key, "Hello there", None)
    assert caught.value.code == "NOT_YOUR_RECORDING"


def test_upload_requests_are_checked_before_signing():
    ctx = make_practice()
    with pytest.raises(PayloadTooLarge):
        service.start_recording_upload(ctx, student(), "audio/wav", 11 * 1024 * 1024)
    with pytest.raises(UnsupportedMediaType):
        service.start_recording_upload(ctx, student(), "video/mp4", 1000)


def test_results_page_newest_first():
    clock = Clock()
    ctx = make_practice(clock=clock)
    for score in (70, 80, 90):
        ctx.assessor.next = assessment(score)
        evaluate(ctx)
        clock.advance(seconds=1)
    page = service.list_results(ctx, student(), None, 2)
    assert [r["overallScore"] for r in page.items] == [90, 80] and page.cursor
    assert [r["overallScore"] for r in service.list_results(ctx, student(), page.cursor, 2).items] == [70]


# --- multipart ------------------------------------------------------------------------------------
def form(*parts, boundary="----speaktracker"):
    body = b""
    for name, value, filename, content_type in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        if content_type:
            body += f"Content-Type: {content_type}\r\n".encode()
        body += b"\r\n" + value + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_multipart_with_binary_audio_and_korean_text():
    audio = bytes(range(256)) * 4 + b"\r\n--not-the-boundary\r\n"
    body, content_type = form(
        ("audioFile", audio, "take.wav", "audio/wav"), ("originalText", "How was your day? 오늘".encode(), None, None)
    )
    parts = parse_form(body, content_type)
    assert parts["audioFile"].data == audio and parts["audioFile"].filename == "take.wav"
    assert parts["audioFile"].content_type == "audio/wav" and parts["originalText"].content_type is None
    assert parts["originalText"].text() == "How was your day? 오늘"


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"garbage", "multipart/form-data"),
        (b"no parts at all", "multipart/form-data; boundary=xyz"),
    ],
)
def test_broken_multipart_is_a_400(body, content_type):
    with pytest.raises(Invalid) as caught:
        parse_form(body, content_type)
    assert caught.value.code == "INVALID_MULTIPART"
