"""Conversation use cases (seed scenario 4), one function per user action; ports come in through ``Conversations``.

A learner's message is accepted at once (202) and answered by the turn worker from the ai-chat queue:
recognise → partner's reply → speech → the turn is saved and the request COMPLETED → ``ai_reply`` is pushed
(through notifications) → feedback and pronunciation are added to the turn → practice hears of the turn.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from speaktracker import logging as slog
from speaktracker import observability
from speaktracker.auth import Principal
from speaktracker.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    PayloadTooLarge,
    Unavailable,
    UnsupportedMediaType,
)
from speaktracker.events import AiReplyReady, ConversationTurnCompleted, TurnFeedbackReady, TutorMatch, UserDeleted
from speaktracker.student_handles import StudentHandles, follow_link, shown_to, student_named_by_tutor
from speaktracker.tutor_links import follow_match

from .domain import report as reports
from .domain.conversation import (
    MAX_AUDIO_BYTES,
    Conversation,
    ReplyRequest,
    Turn,
    audio_id,
    clean_message,
    iso_utc,
    new_conversation_id,
    new_request_id,
    recording_key,
    utcnow,
)
from .domain.scenarios import Catalogue, Level, Scenario, free_scenario, level_of
from .ports import (
    Coach,
    ConversationStore,
    Ears,
    Erasure,
    Mouth,
    Page,
    Partner,
    PronunciationScorer,
    Publisher,
    RecordingStore,
    ReplyQueue,
    TutorLinks,
)

_log = slog.get_logger("conversation.service")
AUDIO_TYPES = {
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/webm": "webm",
    "video/webm": "webm",
    "audio/ogg": "ogg",
    "application/ogg": "ogg",
    "audio/mp4": "mp4",
    "audio/m4a": "mp4",
    "audio/x-m4a": "mp4",
    "audio/mpeg": "mp3",
}


class MalformedTurnMessage(ValueError):
    """An ai-chat message that names no request: nothing to mark, so it goes to the dead-letter queue."""


class TurnMessage(BaseModel):
    """An ai-chat message: make the reply, or (a second message, once the reply is out) the feedback."""

    model_config = ConfigDict(defer_build=True, populate_by_name=True, extra="ignore")
    request_id: str = Field(alias="requestId", min_length=1, max_length=100)
    conversation_id: str = Field(alias="conversationId", min_length=1, max_length=100)
    step: Literal["reply", "feedback"] = "reply"


@dataclass
class Conversations:
    store: ConversationStore
    queue: ReplyQueue
    recordings: RecordingStore
    ears: Ears
    mouth: Mouth
    scorer: PronunciationScorer
    partner: Partner
    coach: Coach
    fallback: Partner  # the scripted partner, behind Claude when a synchronous call fails
    catalogue: Catalogue
    links: TutorLinks
    events: Publisher
    erasure: Erasure
    handles: StudentHandles
    max_receive_count: int = 2
    deadline: timedelta = timedelta(minutes=8)
    presigned_url_seconds: int = 900
    clock: Callable[[], datetime] = field(default=utcnow)

    def now(self) -> datetime:
        return self.clock()


# --- whose conversation -----------------------------------------------------------------------------
def _readable(ctx: Conversations, principal: Principal, conversation_id: str) -> Conversation:
    """The conversation if the caller is its student or that student's tutor; 404 for anyone else, so a
    stranger cannot even learn that it exists."""
    conversation = ctx.store.get(conversation_id)
    if conversation is not None:
        if principal.is_student and conversation.student_email == principal.email:
            return conversation
        if principal.is_tutor and ctx.links.tutor_of(conversation.student_email) == principal.email:
            return conversation
    raise NotFound("You have no such conversation.", "CONVERSATION_NOT_FOUND")


def _own(ctx: Conversations, principal: Principal, conversation_id: str) -> Conversation:
    conversation = ctx.store.get(conversation_id)
    if conversation is None or conversation.student_email != principal.email:
        raise NotFound("You have no such conversation.", "CONVERSATION_NOT_FOUND")
    return conversation


def _folder(principal: Principal) -> str:
    return _folder_of(principal.user_id, principal.email)


def _folder_of(user_id: str, email: str) -> str:
    return user_id or hashlib.sha256(email.encode()).hexdigest()[:32]


# --- scenarios and starting -------------------------------------------------------------------------
def list_scenarios(ctx: Conversations, difficulty: str | None) -> list[Scenario]:
    return ctx.catalogue.all(level_of(difficulty) if difficulty else None)


@dataclass(frozen=True)
class Started:
    conversation: Conversation
    opener: Turn
    scenario: Scenario
    audio_url: str | None


def start(
    ctx: Conversations,
    principal: Principal,
    difficulty: str | None,
    topic: str | None,
    scenario_id: str | None,
    role: str | None,
    situation: str | None,
) -> Started:
    level = level_of(difficulty)
    scenario = _choose_scenario(ctx, level, topic, scenario_id, role, situation)
    now = ctx.now()
    line = _synchronously(ctx, lambda partner: partner.opening(scenario, level))
    conversation = Conversation(
        conversation_id=new_conversation_id(now),
        student_email=principal.email,
        scenario_id=scenario.scenario_id,
        level=level,
        started_at=iso_utc(now),
        topic=scenario.topic if scenario.scenario_id != "free" else (topic or "").strip(),
        role=role.strip() if role else None,
        situation=situation.strip() if situation else None,
        last_message=line.reply,
    )
    audio_key, voice_id = _speech_for(ctx, line.reply)
    opener = Turn(
        conversation.conversation_id,
        0,
        line.reply,
        line.reply_ko,
        iso_utc(now),
        ai_audio_key=audio_key,
        ai_audio_id=voice_id,
    )
    ctx.store.start(conversation, opener)
    return Started(conversation, opener, scenario, _url(ctx, audio_key))


def _choose_scenario(
    ctx: Conversations,
    level: Level,
    topic: str | None,
    scenario_id: str | None,
    role: str | None,
    situation: str | None,
) -> Scenario:
    if scenario_id:
        return ctx.catalogue.get(scenario_id.strip())
    topic = (topic or "").strip()
    if not topic:
        raise Invalid("Choose a scenarioId (GET /api/ai/scenarios) or name a topic.", "SCENARIO_REQUIRED")
    found = None if (role or situation) else ctx.catalogue.for_topic(topic, level)
    return found or free_scenario(topic, role, situation)


def _synchronously(ctx: Conversations, ask: Callable[[Partner], Any]) -> Any:
    """A route waits for the partner: if the configured engine fails, the scripted one answers instead, so
    the learner is never left without an opening line or a hint."""
    try:
        return ask(ctx.partner)
    except Unavailable as error:
        if ctx.partner is ctx.fallback:
            raise
        slog.log(_log, logging.WARNING, "partner failed; the scripted partner answers", code=error.code)
        return ask(ctx.fallback)


def _speech_for(ctx: Conversations, text: str) -> tuple[str, str]:
    """The reply's audio key, made once per (voice, text) and reused after."""
    identity = audio_id(ctx.mouth.voice, text)
    key = f"tts/conversation/{identity}.{ctx.mouth.extension}"
    if not ctx.recordings.exists(key):
        voice = ctx.mouth.speak(text)
        ctx.recordings.put(key, voice.audio, voice.content_type)
    return key, identity


def _url(ctx: Conversations, key: str | None) -> str | None:
    return ctx.recordings.presign_download(key) if key else None


# --- sending a message ------------------------------------------------------------------------------
def send_message(
    ctx: Conversations,
    principal: Principal,
    conversation_id: str,
    text: str | None,
    audio: bytes | None,
    audio_content_type: str | None,
    audio_key: str | None,
) -> ReplyRequest:
    """Checks everything that can be checked now (so bad input is a 4xx and nothing is written), stores
    the recording, holds the conversation for this request and queues it."""
    typed = clean_message(text)
    conversation = _own(ctx, principal, conversation_id)
    conversation.check_can_take_message()
    if audio is None and audio_key is None and not typed:
        raise Invalid("Send userMessage, audioData or audioKey: the message is empty.", "EMPTY_MESSAGE")
    now = ctx.now()
    stored_key, content_type, uploaded_here = None, None, False
    if audio is not None:
        _check_audio_size(len(audio))
        content_type = audio_content_type or "audio/wav"
        extension = _extension(content_type)
        ctx.ears.check(audio)
        stored_key = recording_key(_folder(principal), now, extension)
        ctx.recordings.put(stored_key, audio, content_type)
        uploaded_here = True
    elif audio_key is not None:
        stored_key, content_type = _uploaded(ctx, principal, audio_key)
    request = ReplyRequest(
        request_id=new_request_id(),
        conversation_id=conversation_id,
        student_email=principal.email,
        created_at=iso_utc(now),
        typed_text=typed,
        audio_key=stored_key,
        audio_content_type=content_type,
    )
    try:
        ctx.store.open_request(conversation, request, now - ctx.deadline)
    except DomainError:
        if uploaded_here:
            ctx.recordings.delete(stored_key)
        raise
    try:
        ctx.queue.send(request)
    except Exception as exc:
        _log.exception("the ai-chat queue refused the request")
        ctx.store.fail_request(
            request.failed("The message could not be queued; please send it again.", "QUEUE_UNAVAILABLE", ctx.now())
        )
        raise Unavailable("The message could not be queued; please send it again.", "QUEUE_UNAVAILABLE") from exc
    return request


def _check_audio_size(size: int) -> None:
    if size <= 0:
        raise Invalid("The recording is empty.", "AUDIO_EMPTY")
    if size > MAX_AUDIO_BYTES:
        raise PayloadTooLarge(
            f"A recording must be at most {MAX_AUDIO_BYTES // (1024 * 1024)} MB.",
            "RECORDING_TOO_LARGE",
            {"maxBytes": MAX_AUDIO_BYTES},
        )


def _extension(content_type: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if kind not in AUDIO_TYPES:
        raise UnsupportedMediaType(
            "Record as WAV, WebM, Ogg or MP4 audio.", "UNSUPPORTED_AUDIO_FORMAT", {"accepted": sorted(AUDIO_TYPES)}
        )
    return AUDIO_TYPES[kind]


def _uploaded(ctx: Conversations, principal: Principal, key: str) -> tuple[str, str]:
    """A recording the learner uploaded with practice's presigned POST: it must be under their own folder."""
    key = key.strip()
    prefix = f"user-audio/{_folder(principal)}/"
    if not key.startswith(prefix) or ".." in key or len(key) > 300:
        raise Forbidden("That recording does not belong to you.", "NOT_YOUR_RECORDING")
    found = ctx.recordings.read(key, MAX_AUDIO_BYTES)
    if found is None:
        raise NotFound("No recording was uploaded under that audioKey.", "RECORDING_NOT_FOUND")
    audio, content_type = found
    ctx.ears.check(audio)
    return key, content_type or "audio/wav"


# --- reading ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Status:
    request: ReplyRequest
    conversation: Conversation
    turn: Turn | None
    audio_url: str | None


def request_status(ctx: Conversations, principal: Principal, request_id: str) -> Status:
    request = ctx.store.get_request(request_id)
    if request is None or request.student_email != principal.email:
        raise NotFound("You have no such request.", "REQUEST_NOT_FOUND")
    request = request.as_seen_at(ctx.now(), ctx.deadline)
    conversation = ctx.store.get(request.conversation_id)
    if conversation is None:
        raise NotFound("You have no such request.", "REQUEST_NOT_FOUND")
    turn = None
    if request.status == "COMPLETED" and request.turn_index is not None:
        turn = next((t for t in ctx.store.turns(request.conversation_id) if t.index == request.turn_index), None)
    return Status(request, conversation, turn, _url(ctx, turn.ai_audio_key) if turn else None)


@dataclass(frozen=True)
class Transcript:
    conversation: Conversation
    scenario: Scenario
    turns: list[Turn]
    urls: dict[str, str]


def transcript(ctx: Conversations, principal: Principal, conversation_id: str) -> Transcript:
    conversation = _readable(ctx, principal, conversation_id)
    turns = ctx.store.turns(conversation_id)
    keys = {k for t in turns for k in (t.ai_audio_key, t.user_audio_key) if k}
    return Transcript(
        conversation, conversation.scenario(ctx.catalogue), turns, {k: ctx.recordings.presign_download(k) for k in keys}
    )


def list_conversations(
    ctx: Conversations, principal: Principal, cursor: str | None, limit: int, student_email: str | None
) -> Page:
    wanted = (student_email or "").strip().lower()
    if principal.is_student:
        if wanted and wanted != principal.email:
            raise NotFound("You have no such student.", "STUDENT_NOT_FOUND")
        return ctx.store.page(principal.email, cursor, limit, principal.user_id)
    if not wanted:
        raise Invalid("Name the student: add ?studentEmail=...", "STUDENT_REQUIRED")
    wanted = student_named_by_tutor(ctx.handles, principal.email, wanted) or ""  # a child: by handle
    if not wanted or ctx.links.tutor_of(wanted) != principal.email:
        raise NotFound("You have no such student.", "STUDENT_NOT_FOUND")
    return ctx.store.page(wanted, cursor, limit, principal.user_id)


def shown_student(ctx: Conversations, principal: Principal, student_email: str) -> str:
    """How an answer names its student: a child's tutor sees the handle, never the email."""
    return shown_to(ctx.handles, principal.email, student_email) if principal.is_tutor else student_email


def hint(ctx: Conversations, principal: Principal, conversation_id: str):
    conversation = _own(ctx, principal, conversation_id)
    if conversation.ended:
        raise Conflict("This conversation has ended; start a new one.", "CONVERSATION_ENDED")
    scenario = conversation.scenario(ctx.catalogue)
    turns = ctx.store.turns(conversation_id)
    return _synchronously(ctx, lambda partner: partner.hint(scenario, conversation.level, turns))


def end(ctx: Conversations, principal: Principal, conversation_id: str) -> Conversation:
    """Ends the conversation with its report; ending it again returns the same report. A reply still being
    made is not waited for: its turn is left out of the report."""
    conversation = _own(ctx, principal, conversation_id)
    return _finish(ctx, conversation, "student")


def _finish(ctx: Conversations, conversation: Conversation, ended_by: str) -> Conversation:
    if conversation.ended:
        return conversation
    turns = ctx.store.turns(conversation.conversation_id)
    report = reports.end_report(conversation.scenario(ctx.catalogue), turns, ended_by)
    return ctx.store.end(conversation, report, iso_utc(ctx.now()))


# --- the turn worker --------------------------------------------------------------------------------
def answer_turn(ctx: Conversations, body: str, receive_count: int) -> None:
    """One ai-chat message. Idempotent per requestId: a redelivery adds no second turn and no second push,
    and finishes whatever a crashed attempt left undone. On the last allowed receive a failure marks the
    request FAILED with its reason (and says so), and the learner can send again.

    The feedback is a second message, on the ai-feedback queue: scoring the turn's pronunciation takes as
    long as hearing it, and neither this learner nor the next one's reply should wait for it."""
    try:
        message = TurnMessage.model_validate_json(body)
    except ValidationError as exc:
        raise MalformedTurnMessage(f"not a turn request: {exc.errors()[0]['msg']}") from exc
    request = ctx.store.get_request(message.request_id)
    if request is None:
        slog.log(_log, logging.WARNING, "no such reply request", requestId=message.request_id)
        return
    if message.step == "feedback":
        return _feedback_step(ctx, request)
    if not request.finished:
        request = _reply_to(ctx, request, receive_count)
    if not request.notified:
        _announce(ctx, request)
    if request.status == "COMPLETED" and not request.feedback_done:
        ctx.queue.send(request, "feedback")


def _feedback_step(ctx: Conversations, request: ReplyRequest) -> None:
    if request.status != "COMPLETED":
        return
    if not request.feedback_done:
        _add_feedback(ctx, request)
    _announce_feedback(ctx, request)
    conversation = ctx.store.get(request.conversation_id)
    if conversation and not conversation.ended and not conversation.turns_left:
        _finish(ctx, conversation, "turn_limit")  # the report includes the last turn's feedback


def _reply_to(ctx: Conversations, request: ReplyRequest, receive_count: int) -> ReplyRequest:
    conversation = ctx.store.get(request.conversation_id)
    try:
        if conversation is None:
            raise NotFound("The conversation no longer exists.", "CONVERSATION_NOT_FOUND")
        turn = _make_turn(ctx, conversation, request)
    except Exception as error:
        final = _is_input_error(error) or receive_count >= ctx.max_receive_count
        if not final:
            raise
        reason = error.message if isinstance(error, DomainError) else "the reply could not be made"
        code = error.code if isinstance(error, DomainError) else "REPLY_FAILED"
        if not _is_input_error(error):
            reason = f"The reply could not be made after {receive_count} attempts ({reason})."
        ctx.store.fail_request(request.failed(reason, code, ctx.now()))
        return ctx.store.get_request(request.request_id) or request
    if ctx.store.complete_turn(request, turn, turn.ai_message):
        observability.count(observability.CONVERSATION_TURNS)  # once: a redelivered message completes nothing
    else:
        stored = ctx.store.get_request(request.request_id) or request
        if not stored.finished:  # another request took the conversation over after this one went stale
            ctx.store.fail_request(stored.failed("A newer message replaced this one.", "SUPERSEDED", ctx.now()))
    return ctx.store.get_request(request.request_id) or request


def _is_input_error(error: Exception) -> bool:
    """The learner's input (or a vanished conversation or recording): retrying cannot help."""
    return isinstance(error, DomainError) and 400 <= error.status < 500


def _make_turn(ctx: Conversations, conversation: Conversation, request: ReplyRequest) -> Turn:
    heard, speaking_ms = request.typed_text, 0
    if request.audio_key:
        found = ctx.recordings.read(request.audio_key, MAX_AUDIO_BYTES)
        if found is None:
            raise NotFound("The recording is gone; please record again.", "RECORDING_NOT_FOUND")
        result = ctx.ears.hear(found[0], request.audio_content_type)
        heard, speaking_ms = result.text, result.duration_ms
        if not heard.strip():
            raise Invalid("We could not make out any words; please say it again a little louder.", "NOTHING_HEARD")
    scenario = conversation.scenario(ctx.catalogue)
    turns = ctx.store.turns(conversation.conversation_id)
    index = conversation.turn_count + 1
    last = index >= conversation.turn_limit
    with observability.timed(observability.AI_RESPONSE_TIME):
        line = ctx.partner.reply(scenario, conversation.level, turns, heard, last)
    audio_key, voice_id = _speech_for(ctx, line.reply)
    return Turn(
        conversation.conversation_id,
        index,
        line.reply,
        line.reply_ko,
        iso_utc(ctx.now()),
        request_id=request.request_id,
        heard_text=heard,
        typed_text=request.typed_text,
        user_audio_key=request.audio_key,
        ai_audio_key=audio_key,
        ai_audio_id=voice_id,
        speaking_ms=speaking_ms,
    )


def _announce(ctx: Conversations, request: ReplyRequest) -> None:
    """``ai_reply`` reaches the learner's WebSocket through notifications; a failed publish retries the
    message (the turn is saved already, so the retry only announces)."""
    turn = _turn_of(ctx, request)
    conversation = ctx.store.get(request.conversation_id)
    ctx.events.publish(
        AiReplyReady(
            eventId=_event_id("ai-reply", request),
            requestId=request.request_id,
            conversationId=request.conversation_id,
            studentEmail=request.student_email,
            status=request.status,
            aiMessage=turn.ai_message if turn else None,
            aiMessageKo=turn.ai_message_ko if turn else None,
            audioJobId=turn.ai_audio_id if turn else None,
            heardText=turn.heard_text if turn else None,
            turnCount=conversation.turn_count if conversation else None,
            reason=request.reason,
        )
    )
    ctx.store.mark_notified(request.request_id)


def _announce_feedback(ctx: Conversations, request: ReplyRequest) -> None:
    """``turn_feedback`` reaches the learner's WebSocket through notifications once the feedback is saved. A
    redelivered message publishes again under the same event id (a failed publish must be retried, and nothing
    records a publish): notifications' push receipt keeps the learner from hearing of it twice."""
    turn = _turn_of(ctx, request)
    if turn is None or turn.feedback is None:
        return
    ctx.events.publish(
        TurnFeedbackReady(
            eventId=_event_id("turn-feedback", request),
            requestId=request.request_id,
            conversationId=request.conversation_id,
            studentEmail=request.student_email,
            turnIndex=turn.index,
            feedback=turn.feedback,
        )
    )


def _event_id(kind: str, request: ReplyRequest) -> str:
    """Derived from the request, so an event published again (a redelivered message) keeps its id."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}/{request.request_id}"))


def _turn_of(ctx: Conversations, request: ReplyRequest) -> Turn | None:
    if request.turn_index is None:
        return None
    return next((t for t in ctx.store.turns(request.conversation_id) if t.index == request.turn_index), None)


def _add_feedback(ctx: Conversations, request: ReplyRequest) -> None:
    """Feedback never holds up the reply: it is made after the push, and a coach that fails leaves the
    turn without corrections (saying so) rather than failing the turn."""
    conversation = ctx.store.get(request.conversation_id)
    turns = ctx.store.turns(request.conversation_id)
    turn = next((t for t in turns if t.index == request.turn_index), None)
    if conversation is None or turn is None:
        return
    earlier = [t for t in turns if t.index < turn.index]
    feedback: dict[str, Any]
    try:
        coached = ctx.coach.feedback(conversation.scenario(ctx.catalogue), conversation.level, earlier, turn.heard_text)
        feedback = {**coached.model_dump(mode="json", by_alias=True), "status": "READY"}
    except Unavailable as error:
        slog.log(_log, logging.WARNING, "coach failed; the turn keeps no corrections", code=error.code)
        feedback = {
            "corrections": [],
            "betterPhrasing": None,
            "newWords": [],
            "unclearWords": [],
            "status": "UNAVAILABLE",
        }
    feedback["pronunciation"] = _pronunciation(ctx, turn)
    ctx.events.publish(
        ConversationTurnCompleted(
            eventId=_event_id("turn-completed", request),
            # When the turn was answered, not when its feedback was made (which can be minutes later under load,
            # even after the account was deleted): practice counts it on that day, and refuses it if the student's
            # account was erased after it.
            occurredAt=datetime.fromisoformat(turn.created_at),
            studentEmail=request.student_email,
            conversationId=request.conversation_id,
            requestId=request.request_id,
            turnIndex=turn.index,
            speakingSeconds=round(turn.speaking_ms / 1000, 2),
            words=turn.words,
        )
    )
    ctx.store.save_feedback(request.request_id, request.conversation_id, turn.index, feedback)


def _pronunciation(ctx: Conversations, turn: Turn) -> dict[str, Any] | None:
    if not turn.user_audio_key:
        return None
    found = ctx.recordings.read(turn.user_audio_key, MAX_AUDIO_BYTES)
    if found is None:
        return None
    try:
        return ctx.scorer.score(found[0], turn.heard_text, found[1])
    except DomainError as error:
        slog.log(_log, logging.INFO, "turn pronunciation not scored", code=error.code)
        return None


# --- tutor links, from matching's events -----------------------------------------------------------
def apply_tutor_match(ctx: Conversations, event: TutorMatch) -> None:
    follow_link(ctx.handles, event)
    follow_match(ctx.links, event)


# --- account deletion, from identity's events ---------------------------------------------------------
def erase_user(ctx: Conversations, event: UserDeleted) -> None:
    """A deleted student leaves nothing here: their recordings (every version), conversations and turns.
    A failure raises, so the message is retried and then dead-lettered, never reported done half-erased."""
    email = event.email.strip().lower()
    ctx.recordings.erase_prefix(f"user-audio/{_folder_of(event.user_id, email)}/")
    ctx.erasure.erase_user(email)
