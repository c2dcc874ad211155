"""Conversation use cases with in-memory ports: start, messages, the turn worker's idempotency and limits,
feedback, the end report and who may read what."""

from datetime import datetime

import pytest
from chalicelib import service
from chalicelib.domain.conversation import TURN_LIMIT
from speaktracker.errors import Conflict, Invalid, NotFound, PayloadTooLarge, Unavailable, Unprocessable

from .fakes import OTHER, STUDENT, TUTOR, make_context


@pytest.fixture
def ctx():
    return make_context()


def start(ctx, scenario="cafe-order"):
    return service.start(ctx, STUDENT, "중급", None, scenario, None, None)


def say(ctx, conversation_id, text=None, audio=None, receive_count=1):
    request = service.send_message(ctx, STUDENT, conversation_id, text, audio, "audio/wav" if audio else None, None)
    queued = len(ctx.queue.sent)
    service.answer_turn(ctx, ctx.queue.body(), receive_count)
    for follow_up in range(queued, len(ctx.queue.sent)):  # the feedback message the reply queued
        service.answer_turn(ctx, ctx.queue.body(follow_up), 1)
    return ctx.store.get_request(request.request_id)


def test_the_partner_speaks_first_with_speech_made_once_per_voice_and_text(ctx):
    first, second = start(ctx), start(ctx)
    assert first.opener.ai_message.startswith("Good morning!") and first.opener.ai_message_ko
    assert first.audio_url and first.opener.ai_audio_key.startswith("tts/conversation/")
    assert first.conversation.conversation_id != second.conversation.conversation_id
    assert ctx.mouth.spoken == [first.opener.ai_message]  # the second opener reused the audio


def test_a_typed_turn_is_answered_saved_announced_and_coached(ctx):
    started = start(ctx)
    request = say(ctx, started.conversation.conversation_id, "I very like latte")
    assert request.status == "COMPLETED" and request.notified and request.feedback_done
    [opener, turn] = ctx.store.turns(started.conversation.conversation_id)
    assert turn.heard_text == "I very like latte" and turn.index == 1
    assert "latte" not in turn.ai_message.lower().split()[:1]
    [reply] = ctx.events.of("ai_reply_ready")
    assert (reply.status, reply.ai_message, reply.turn_count) == ("COMPLETED", turn.ai_message, 1)
    corrections = turn.feedback["corrections"]
    assert corrections[0]["corrected"] == "I really like" and corrections[0]["explanationKo"]
    assert turn.feedback["pronunciation"] is None  # typed: nothing to score
    assert turn.feedback["newWords"] == ["latte"] and turn.feedback["unclearWords"] == []
    [counted] = ctx.events.of("conversation_turn_completed")
    assert (counted.turn_index, counted.words, counted.speaking_seconds) == (1, 4, 0)
    assert counted.occurred_at == datetime.fromisoformat(turn.created_at)  # the turn's time, not the feedback's
    assert ctx.store.get(started.conversation.conversation_id).pending_request_id is None


def test_a_turns_saved_feedback_is_announced_after_its_reply(ctx):
    started = start(ctx)
    request = say(ctx, started.conversation.conversation_id, "I very like latte")
    turn = ctx.store.turns(started.conversation.conversation_id)[1]
    kinds = [e.type for e in ctx.events.published]
    assert kinds.index("ai_reply_ready") < kinds.index("turn_feedback_ready")
    [ready] = ctx.events.of("turn_feedback_ready")
    assert (ready.request_id, ready.conversation_id, ready.student_email, ready.turn_index) == (
        request.request_id,
        started.conversation.conversation_id,
        STUDENT.email,
        1,
    )
    assert ready.feedback == turn.feedback and ready.feedback["status"] == "READY"


def test_feedback_whose_announcement_failed_is_announced_on_redelivery_under_the_same_event_id(ctx):
    started = start(ctx)
    request = service.send_message(ctx, STUDENT, started.conversation.conversation_id, "Hi", None, None, None)
    service.answer_turn(ctx, ctx.queue.body(), 1)
    feedback_message = ctx.queue.body(len(ctx.queue.sent) - 1)
    original, failed = ctx.events.publish, []

    def fail_feedback_once(event):
        if event.type == "turn_feedback_ready" and not failed:
            failed.append(event)
            raise ConnectionError("topic down")
        original(event)

    ctx.events.publish = fail_feedback_once
    with pytest.raises(ConnectionError):
        service.answer_turn(ctx, feedback_message, 1)
    assert ctx.store.get_request(request.request_id).feedback_done  # saved before the announcement
    service.answer_turn(ctx, feedback_message, 2)
    service.answer_turn(ctx, feedback_message, 3)  # a redelivery after success publishes the same event again
    announced = ctx.events.of("turn_feedback_ready")
    assert len(announced) == 2 and announced[0].event_id == announced[1].event_id
    assert len(ctx.events.of("conversation_turn_completed")) == 1


def test_a_spoken_turn_is_recognised_and_its_pronunciation_scored(ctx):
    started = start(ctx)
    request = say(ctx, started.conversation.conversation_id, audio=b"say:a large americano please")
    turn = ctx.store.turns(started.conversation.conversation_id)[1]
    assert turn.heard_text == "a large americano please" and turn.user_audio_key.startswith("user-audio/sub-minji/")
    assert turn.speaking_ms > 0 and request.status == "COMPLETED"
    assert turn.feedback["pronunciation"]["weakestSounds"][0]["phoneme"] == "TH"
    assert ctx.events.of("conversation_turn_completed")[0].speaking_seconds > 0


def test_a_redelivered_message_adds_no_second_turn_and_no_second_push(ctx):
    started = start(ctx)
    say(ctx, started.conversation.conversation_id, "A latte, please.")
    service.answer_turn(ctx, ctx.queue.reply_body(), 2)
    service.answer_turn(ctx, ctx.queue.body(), 2)  # and the feedback message, twice
    assert len(ctx.store.turns(started.conversation.conversation_id)) == 2
    assert len(ctx.events.of("ai_reply_ready")) == 1 and len(ctx.events.of("conversation_turn_completed")) == 1


def test_a_push_that_failed_is_made_on_redelivery_without_redoing_the_turn(ctx):
    started = start(ctx)
    service.send_message(ctx, STUDENT, started.conversation.conversation_id, "Hi", None, None, None)
    ctx.events.fail_next = 1
    with pytest.raises(ConnectionError):
        service.answer_turn(ctx, ctx.queue.body(), 1)
    spoken = len(ctx.mouth.spoken)
    service.answer_turn(ctx, ctx.queue.body(), 2)
    assert len(ctx.events.of("ai_reply_ready")) == 1 and len(ctx.mouth.spoken) == spoken
    assert len(ctx.store.turns(started.conversation.conversation_id)) == 2


def test_a_second_message_while_one_is_processing_is_409_and_writes_nothing(ctx):
    started = start(ctx)
    cid = started.conversation.conversation_id
    service.send_message(ctx, STUDENT, cid, "Hello", None, None, None)
    objects = dict(ctx.recordings.objects)
    with pytest.raises(Conflict) as busy:
        service.send_message(ctx, STUDENT, cid, None, b"say:hello again", "audio/wav", None)
    assert busy.value.code == "REPLY_IN_PROGRESS"
    assert ctx.recordings.objects == objects and len(ctx.store.requests) == 1 and len(ctx.queue.sent) == 1
    service.answer_turn(ctx, ctx.queue.body(), 1)
    assert [step for _, step in ctx.queue.sent] == ["reply", "feedback"]  # the reply queues its feedback


def test_an_abandoned_request_stops_blocking_after_its_deadline(ctx):
    started = start(ctx)
    cid = started.conversation.conversation_id
    service.send_message(ctx, STUDENT, cid, "Hello", None, None, None)
    ctx.clock.advance(seconds=ctx.deadline.total_seconds() + 1)
    assert service.send_message(ctx, STUDENT, cid, "Hello?", None, None, None).status == "PROCESSING"


def test_a_reply_that_keeps_failing_is_failed_with_its_reason_and_the_learner_can_send_again(ctx):
    started = start(ctx)
    cid = started.conversation.conversation_id
    ctx.ears.failures = 2
    request = service.send_message(ctx, STUDENT, cid, None, b"say:hello", "audio/wav", None)
    with pytest.raises(Unavailable):
        service.answer_turn(ctx, ctx.queue.body(), 1)  # not the last receive: SQS retries it
    assert ctx.store.get_request(request.request_id).status == "PROCESSING"
    service.answer_turn(ctx, ctx.queue.body(), 2)
    failed = ctx.store.get_request(request.request_id)
    assert failed.status == "FAILED" and "after 2 attempts" in failed.reason
    assert failed.reason_code == "SPEECH_ENGINE_FAILED"
    [announced] = ctx.events.of("ai_reply_ready")
    assert announced.status == "FAILED" and announced.reason == failed.reason
    assert say(ctx, cid, "Hello").status == "COMPLETED"


def test_nothing_heard_fails_at_once_without_retrying(ctx):
    started = start(ctx)
    request = service.send_message(
        ctx, STUDENT, started.conversation.conversation_id, None, b"say: ", "audio/wav", None
    )
    service.answer_turn(ctx, ctx.queue.body(), 1)
    assert ctx.store.get_request(request.request_id).reason_code == "NOTHING_HEARD"


@pytest.mark.parametrize(
    "text, audio, error, code",
    [
        ("", None, Invalid, "EMPTY_MESSAGE"),
        ("   ", None, Invalid, "EMPTY_MESSAGE"),
        ("x" * 501, None, Invalid, "MESSAGE_TOO_LONG"),
        ("안녕하세요", None, Invalid, "MESSAGE_NOT_ENGLISH"),
        (None, b"silence", Unprocessable, "AUDIO_SILENT"),
        (None, b"not audio", Invalid, "AUDIO_UNDECODABLE"),
        (None, b"say:" + b"x" * (service.MAX_AUDIO_BYTES), PayloadTooLarge, "RECORDING_TOO_LARGE"),
    ],
)
def test_bad_messages_are_refused_before_anything_is_written(ctx, text, audio, error, code):
    started = start(ctx)
    puts = ctx.recordings.puts
    with pytest.raises(error) as refused:
        service.send_message(ctx, STUDENT, started.conversation.conversation_id, text, audio, "audio/wav", None)
    assert refused.value.code == code
    assert ctx.recordings.puts == puts and not ctx.store.requests and not ctx.queue.sent


def test_a_queue_that_refuses_the_message_fails_the_request_and_frees_the_conversation(ctx):
    started = start(ctx)
    ctx.queue.refuse = True
    with pytest.raises(Unavailable):
        service.send_message(ctx, STUDENT, started.conversation.conversation_id, "Hi", None, None, None)
    ctx.queue.refuse = False
    assert service.send_message(ctx, STUDENT, started.conversation.conversation_id, "Hi", None, None, None)


def test_the_turn_limit_ends_the_conversation_with_a_report_and_refuses_more(ctx):
    started = start(ctx)
    cid = started.conversation.conversation_id
    lines = ["I'd like an iced latte", "A large one please", "For here, by card", "Do you have wifi?"]
    for i in range(TURN_LIMIT):
        assert say(ctx, cid, lines[i % len(lines)]).status == "COMPLETED"
    conversation = ctx.store.get(cid)
    assert conversation.ended and conversation.report["endedBy"] == "turn_limit"
    assert conversation.report["turns"] == TURN_LIMIT and conversation.report["success"] is True
    assert "goodbye" in ctx.store.turns(cid)[-1].ai_message.lower()
    with pytest.raises(Conflict) as ended:
        service.send_message(ctx, STUDENT, cid, "One more?", None, None, None)
    assert ended.value.code == "CONVERSATION_ENDED"


def test_the_end_report_measures_the_turns_and_is_the_same_when_asked_again(ctx):
    started = start(ctx)
    cid = started.conversation.conversation_id
    say(ctx, cid, audio=b"say:i very like latte")
    say(ctx, cid, "A medium please")
    ended = service.end(ctx, STUDENT, cid)
    report = ended.report
    # one correction in two turns is 75, but seven words are little evidence: 50 + 25 * 7/40
    assert report["scores"]["accuracy"] == 78.0 and report["scores"]["grammar"] == 54.4
    assert report["cefr"]["band"] == "A1" and report["cefr"]["evidence"]["words"] == 7
    assert report["goals"][0]["met"] and report["goals"][1]["met"] and not report["goals"][2]["met"]
    assert report["success"] is False and report["cefr"]["isEstimate"] is True
    assert report["rewrittenSentences"][0]["better"] == "I really like latte"
    assert report["nextFocus"]["area"] in ("accuracy", "fluency", "grammar", "vocabulary")
    assert service.end(ctx, STUDENT, cid).report == report
    with pytest.raises(Conflict):
        service.hint(ctx, STUDENT, cid)


def test_a_hint_suggests_what_meets_the_next_open_goal(ctx):
    started = start(ctx)
    cid = started.conversation.conversation_id
    assert "latte" in service.hint(ctx, STUDENT, cid).suggestion
    say(ctx, cid, "An americano please")
    assert service.hint(ctx, STUDENT, cid).suggestion == "A medium, please."


def test_only_the_student_and_their_tutor_read_a_conversation_and_others_get_404(ctx):
    started = start(ctx)
    cid = started.conversation.conversation_id
    request = say(ctx, cid, "Hello")
    for who in (OTHER, TUTOR):
        with pytest.raises(NotFound):
            service.transcript(ctx, who, cid)
    with pytest.raises(NotFound):
        service.request_status(ctx, OTHER, request.request_id)
    with pytest.raises(NotFound):
        service.send_message(ctx, OTHER, cid, "Hi", None, None, None)
    with pytest.raises(NotFound):
        service.end(ctx, OTHER, cid)
    from speaktracker.events import TutorMatch

    ctx.links.change(STUDENT.email, TUTOR.email, True, ctx.now())
    assert len(service.transcript(ctx, TUTOR, cid).turns) == 2
    assert [c.conversation_id for c in service.list_conversations(ctx, TUTOR, None, 20, STUDENT.email).items] == [cid]
    service.apply_tutor_match(ctx, TutorMatch(action="ended", studentEmail=STUDENT.email, tutorEmail=TUTOR.email))
    with pytest.raises(NotFound):
        service.transcript(ctx, TUTOR, cid)


def test_my_conversations_are_listed_newest_first_in_pages(ctx):
    ids = []
    for _ in range(3):
        ids.append(start(ctx).conversation.conversation_id)
        ctx.clock.advance(minutes=1)
    first = service.list_conversations(ctx, STUDENT, None, 2, None)
    assert [c.conversation_id for c in first.items] == ids[::-1][:2] and first.cursor
    assert [c.conversation_id for c in service.list_conversations(ctx, STUDENT, first.cursor, 2, None).items] == [
        ids[0]
    ]


def test_a_claude_outage_at_the_start_falls_back_to_the_scripted_opener():
    class Down:
        name = "claude"

        def opening(self, scenario, level):
            raise Unavailable("busy", "AI_UNAVAILABLE")

    ctx = make_context(partner=Down())
    assert start(ctx).opener.ai_message.startswith("Good morning!")


def test_a_free_topic_gets_its_own_scenario_and_a_known_topic_its_scenario(ctx):
    free = service.start(ctx, STUDENT, "초급", "space travel", None, "astronaut", None)
    assert free.scenario.scenario_id == "free" and "space travel" in free.opener.ai_message
    assert free.conversation.role == "astronaut"
    known = service.start(ctx, STUDENT, "중", "일상 대화", None, None, None)
    assert known.scenario.topic == "daily"
    with pytest.raises(Invalid):
        service.start(ctx, STUDENT, "중", None, None, None, None)
    with pytest.raises(NotFound):
        service.start(ctx, STUDENT, "중", None, "no-such", None, None)
    with pytest.raises(Invalid):
        service.start(ctx, STUDENT, "expert", None, "cafe-order", None, None)
