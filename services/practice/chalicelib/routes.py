"""Practice's HTTP routes (seed scenario 3 and seed 002's progress): parse, call the use case, shape the answer.

Dates in queries and answers are Asia/Seoul calendar days (YYYY-MM-DD); instants are UTC ISO-8601.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from speaktracker.auth import Principal
from speaktracker.errors import Invalid, UnsupportedMediaType
from speaktracker.http import ANY_ROLE, Routes, parse_model
from speaktracker.lazy import lazy_callable, lazy_module
from speaktracker.openapi import Answer, PresignedPost, SparseAnswer
from speaktracker.speech.result import PronunciationAssessment

from .domain.levels import MAX_SENTENCES
from .multipart import parse_form

if TYPE_CHECKING:
    from . import service
    from .domain.sessions import LearningSession
    from .domain.speech_jobs import TtsJob
    from .wiring import practice
else:  # the use cases and adapters load with the first request that calls one
    service = lazy_module(f"{__package__}.service")
    practice = lazy_callable(f"{__package__}.wiring", "practice")

STUDENT = ("student",)
RESULTS_PAGE = 20  # results per page unless the query asks for another size


class _Body(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", populate_by_name=True)


class StartSessionRequest(_Body):
    session_type: str = Field("practice", alias="sessionType", min_length=1, max_length=32)
    metadata: dict[str, Any] | None = None


class EndSessionRequest(_Body):
    session_id: str = Field(alias="sessionId", min_length=1, max_length=100)


class GenerateRequest(_Body):
    difficulty: str | None = Field(None, max_length=40)
    topic: str | None = Field(None, max_length=60)
    count: int = Field(5, ge=1, le=MAX_SENTENCES)
    voice_id: str | None = Field(None, alias="voiceId", max_length=40)
    session_id: str | None = Field(None, alias="sessionId", max_length=100)


class UploadRequest(_Body):
    content_type: str = Field(alias="contentType", min_length=1, max_length=100)
    size: int = Field(gt=0)


class EvaluateUploadedRequest(_Body):
    audio_key: str = Field(alias="audioKey", min_length=1, max_length=300)
    original_text: str = Field("", alias="originalText", max_length=2000)
    session_id: str | None = Field(None, alias="sessionId", max_length=100)


class RangeQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, populate_by_name=True, extra="ignore")
    date_from: str | None = Field(None, alias="from")
    date_to: str | None = Field(None, alias="to")
    student_email: str | None = Field(None, alias="studentEmail")


class StudentQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, populate_by_name=True, extra="ignore")
    student_email: str | None = Field(None, alias="studentEmail")


class ResultsQuery(StudentQuery):
    cursor: str | None = None
    limit: int = Field(RESULTS_PAGE, ge=1, le=50)


# --- answers (documented in GET /openapi.json; the web app's types come from them) ---------------------------
class SessionStarted(Answer):
    session_id: str
    start_time: str
    session_type: str


class SessionEnded(Answer):
    message: str
    session_id: str
    duration: int = Field(description="seconds")
    speaking_duration: int = Field(description="seconds")
    date: str


class SessionAnswer(Answer):
    session_id: str
    session_type: str
    metadata: dict[str, Any]
    start_time: str
    end_time: str | None
    status: str
    date: str
    duration: int
    speaking_duration: int
    evaluation_count: int


class SessionList(Answer):
    student_email: str
    sessions: list[SessionAnswer]
    date_from: str = Field(alias="from")
    date_to: str = Field(alias="to")
    timezone: str


JobStatus = Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED"]


class GeneratedSentence(Answer):
    index: int
    english: str
    korean: str
    sentence_key: str
    level: str
    topic: str
    reason: str
    job_id: str
    audio_status: JobStatus


class GeneratedSentences(SparseAnswer):
    sentences: list[GeneratedSentence]
    session_id: str
    job_ids: list[str]
    source: Literal["bank", "claude"]
    notice: str | None = None


class TtsJobAnswer(SparseAnswer):
    job_id: str
    status: JobStatus
    text: str
    korean: str | None
    voice_id: str
    session_id: str | None
    sentence_index: int | None
    created_at: str
    updated_at: str | None
    audio_url: str | None = None
    expires_in: int | None = None
    duration_ms: int | None = None
    reason: str | None = None


class RecordingUpload(Answer):
    audio_key: str
    upload: PresignedPost
    max_bytes: int


class EvaluationAnswer(PronunciationAssessment):
    result_id: str
    audio_key: str
    created_at: str
    session_id: str | None


class DayAnswer(Answer):
    date: str
    practice_count: int
    total_duration: int
    total_speaking_time: int
    evaluation_count: int
    conversation_turns: int = Field(description="turns answered in AI conversations that day")
    average_score: float | None


class DailyAnswer(Answer):
    student_email: str
    date_from: str = Field(alias="from")
    date_to: str = Field(alias="to")
    timezone: str
    days: list[DayAnswer]


class TrendPoint(Answer):
    date: str
    average_score: float | None


class ScoreTrend(Answer):
    daily: list[TrendPoint]
    this_week: float | None
    last_week: float | None
    change: float | None
    direction: Literal["improving", "declining", "steady", "not_enough_data"]


class AreaScore(SparseAnswer):
    phoneme: str | None = None
    word: str | None = None
    topic: str | None = None
    average_score: float
    count: int
    example_words: list[str] | None = None


class Areas(Answer):
    phonemes: list[AreaScore]
    words: list[AreaScore]
    topics: list[AreaScore]


class SummaryAnswer(Answer):
    student_email: str
    today: str
    timezone: str
    streak_days: int
    longest_streak_days: int
    last_practice_date: str | None
    practice_count: int
    evaluation_count: int
    conversation_turns: int = Field(description="turns answered in AI conversations in the range")
    total_speaking_time: int
    total_duration: int
    average_score: float | None
    score_trend: ScoreTrend
    weak_areas: Areas
    strengths: Areas
    based_on_results: int


class StoredResult(SparseAnswer):
    result_id: str
    created_at: str | None
    original_text: str
    transcribed_text: str | None = None
    overall_score: float
    grade: str
    feedback: dict[str, str] | None = None
    missed_words: list[str] = []
    extra_words: list[str] = []
    audio_duration_ms: int | None = None
    session_id: str | None = None
    topic: str | None = None
    level: str | None = None
    assessment: dict[str, Any] = Field(description="The full assessment as evaluate answered it.")


class ResultPage(Answer):
    results: list[StoredResult]
    cursor: str | None


def register_routes(routes: Routes) -> None:
    # --- sessions ---------------------------------------------------------------------------------
    @routes.post(
        "/api/sessions/start",
        body=StartSessionRequest,
        roles=STUDENT,
        consent=True,
        status=201,
        response=SessionStarted,
    )
    def start_session(principal: Principal, body: StartSessionRequest) -> dict:
        session = service.start_session(practice(), principal, body.session_type, body.metadata)
        return {"sessionId": session.session_id, "startTime": session.start_time, "sessionType": session.session_type}

    @routes.post("/api/sessions/end", body=EndSessionRequest, roles=STUDENT, response=SessionEnded, errors=[404, 409])
    def end_session(principal: Principal, body: EndSessionRequest) -> dict:
        session = service.end_session(practice(), principal, body.session_id)
        return {
            "message": "세션 종료 / Session ended.",
            "sessionId": session.session_id,
            "duration": session.duration,
            "speakingDuration": session.speaking_duration,
            "date": session.day.isoformat(),
        }

    @routes.get("/api/sessions", query=RangeQuery, roles=ANY_ROLE, response=SessionList)
    def list_sessions(principal: Principal, query: RangeQuery) -> dict:
        found = service.list_sessions(practice(), principal, query.date_from, query.date_to, query.student_email)
        return {**found, "sessions": [_session(s) for s in found["sessions"]]}

    # --- sentences and speech ---------------------------------------------------------------------
    @routes.post(
        "/api/sentences/generate", body=GenerateRequest, roles=STUDENT, response=GeneratedSentences, errors=[503]
    )
    def generate(principal: Principal, body: GenerateRequest) -> dict:
        made = service.generate_sentences(
            practice(), principal, body.difficulty, body.topic, body.count, body.voice_id, body.session_id
        )
        sentences = [
            {
                "index": i,
                "english": p.sentence.english,
                "korean": p.sentence.korean,
                "sentenceKey": p.sentence.key,
                "level": p.sentence.level.value,
                "topic": p.sentence.topic,
                "reason": p.reason,
                "jobId": job.job_id,
                "audioStatus": job.status,
            }
            for i, (p, job) in enumerate(zip(made.sentences, made.jobs))
        ]
        answer = {
            "sentences": sentences,
            "sessionId": made.session_id,
            "jobIds": [j.job_id for j in made.jobs],
            "source": made.source,
        }
        if made.notice:
            answer["notice"] = made.notice
        return answer

    @routes.get("/api/tts/status/{jobId}", roles=ANY_ROLE, response=TtsJobAnswer)
    def tts_status(principal: Principal, jobId: str) -> dict:
        job, url = service.tts_status(practice(), principal, jobId)
        return _job(job, url)

    # --- recordings -------------------------------------------------------------------------------
    @routes.post(
        "/api/stt/upload-url",
        body=UploadRequest,
        roles=STUDENT,
        consent=True,
        response=RecordingUpload,
        errors=[413, 415],
    )
    def upload_url(principal: Principal, body: UploadRequest) -> dict:
        return service.start_recording_upload(practice(), principal, body.content_type, body.size)

    @routes.post(
        "/api/stt/evaluate",
        roles=STUDENT,
        consent=True,
        content_types=["multipart/form-data", "application/json"],
        response=EvaluationAnswer,
        errors=[404, 413, 415, 422, 503],
    )
    def evaluate(principal: Principal, request) -> dict:
        content_type = _header(request, "content-type")
        raw = request.raw_body or b""
        if content_type.lower().startswith("multipart/form-data"):
            form = parse_form(raw, content_type)
            audio = form.get("audioFile") or form.get("audio") or form.get("file")
            if audio is None:
                raise Invalid("Attach the recording as the audioFile field.", "AUDIO_REQUIRED")
            text = form["originalText"].text() if "originalText" in form else ""
            session_id = (form["sessionId"].text().strip() if "sessionId" in form else "") or None
            return service.evaluate_recording(
                practice(), principal, audio.data, audio.content_type, audio.filename, text, session_id
            )
        if content_type.lower().startswith("application/json"):
            body = parse_model(EvaluateUploadedRequest, raw)
            return service.evaluate_uploaded_recording(
                practice(), principal, body.audio_key, body.original_text, body.session_id
            )
        raise UnsupportedMediaType(
            "Send multipart/form-data with audioFile and originalText, or JSON with audioKey and originalText.",
            "UNSUPPORTED_MEDIA_TYPE",
        )

    # --- progress ---------------------------------------------------------------------------------
    @routes.get("/api/stats/daily", query=RangeQuery, roles=ANY_ROLE, response=DailyAnswer)
    def daily(principal: Principal, query: RangeQuery) -> dict:
        return service.daily_statistics(practice(), principal, query.date_from, query.date_to, query.student_email)

    @routes.get("/api/stats/summary", query=StudentQuery, roles=ANY_ROLE, response=SummaryAnswer)
    def summary(principal: Principal, query: StudentQuery) -> dict:
        return service.progress_summary(practice(), principal, query.student_email)

    @routes.get("/api/results", query=ResultsQuery, roles=ANY_ROLE, response=ResultPage)
    def results(principal: Principal, query: ResultsQuery) -> dict:
        page = service.list_results(practice(), principal, query.cursor, query.limit, query.student_email)
        return {"results": page.items, "cursor": page.cursor}


def _header(request: Any, name: str) -> str:
    headers = request.headers or {}
    return headers.get(name) or headers.get(name.title()) or ""


def _session(session: LearningSession) -> dict:
    return {
        "sessionId": session.session_id,
        "sessionType": session.session_type,
        "metadata": session.metadata,
        "startTime": session.start_time,
        "endTime": session.end_time,
        "status": session.status,
        "date": session.day.isoformat(),
        "duration": session.duration,
        "speakingDuration": session.speaking_duration,
        "evaluationCount": session.evaluation_count,
    }


def _job(job: TtsJob, url: str | None) -> dict:
    body = {
        "jobId": job.job_id,
        "status": job.status,
        "text": job.text,
        "korean": job.korean,
        "voiceId": job.voice,
        "sessionId": job.session_id,
        "sentenceIndex": job.sentence_index,
        "createdAt": job.created_at,
        "updatedAt": job.updated_at,
    }
    if url:
        body.update(audioUrl=url, durationMs=job.duration_ms)
        if not practice().audio_base_url:  # a presigned link; the CDN's URL does not expire
            body["expiresIn"] = practice().presigned_url_seconds
    if job.status == "FAILED":
        body["reason"] = job.reason
    return body
