"""Conversation's HTTP routes (seed scenario 4): parse, call the use case, shape the answer (camelCase JSON).

Every answer is described by a pydantic model below, so ``GET /openapi.json`` documents what is really sent.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from speaktracker.auth import Principal
from speaktracker.errors import Invalid
from speaktracker.http import ANY_ROLE, Routes
from speaktracker.lazy import lazy_callable, lazy_module

from .domain.conversation import MAX_AUDIO_BYTES, MAX_MESSAGE_CHARS

if TYPE_CHECKING:
    from . import service
    from .domain.conversation import Conversation, Turn
    from .domain.scenarios import Scenario
    from .scenario_images import scenario_image
    from .wiring import conversations, scenario_images
else:  # the use cases and adapters load with the first request that calls one
    service = lazy_module(f"{__package__}.service")
    conversations = lazy_callable(f"{__package__}.wiring", "conversations")
    scenario_image = lazy_callable(f"{__package__}.scenario_images", "scenario_image")
    scenario_images = lazy_callable(f"{__package__}.wiring", "scenario_images")

STUDENT = ("student",)
MAX_AUDIO_BASE64 = (MAX_AUDIO_BYTES * 4) // 3 + 64
ESTIMATED_REPLY_MS = 3000  # what a client is told to expect before the reply is pushed
PAGE_SIZE = 20  # conversations per page unless the query asks for another size


class _Model(BaseModel):
    model_config = ConfigDict(defer_build=True, alias_generator=to_camel, populate_by_name=True)


class _Body(_Model):
    model_config = ConfigDict(defer_build=True, alias_generator=to_camel, populate_by_name=True, extra="forbid")


# --- requests -------------------------------------------------------------------------------------
class ScenariosQuery(_Model):
    model_config = ConfigDict(defer_build=True, alias_generator=to_camel, populate_by_name=True, extra="ignore")
    difficulty: str | None = Field(None, max_length=20)


class StartRequest(_Body):
    difficulty: str | None = Field(None, max_length=20)
    topic: str | None = Field(None, max_length=60)
    scenario_id: str | None = Field(None, max_length=60)
    role: str | None = Field(None, max_length=40)
    situation: str | None = Field(None, max_length=200)


class MessageRequest(_Body):
    conversation_id: str = Field(min_length=1, max_length=100)
    user_message: str | None = Field(None, max_length=MAX_MESSAGE_CHARS * 2)
    audio_data: str | None = Field(
        None,
        max_length=MAX_AUDIO_BASE64,
        description="base64 (or a data: URL) of webm/ogg/wav/mp4 audio, at most 10 MB",
    )
    audio_content_type: str | None = Field(None, max_length=100, description="defaults to the data URL's type")
    audio_key: str | None = Field(
        None, max_length=300, description="a recording uploaded with practice's POST /api/stt/upload-url"
    )


class ListQuery(_Model):
    model_config = ConfigDict(defer_build=True, alias_generator=to_camel, populate_by_name=True, extra="ignore")
    cursor: str | None = Field(None, max_length=2048)
    limit: int = Field(PAGE_SIZE, ge=1, le=50)
    student_email: str | None = Field(None, max_length=254)


# --- answers --------------------------------------------------------------------------------------
class Text(_Model):
    ko: str
    en: str


class GoalOut(_Model):
    goal_id: str
    en: str
    ko: str


class ScenarioOut(_Model):
    scenario_id: str
    topic: str
    title: Text
    ai_role: Text
    learner_role: Text
    situation: Text
    levels: list[Literal["beginner", "intermediate", "advanced"]]
    levels_ko: list[Literal["초급", "중급", "고급"]]
    goals: list[GoalOut]
    success_condition: Text


class ScenariosAnswer(_Model):
    scenarios: list[ScenarioOut]


class ScenarioImageAnswer(_Model):
    scenario_id: str
    url: str = Field(description="a presigned GET URL of the picture, for an <img> (it expires: ask again)")
    expires_in: int = Field(description="seconds the URL stays valid")
    content_type: Literal["image/png"]
    width: int
    height: int
    alt: Text
    engine: str = Field(description="what drew it: amazon.nova-canvas-v1:0, or local-noto-emoji-v1 offline")


class StartAnswer(_Model):
    conversation_id: str
    first_message: str
    first_message_ko: str
    audio_job_id: str = Field(description="names the opener's audio (cached by voice and text)")
    audio_url: str | None
    scenario: ScenarioOut
    level: str
    turn_limit: int


class MessageAnswer(_Model):
    request_id: str
    conversation_id: str
    status: Literal["PROCESSING"]
    estimated_time: int = Field(description="milliseconds")


class CorrectionOut(_Model):
    original: str
    corrected: str
    explanation_ko: str


class WordScoreOut(_Model):
    word: str
    score: float
    error_type: str


class SoundOut(_Model):
    phoneme: str
    ipa: str
    score: float


class PronunciationOut(_Model):
    overall_score: float
    accuracy_score: float
    fluency_score: float
    words: list[WordScoreOut]
    weakest_sounds: list[SoundOut]


class FeedbackOut(_Model):
    status: Literal["READY", "UNAVAILABLE"]
    corrections: list[CorrectionOut]
    better_phrasing: str | None
    new_words: list[str]
    unclear_words: list[str] = Field(
        default_factory=list,
        description="Words heard that are not English words (probably misheard): "
        "the turn is not called correct around them",
    )
    pronunciation: PronunciationOut | None = Field(None, description="null for a typed turn")


class StatusAnswer(_Model):
    request_id: str
    conversation_id: str
    status: Literal["PROCESSING", "COMPLETED", "FAILED"]
    heard_text: str | None = None
    ai_message: str | None = None
    ai_message_ko: str | None = None
    audio_job_id: str | None = None
    audio_url: str | None = None
    turn_count: int
    turns_left: int
    conversation_status: Literal["ACTIVE", "ENDED"]
    feedback: FeedbackOut | None = Field(None, description="null until the feedback is ready (after the reply)")
    reason: str | None = None
    reason_code: str | None = None


class TurnOut(_Model):
    index: int
    heard_text: str
    typed_text: str
    user_audio_url: str | None
    ai_message: str
    ai_message_ko: str
    ai_audio_url: str | None
    feedback: FeedbackOut | None
    created_at: str


class ScoresOut(_Model):
    accuracy: float | None
    fluency: float | None
    grammar: float | None
    vocabulary: float | None
    overall: float | None


class RewrittenOut(_Model):
    turn: int
    original: str
    better: str
    explanation_ko: str


class GoalResultOut(GoalOut):
    met: bool


class FocusOut(_Model):
    area: Literal["accuracy", "fluency", "grammar", "vocabulary"]
    ko: str
    en: str


class CefrEvidenceOut(_Model):
    words: int = Field(description="Words the learner said in the whole conversation")
    turns: int
    mean_sentence_words: float


class CefrOut(_Model):
    band: Literal["A1", "A2", "B1", "B2", "C1"] = Field(
        description="An estimate, bounded by the evidence (words, turns, sentence length) and the sub-scores"
    )
    is_estimate: Literal[True]
    note_ko: str
    note_en: str
    evidence: CefrEvidenceOut


class ReportOut(_Model):
    turns: int
    ended_by: Literal["student", "turn_limit"]
    scores: ScoresOut
    rewritten_sentences: list[RewrittenOut]
    new_words: list[str]
    goals: list[GoalResultOut]
    success: bool
    success_condition: Text
    next_step: Text = Field(
        description="What to do next; names the success condition as still to reach when it was not met"
    )
    next_focus: FocusOut
    cefr: CefrOut


class TranscriptAnswer(_Model):
    conversation_id: str
    student_email: str
    scenario: ScenarioOut
    level: str
    status: Literal["ACTIVE", "ENDED"]
    turn_count: int
    turn_limit: int
    started_at: str
    ended_at: str | None
    turns: list[TurnOut]
    report: ReportOut | None


class ConversationSummary(_Model):
    conversation_id: str
    scenario_id: str
    title: Text
    level: str
    status: Literal["ACTIVE", "ENDED"]
    turn_count: int
    turn_limit: int
    started_at: str
    last_message: str


class ListAnswer(_Model):
    conversations: list[ConversationSummary]
    cursor: str | None


class HintAnswer(_Model):
    conversation_id: str
    suggestion: str
    suggestion_ko: str


class EndAnswer(_Model):
    conversation_id: str
    status: Literal["ENDED"]
    ended_at: str
    report: ReportOut


def register_routes(routes: Routes) -> None:
    @routes.get("/api/ai/scenarios", query=ScenariosQuery, roles=ANY_ROLE, response=ScenariosAnswer)
    def list_scenarios(query: ScenariosQuery) -> dict:
        """The role-play catalogue, optionally for one level."""
        return {"scenarios": [s.as_json() for s in service.list_scenarios(conversations(), query.difficulty)]}

    @routes.get("/api/ai/scenarios/{scenarioId}/image", roles=ANY_ROLE, response=ScenarioImageAnswer, errors=[404, 503])
    def scenario_picture(scenarioId: str) -> dict:
        """The scenario's picture: made once (Nova Canvas in AWS, an emoji illustration offline) and reused."""
        served = scenario_image(scenario_images(), scenarioId)
        return {
            "scenarioId": served.scenario_id,
            "url": served.url,
            "expiresIn": served.expires_in,
            "contentType": served.content_type,
            "width": served.width,
            "height": served.height,
            "alt": served.alt,
            "engine": served.engine,
        }

    @routes.post(
        "/api/ai/chat/start",
        body=StartRequest,
        roles=STUDENT,
        consent=True,
        status=201,
        response=StartAnswer,
        errors=[404],
    )
    def start(principal: Principal, body: StartRequest) -> dict:
        """Start a role-play: the partner speaks first."""
        started = service.start(
            conversations(), principal, body.difficulty, body.topic, body.scenario_id, body.role, body.situation
        )
        c = started.conversation
        return {
            "conversationId": c.conversation_id,
            "firstMessage": started.opener.ai_message,
            "firstMessageKo": started.opener.ai_message_ko,
            "audioJobId": started.opener.ai_audio_id,
            "audioUrl": started.audio_url,
            "scenario": started.scenario.as_json(),
            "level": c.level.value,
            "turnLimit": c.turn_limit,
        }

    @routes.post(
        "/api/ai/chat/message",
        body=MessageRequest,
        roles=STUDENT,
        consent=True,
        status=202,
        response=MessageAnswer,
        audio=True,
        errors=[404, 409, 413, 415, 422, 503],
    )
    def message(principal: Principal, body: MessageRequest) -> dict:
        """Say something (text and/or audio); the reply comes by WebSocket (ai_reply) and the status route."""
        audio, content_type = _audio(body.audio_data, body.audio_content_type)
        request = service.send_message(
            conversations(), principal, body.conversation_id, body.user_message, audio, content_type, body.audio_key
        )
        return {
            "requestId": request.request_id,
            "conversationId": request.conversation_id,
            "status": "PROCESSING",
            "estimatedTime": ESTIMATED_REPLY_MS,
        }

    @routes.get("/api/ai/chat/status/{requestId}", roles=STUDENT, response=StatusAnswer)
    def status(principal: Principal, requestId: str) -> dict:
        """Where a reply request is: PROCESSING, COMPLETED (with the reply) or FAILED (with the reason)."""
        found = service.request_status(conversations(), principal, requestId)
        return _status(found)

    @routes.get("/api/ai/chat", query=ListQuery, roles=ANY_ROLE, response=ListAnswer, errors=[404])
    def list_mine(principal: Principal, query: ListQuery) -> dict:
        """My conversations (a tutor: one student's, ?studentEmail=), newest first."""
        ctx = conversations()
        page = service.list_conversations(ctx, principal, query.cursor, query.limit, query.student_email)
        shown = {c.student_email: service.shown_student(ctx, principal, c.student_email) for c in page.items}
        return {
            "conversations": [
                {**_summary(c, c.scenario(ctx.catalogue)), "studentEmail": shown[c.student_email]} for c in page.items
            ],
            "cursor": page.cursor,
        }

    @routes.get("/api/ai/chat/{conversationId}", roles=ANY_ROLE, response=TranscriptAnswer)
    def transcript(principal: Principal, conversationId: str) -> dict:
        """The whole conversation: every turn with what was heard, both audios and the feedback."""
        ctx = conversations()
        found = service.transcript(ctx, principal, conversationId)
        c = found.conversation
        return {
            "conversationId": c.conversation_id,
            "studentEmail": service.shown_student(ctx, principal, c.student_email),
            "scenario": found.scenario.as_json(),
            "level": c.level.value,
            "status": c.status,
            "turnCount": c.turn_count,
            "turnLimit": c.turn_limit,
            "startedAt": c.started_at,
            "endedAt": c.ended_at,
            "turns": [_turn(t, found.urls) for t in found.turns],
            "report": c.report,
        }

    @routes.post("/api/ai/chat/{conversationId}/hint", roles=STUDENT, consent=True, response=HintAnswer, errors=[409])
    def hint(principal: Principal, conversationId: str) -> dict:
        """A reply the learner could say next (English and Korean)."""
        suggested = service.hint(conversations(), principal, conversationId)
        return {
            "conversationId": conversationId,
            "suggestion": suggested.suggestion,
            "suggestionKo": suggested.suggestion_ko,
        }

    @routes.post("/api/ai/chat/{conversationId}/end", roles=STUDENT, response=EndAnswer)
    def end(principal: Principal, conversationId: str) -> dict:
        """End the conversation and get its report (the same report if it had ended already)."""
        ended = service.end(conversations(), principal, conversationId)
        return {
            "conversationId": ended.conversation_id,
            "status": "ENDED",
            "endedAt": ended.ended_at,
            "report": ended.report,
        }


_DATA_URL = re.compile(r"^data:([\w/+.\-]+)(?:;[\w=\-]+)*;base64,", re.IGNORECASE)


def _audio(data: str | None, content_type: str | None) -> tuple[bytes | None, str | None]:
    if data is None:
        return None, None
    match = _DATA_URL.match(data)
    if match:
        content_type = content_type or match.group(1)
        data = data[match.end() :]
    try:
        audio = base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Invalid("audioData must be base64 (or a data: URL) of the recording.", "AUDIO_NOT_BASE64") from exc
    if not audio:
        raise Invalid("audioData is empty.", "AUDIO_EMPTY")
    return audio, content_type or "audio/wav"


def _status(found: service.Status) -> dict[str, Any]:
    request, conversation, turn = found.request, found.conversation, found.turn
    body: dict[str, Any] = {
        "requestId": request.request_id,
        "conversationId": request.conversation_id,
        "status": request.status,
        "turnCount": conversation.turn_count,
        "turnsLeft": conversation.turns_left,
        "conversationStatus": conversation.status,
    }
    if turn is not None:
        body.update(
            heardText=turn.heard_text,
            aiMessage=turn.ai_message,
            aiMessageKo=turn.ai_message_ko,
            audioJobId=turn.ai_audio_id,
            audioUrl=found.audio_url,
            feedback=turn.feedback,
        )
    if request.status == "FAILED":
        body.update(reason=request.reason, reasonCode=request.reason_code)
    return body


def _turn(turn: Turn, urls: dict[str, str]) -> dict[str, Any]:
    return {
        "index": turn.index,
        "heardText": turn.heard_text,
        "typedText": turn.typed_text,
        "userAudioUrl": urls.get(turn.user_audio_key or ""),
        "aiMessage": turn.ai_message,
        "aiMessageKo": turn.ai_message_ko,
        "aiAudioUrl": urls.get(turn.ai_audio_key or ""),
        "feedback": turn.feedback,
        "createdAt": turn.created_at,
    }


def _summary(conversation: Conversation, scenario: Scenario) -> dict[str, Any]:
    return {
        "conversationId": conversation.conversation_id,
        "scenarioId": conversation.scenario_id,
        "title": {"ko": scenario.title.ko, "en": scenario.title.en},
        "level": conversation.level.value,
        "status": conversation.status,
        "turnCount": conversation.turn_count,
        "turnLimit": conversation.turn_limit,
        "startedAt": conversation.started_at,
        "lastMessage": conversation.last_message,
    }
