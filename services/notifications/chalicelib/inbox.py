"""What an integration event means to its recipients: who hears of it, what the inbox keeps, what is pushed.

Rules only, no IO. Seed scenarios 2 and 5: match requests and their outcome go to the inbox and are pushed;
a student's status and practice results are pushed live to their tutor; feedback goes to the student.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from speaktracker.events import (
    ENDED_BY_DELETION,
    AiReplyReady,
    Event,
    FeedbackSent,
    PracticeResult,
    StudentStatusUpdate,
    TtsReady,
    TurnFeedbackReady,
    TutorMatch,
    UserExportReady,
    shown_to_tutor,
)

INBOX_DAYS = 90


@dataclass(frozen=True)
class Delivery:
    """One recipient's share of an event: a live frame, and an inbox entry when ``keep`` is set."""

    recipient: str
    frame: dict[str, Any]
    keep: bool = False
    title: str = ""
    message: str = ""


@dataclass(frozen=True)
class Notification:
    user_email: str
    notification_id: str
    type: str
    title: str
    message: str
    data: dict[str, Any]
    created_at: str
    read: bool = False
    pushed: bool = False
    expires_at: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "notificationId": self.notification_id,
            "type": self.type,
            "title": self.title,
            "message": self.message,
            "data": self.data,
            "createdAt": self.created_at,
            "read": self.read,
        }


@dataclass
class Interpretation:
    deliveries: list[Delivery] = field(default_factory=list)
    # Feedback pushed to its student: the feedback message records that it went out live.
    feedback_id: str | None = None


def notification_id(event: Event) -> str:
    """Time-ordered and derived from the event, so a redelivered event finds its own row."""
    millis = int(event.occurred_at.timestamp() * 1000)
    return f"{millis:013d}-{event.event_id}"


def interpret(event: Event, tutor_of_student: str | None = None) -> Interpretation:
    if isinstance(event, TutorMatch):
        return _tutor_match(event)
    if isinstance(event, StudentStatusUpdate):
        return Interpretation(
            [
                Delivery(
                    event.tutor_email,
                    _frame(event, studentEmail=event.student_email, room=event.room, isLearning=event.is_learning),
                )
            ]
        )
    if isinstance(event, FeedbackSent):
        frame = _frame(
            event,
            feedbackId=event.feedback_id,
            tutorEmail=event.tutor_email,
            message=event.message,
            messageType=event.message_type,
        )
        return Interpretation(
            [Delivery(event.student_email, frame, keep=True, title="튜터 피드백 / Feedback", message=event.message)],
            feedback_id=event.feedback_id,
        )
    if isinstance(event, PracticeResult):
        if not tutor_of_student:
            return Interpretation()
        frame = _frame(
            event,
            studentEmail=event.student_email,
            resultId=event.result_id,
            originalText=event.original_text,
            overallScore=event.overall_score,
            grade=event.grade,
        )
        return Interpretation([Delivery(tutor_of_student, frame)])
    if isinstance(event, TtsReady):
        return Interpretation(
            [
                Delivery(
                    event.owner_email,
                    _frame(
                        event,
                        jobId=event.job_id,
                        status=event.status,
                        sessionId=event.session_id,
                        sentenceIndex=event.sentence_index,
                        reason=event.reason,
                    ),
                )
            ]
        )
    if isinstance(event, AiReplyReady):
        # Pushed as the seed's "AI reply ready" frame: the SPA plays the reply without polling the status.
        frame = _frame(
            event,
            requestId=event.request_id,
            conversationId=event.conversation_id,
            status=event.status,
            aiMessage=event.ai_message,
            aiMessageKo=event.ai_message_ko,
            audioJobId=event.audio_job_id,
            heardText=event.heard_text,
            turnCount=event.turn_count,
            reason=event.reason,
        )
        return Interpretation([Delivery(event.student_email, {**frame, "type": "ai_reply"})])
    if isinstance(event, TurnFeedbackReady):
        # Live only, like ai_reply: the chat shows the turn's feedback when it is saved (the status route has it too).
        frame = _frame(
            event,
            requestId=event.request_id,
            conversationId=event.conversation_id,
            turnIndex=event.turn_index,
            feedback=event.feedback,
        )
        return Interpretation([Delivery(event.student_email, {**frame, "type": "turn_feedback"})])
    if isinstance(event, UserExportReady):
        # The link itself is fetched from identity (fresh, short-lived): the inbox keeps the export id only.
        frame = _frame(event, exportId=event.export_id, availableUntil=event.available_until)
        text = "데이터 내보내기가 준비되었습니다. / Your data export is ready to download."
        return Interpretation([Delivery(event.email, frame, True, "데이터 내보내기 / Data export", text)])
    return Interpretation()


def _tutor_match(event: TutorMatch) -> Interpretation:
    student = event.student_name or shown_to_tutor(event.student_email, event.student_handle)
    tutor = event.tutor_name or event.tutor_email
    frame = _frame(
        event,
        action=event.action,
        requestId=event.request_id,
        studentEmail=event.student_email,
        tutorEmail=event.tutor_email,
        reason=event.reason,
    )
    if event.action == "requested":
        text = f"{student}님이 매칭을 요청했습니다. / {student} asked you to be their tutor."
        return Interpretation([Delivery(event.tutor_email, frame, True, "새로운 매칭 요청 / New request", text)])
    if event.action == "approved":
        text = f"{tutor}님과 매칭되었습니다. / {tutor} is now your tutor."
        return Interpretation([Delivery(event.student_email, frame, True, "매칭 완료 / Matched", text)])
    if event.action == "rejected":
        reason = f" ({event.reason})" if event.reason else ""
        text = f"{tutor}님이 요청을 거절했습니다.{reason} / {tutor} declined your request.{reason}"
        return Interpretation([Delivery(event.student_email, frame, True, "매칭 거절 / Declined", text)])
    if event.action == "cancelled":
        text = f"{student}님이 요청을 취소했습니다. / {student} cancelled their request."
        return Interpretation([Delivery(event.tutor_email, frame, True, "요청 취소 / Cancelled", text)])
    if event.ended_by == ENDED_BY_DELETION:  # nobody is told; the deleted account leaves no trace here
        return Interpretation([])
    other = event.tutor_email if event.ended_by == event.student_email else event.student_email
    text = "튜터 연결이 종료되었습니다. / The tutoring link has ended."
    return Interpretation([Delivery(other, frame, True, "연결 종료 / Link ended", text)])


def _frame(event: Event, **fields: Any) -> dict[str, Any]:
    return {
        "type": event.type,
        "eventId": event.event_id,
        "occurredAt": event.occurred_at.isoformat(),
        **{k: v for k, v in fields.items() if v is not None},
    }


def notification_for(event: Event, delivery: Delivery, expires_at: int) -> Notification:
    data = {k: v for k, v in delivery.frame.items() if k not in ("type", "eventId", "occurredAt")}
    return Notification(
        user_email=delivery.recipient,
        notification_id=notification_id(event),
        type=event.type,
        title=delivery.title,
        message=delivery.message,
        data=data,
        created_at=event.occurred_at.isoformat(),
        expires_at=expires_at,
    )


FEEDBACK_TYPES = ("text", "praise", "correction", "assignment")
FEEDBACK_MAX_CHARS = 2000
