import pytest
from chalicelib import service
from chalicelib.service import Notifications
from speaktracker.auth import Principal
from speaktracker.errors import Forbidden, Invalid, NotFound
from speaktracker.events import (
    AiReplyReady,
    PracticeResult,
    StudentStatusUpdate,
    TtsReady,
    TurnFeedbackReady,
    TutorMatch,
    UserDeleted,
    parse_event,
)
from speaktracker.student_handles import student_named_by_tutor
from support.student_handles import FakeStudentHandles, FakeTutorLinks

from .inbox_fakes import FakeErasure, FakeEvents, FakeFeedback, FakeInbox, FakePush, FakeReceipts

TUTOR, STUDENT, OTHER_TUTOR = "kim@tutor.com", "lee@student.com", "park@tutor.com"


@pytest.fixture
def ctx():
    return fresh_ctx()


def fresh_ctx():
    inbox, feedback, links = FakeInbox(), FakeFeedback(), FakeTutorLinks()
    return Notifications(
        inbox=inbox,
        feedback=feedback,
        links=links,
        live=FakePush(TUTOR, STUDENT),
        events=FakeEvents(),
        erasure=FakeErasure(inbox, feedback, links),
        receipts=FakeReceipts(),
        handles=FakeStudentHandles(),
        clock=lambda: 1_800_000_000.0,
    )


def match(action, **extra):
    return TutorMatch(action=action, requestId="req-1", studentEmail=STUDENT, tutorEmail=TUTOR, **extra)


def test_a_request_reaches_the_tutor_inbox_and_live(ctx):
    service.deliver(ctx, match("requested", studentName="이학생"))
    [note] = ctx.inbox.of(TUTOR)
    assert note.type == "tutor_match" and "이학생" in note.message and note.pushed
    [frame] = ctx.live.to(TUTOR)
    assert frame["action"] == "requested" and frame["notification"]["notificationId"] == note.notification_id
    assert not ctx.live.to(STUDENT)


def test_redelivery_neither_duplicates_nor_repushes(ctx):
    event = match("requested")
    service.deliver(ctx, event)
    service.deliver(ctx, parse_event(event.to_json()))
    assert len(ctx.inbox.of(TUTOR)) == 1 and len(ctx.live.to(TUTOR)) == 1


def test_a_failed_push_keeps_the_notification_and_a_redelivery_pushes_it(ctx):
    event = match("approved")
    ctx.live.broken = True
    service.deliver(ctx, event)
    [note] = ctx.inbox.of(STUDENT)
    assert not note.pushed and not ctx.live.frames
    ctx.live.broken = False
    service.deliver(ctx, event)
    assert ctx.inbox.of(STUDENT)[0].pushed and len(ctx.live.to(STUDENT)) == 1


def test_approval_links_and_ending_unlinks(ctx):
    service.deliver(ctx, match("approved"))
    assert ctx.links.tutor_of(STUDENT) == TUTOR
    service.deliver(ctx, match("ended", endedBy=STUDENT))
    assert ctx.links.tutor_of(STUDENT) is None
    assert ctx.inbox.of(TUTOR)[0].title.startswith("연결 종료")


def test_rejection_and_cancellation_reach_the_other_side(ctx):
    service.deliver(ctx, match("rejected", reason="Full this month"))
    assert "Full this month" in ctx.inbox.of(STUDENT)[0].message
    service.deliver(ctx, match("cancelled"))
    assert ctx.inbox.of(TUTOR)[0].title.startswith("요청 취소")


def test_status_updates_are_pushed_live_to_the_tutor_only(ctx):
    service.deliver(ctx, StudentStatusUpdate(studentEmail=STUDENT, tutorEmail=TUTOR, room="practice", isLearning=True))
    [frame] = ctx.live.to(TUTOR)
    assert (frame["type"], frame["room"], frame["isLearning"]) == ("student_status_update", "practice", True)
    assert not ctx.inbox.rows


def test_practice_results_go_to_the_linked_tutor_only(ctx):
    result = PracticeResult(studentEmail=STUDENT, resultId="r1", originalText="Hi", overallScore=91.0, grade="A")
    service.deliver(ctx, result)
    assert not ctx.live.frames  # no tutor yet
    ctx.links.change(STUDENT, TUTOR, True, match("approved").occurred_at)
    service.deliver(ctx, result)
    assert ctx.live.to(TUTOR)[0]["overallScore"] == 91.0


def test_tts_and_ai_replies_are_pushed_to_their_owner(ctx):
    service.deliver(ctx, TtsReady(jobId="j1", ownerEmail=STUDENT, status="COMPLETED", sentenceIndex=0))
    service.deliver(
        ctx,
        AiReplyReady(
            requestId="q",
            conversationId="c",
            studentEmail=STUDENT,
            status="COMPLETED",
            aiMessage="Hello!",
            heardText="Hi there",
            turnCount=1,
        ),
    )
    assert [f["type"] for f in ctx.live.to(STUDENT)] == ["tts_ready", "ai_reply"]
    reply = ctx.live.to(STUDENT)[1]
    assert (reply["requestId"], reply["aiMessage"], reply["heardText"], reply["turnCount"]) == (
        "q",
        "Hello!",
        "Hi there",
        1,
    )


def test_a_turns_feedback_is_pushed_live_to_its_learner_once_however_often_it_is_delivered(ctx):
    feedback = {"corrections": [], "newWords": ["latte"], "status": "READY", "pronunciation": None}
    ready = TurnFeedbackReady(requestId="q", conversationId="c", studentEmail=STUDENT, turnIndex=1, feedback=feedback)
    service.deliver(ctx, ready)
    service.deliver(ctx, ready)  # SQS at least once, or conversation publishing again after a failure
    [frame] = ctx.live.to(STUDENT)
    assert frame["type"] == "turn_feedback" and frame["eventId"] == ready.event_id
    assert (frame["requestId"], frame["conversationId"], frame["turnIndex"], frame["feedback"]) == (
        "q",
        "c",
        1,
        feedback,
    )
    assert not ctx.inbox.page(STUDENT, False, None, 10, "sub").items  # live only: nothing for the inbox


def principal(email, role):
    return Principal(user_id="sub", email=email, role=role)


def test_feedback_only_to_own_students_and_recorded_as_sent(ctx):
    with pytest.raises(Forbidden) as caught:
        service.send_feedback(ctx, principal(TUTOR, "tutor"), STUDENT, "Nice!", "text")
    assert caught.value.code == "NOT_YOUR_STUDENT"
    ctx.links.change(STUDENT, TUTOR, True, match("approved").occurred_at)
    with pytest.raises(Forbidden):
        service.send_feedback(ctx, principal(OTHER_TUTOR, "tutor"), STUDENT, "Nice!", "text")
    feedback = service.send_feedback(
        ctx, principal(TUTOR, "tutor"), STUDENT.upper(), " 오늘 발음 연습 잘했어요! ", "praise"
    )
    assert feedback.message == "오늘 발음 연습 잘했어요!" and not ctx.feedback.rows[0].websocket_sent
    [event] = ctx.events.published
    service.deliver(ctx, parse_event(event.to_json()))
    assert ctx.feedback.rows[0].websocket_sent
    assert ctx.live.to(STUDENT)[0]["message"] == "오늘 발음 연습 잘했어요!"
    assert ctx.inbox.of(STUDENT)[0].type == "feedback"


@pytest.mark.parametrize(
    "message, kind, code", [("   ", "text", "EMPTY_MESSAGE"), ("Hi", "shout", "INVALID_MESSAGE_TYPE")]
)
def test_feedback_input_errors(ctx, message, kind, code):
    ctx.links.change(STUDENT, TUTOR, True, match("approved").occurred_at)
    with pytest.raises(Invalid) as caught:
        service.send_feedback(ctx, principal(TUTOR, "tutor"), STUDENT, message, kind)
    assert caught.value.code == code


def test_reading_feedback_is_scoped(ctx):
    ctx.links.change(STUDENT, TUTOR, True, match("approved").occurred_at)
    service.send_feedback(ctx, principal(TUTOR, "tutor"), STUDENT, "Good", "text")
    assert len(service.list_feedback(ctx, principal(STUDENT, "student"), None, None, 20).items) == 1
    assert service.list_feedback(ctx, principal("x@student.com", "student"), None, None, 20).items == []
    with pytest.raises(Forbidden):
        service.list_feedback(ctx, principal("x@student.com", "student"), STUDENT, None, 20)
    assert service.list_feedback(ctx, principal(OTHER_TUTOR, "tutor"), STUDENT, None, 20).items == []


def test_inbox_read_and_read_all(ctx):
    service.deliver(ctx, match("requested"))
    service.deliver(ctx, match("cancelled"))
    tutor = principal(TUTOR, "tutor")
    page = service.list_notifications(ctx, tutor, True, None, 20)
    assert len(page.items) == 2
    service.mark_read(ctx, tutor, page.items[0]["notificationId"])
    assert len(service.list_notifications(ctx, tutor, True, None, 20).items) == 1
    with pytest.raises(NotFound):
        service.mark_read(ctx, principal(STUDENT, "student"), page.items[1]["notificationId"])
    assert service.mark_all_read(ctx, tutor) == 1
    assert service.list_notifications(ctx, tutor, True, None, 20).items == []


def test_a_deleted_students_notifications_and_feedback_go_and_their_tutor_is_not_told(ctx):
    service.deliver(ctx, match("requested", studentName="이학생"))
    service.deliver(ctx, match("approved"))
    service.send_feedback(ctx, principal(TUTOR, "tutor"), STUDENT, "Great job!", "praise")
    service.deliver(
        ctx, TutorMatch(action="requested", requestId="r2", studentEmail="other@student.com", tutorEmail=TUTOR)
    )
    service.deliver(ctx, match("ended", endedBy="account_deleted"))  # matching frees the tutor's seat
    for _ in range(2):  # a redelivery changes nothing
        service.deliver(ctx, UserDeleted(email=STUDENT, userId="sub-1", role="student"))
    assert [n.data["studentEmail"] for n in ctx.inbox.rows.values()] == ["other@student.com"]
    assert ctx.feedback.rows == [] and ctx.links.tutor_of(STUDENT) is None
    assert not [f for f in ctx.live.to(TUTOR) if f.get("action") == "ended"]


def test_a_live_only_event_delivered_again_is_pushed_once():
    """SQS delivers at least once, and a worker retried after a crash publishes the same event (its id is derived
    from the job): the student's socket hears tts_ready once."""
    ctx = fresh_ctx()
    ready = TtsReady(eventId="ev-1", jobId="j1", ownerEmail=STUDENT, status="COMPLETED", sentenceIndex=0)
    service.deliver(ctx, ready)
    service.deliver(ctx, ready)
    service.deliver(ctx, TtsReady(eventId="ev-2", jobId="j2", ownerEmail=STUDENT, status="COMPLETED", sentenceIndex=1))
    assert [f["jobId"] for f in ctx.live.to(STUDENT)] == ["j1", "j2"]


def test_a_childs_tutor_gets_every_frame_and_inbox_entry_with_the_handle_and_sends_feedback_by_it(ctx):
    handle = "child-0123456789abcdef01234567"
    child = {"studentHandle": handle, "studentName": "Minji"}
    service.deliver(ctx, match("requested", **child))
    service.deliver(ctx, match("approved", **child))
    assert student_named_by_tutor(ctx.handles, TUTOR, handle) == STUDENT
    assert student_named_by_tutor(ctx.handles, OTHER_TUTOR, handle) is None
    service.deliver(ctx, StudentStatusUpdate(studentEmail=STUDENT, tutorEmail=TUTOR, room="practice", isLearning=True))
    service.deliver(
        ctx, PracticeResult(studentEmail=STUDENT, resultId="r1", originalText="Hi", overallScore=91.0, grade="A")
    )
    to_tutor = ctx.live.to(TUTOR)
    assert [f["type"] for f in to_tutor] == ["tutor_match", "student_status_update", "practice_result"]
    assert {f["studentEmail"] for f in to_tutor} == {handle}
    assert STUDENT not in repr(to_tutor) and STUDENT not in repr(ctx.inbox.of(TUTOR))
    assert ctx.live.to(STUDENT)[0]["studentEmail"] == STUDENT  # the child's own copy

    feedback = service.send_feedback(ctx, principal(TUTOR, "tutor"), handle, "Great linking!", "praise")
    assert feedback.student_email == STUDENT
    with pytest.raises(Forbidden):
        service.send_feedback(ctx, principal(OTHER_TUTOR, "tutor"), handle, "Hi", "text")
    page = service.list_feedback(ctx, principal(TUTOR, "tutor"), handle, None, 20)
    assert [f["studentEmail"] for f in page.items] == [handle]

    service.deliver(ctx, match("ended", endedBy=TUTOR, **child))
    assert student_named_by_tutor(ctx.handles, TUTOR, handle) is None  # the link is gone, so is the handle
