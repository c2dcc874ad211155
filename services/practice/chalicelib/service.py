"""Practice use cases (seed scenario 3 and the progress of seed 002), one function per user action.
Ports come in through ``Practice``."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import random
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from speaktracker import logging as slog
from speaktracker import observability
from speaktracker.auth import Principal
from speaktracker.errors import DomainError, Forbidden, Invalid, NotFound, Unavailable
from speaktracker.events import (
    ConversationTurnCompleted,
    PracticeResult,
    PracticeSessionEnded,
    TtsReady,
    TutorMatch,
    UserDeleted,
)
from speaktracker.student_handles import StudentHandles, follow_link, shown_to, student_named_by_tutor
from speaktracker.tutor_links import follow_match

from .domain import mastery, progress, recordings
from .domain.days import day_range, day_start_utc, iso_utc, kst_day, sortable_stamp
from .domain.levels import MAX_SENTENCES, TOPICS, Level, normalise_difficulty, normalise_topic
from .domain.mastery import PracticeSentence, SentenceRecord
from .domain.progress import StatsDelta
from .domain.sentences import sentence_key
from .domain.sessions import LearningSession, SessionChanged
from .domain.sessions import start_session as new_session
from .domain.speech_jobs import (
    DEFAULT_VOICE,
    VOICES,
    SentenceAudio,
    TtsJob,
    TtsRequest,
    audio_id,
    audio_key,
    job_for,
    new_job_id,
    request_for,
)
from .ports import (
    AudioLibrary,
    Erasure,
    FileStore,
    JobStatusStore,
    MasteryRecords,
    Page,
    PracticeSets,
    PronunciationAssessor,
    PronunciationResult,
    Publisher,
    ResultLog,
    SentenceWriter,
    SessionRepository,
    SpeechSynthesizer,
    Statistics,
    TtsQueue,
    TutorLinks,
)

_log = slog.get_logger("practice.service")


class MalformedTtsRequest(ValueError):
    """A TTS message that is not a job at all: nothing to mark, so it goes to the dead-letter queue."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class Syntheses:
    """The syntheses generate has under way in this process, by audio id: a student whose first sentence is being
    made for another (a class drawing the same bank) waits for that one instead of making it again."""

    def __init__(self, pool: Executor | None = None) -> None:
        self.pool = pool or ThreadPoolExecutor(max_workers=4, thread_name_prefix="first-audio")
        self._running: dict[str, Future] = {}
        self._lock = threading.Lock()

    def submit(self, identity: str, make: Callable[[], SentenceAudio]) -> Future:
        with self._lock:
            running = self._running.get(identity)
            if running is None:
                running = self._running[identity] = self.pool.submit(make)
        running.add_done_callback(lambda done: self._forget(identity, done))
        return running

    def _forget(self, identity: str, done: Future) -> None:
        with self._lock:
            if self._running.get(identity) is done:
                del self._running[identity]

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True)


@dataclass
class Practice:
    sessions: SessionRepository
    statistics: Statistics
    results: ResultLog
    mastery: MasteryRecords
    links: TutorLinks
    jobs: JobStatusStore
    sets: PracticeSets
    audio: AudioLibrary
    files: FileStore
    tts_queue: TtsQueue
    synthesizer: SpeechSynthesizer
    assessor: PronunciationAssessor
    writer: SentenceWriter  # the configured engine: Claude online, the bank offline
    bank: SentenceWriter  # the local bank, behind the writer when it fails or runs short
    events: Publisher
    erasure: Erasure
    handles: StudentHandles
    tts_max_receive_count: int = 3
    tts_deadline: timedelta = timedelta(minutes=8)
    presigned_url_seconds: int = 900
    audio_base_url: str | None = None  # the CDN in front of tts/ (settings.audio_base_url); None: presigned links
    # How long generate waits for the first sentence's audio when the library lacks it (settings.first_audio_budget_ms);
    # zero: every sentence the library lacks goes through the queue.
    first_audio_budget: timedelta = timedelta(0)
    first_audio: Syntheses = field(default_factory=Syntheses)
    # Seconds the rest of a set waits on the queue when generate made its first audio
    # (settings.first_audio_head_start_seconds).
    first_audio_head_start: int = 0
    clock: Callable[[], datetime] = field(default=utcnow)
    rng: random.Random = field(default_factory=random.Random)

    def now(self) -> datetime:
        return self.clock()


# --- whose data -----------------------------------------------------------------------------------
def subject_of(ctx: Practice, principal: Principal, student_email: str | None) -> str:
    """The student whose data the caller reads: themselves, or (for a tutor) one of their own students, named by
    email or, for a child, by handle (docs/children.md)."""
    wanted = (student_email or "").strip().lower()
    if principal.is_student:
        if wanted and wanted != principal.email:
            raise Forbidden("Students can read only their own practice.", "NOT_YOUR_DATA")
        return principal.email
    if not wanted:
        raise Invalid("Name the student: add ?studentEmail=...", "STUDENT_REQUIRED")
    wanted = student_named_by_tutor(ctx.handles, principal.email, wanted) or ""
    if not wanted or ctx.links.tutor_of(wanted) != principal.email:
        raise Forbidden("Only this student's tutor can read their practice.", "NOT_YOUR_STUDENT")
    return wanted


def shown_student(ctx: Practice, principal: Principal, student_email: str) -> str:
    """How an answer names its student: a child's tutor sees the handle, never the email."""
    return shown_to(ctx.handles, principal.email, student_email) if principal.is_tutor else student_email


def recordings_folder(principal: Principal) -> str:
    """The caller's folder under user-audio/: their Cognito sub, never their email."""
    return principal.user_id or hashlib.sha256(principal.email.encode()).hexdigest()[:32]


# --- sessions -------------------------------------------------------------------------------------
def start_session(
    ctx: Practice, principal: Principal, session_type: str, metadata: dict[str, Any] | None
) -> LearningSession:
    session = new_session(principal.email, session_type, metadata, ctx.now())
    ctx.sessions.add(session)
    return session


def end_session(ctx: Practice, principal: Principal, session_id: str) -> LearningSession:
    """Ends the session and adds it to its day's statistics, once: a second end is a 409."""
    for attempt in range(3):
        session = ctx.sessions.get(principal.email, session_id)
        if session is None:
            raise NotFound("You have no such session.", "SESSION_NOT_FOUND")
        ended = session.ended(ctx.now())
        delta = StatsDelta(practice_count=1, total_duration=ended.duration, total_speaking_time=ended.speaking_duration)
        try:
            ctx.sessions.close(ended, ended.day, delta)
            observability.seconds(observability.SESSION_DURATION, ended.duration)
            _announce_session(ctx, ended)
            return ended
        except SessionChanged:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _announce_session(ctx: Practice, session: LearningSession) -> None:
    """Analytics counts sessions from this event; the stored session is the record, so a failed publish is
    logged and the student's end still succeeds."""
    try:
        ctx.events.publish(
            PracticeSessionEnded(
                studentEmail=session.student_email,
                sessionId=session.session_id,
                sessionType=session.session_type,
                startedAt=session.start_time,
                durationSeconds=session.duration,
                speakingSeconds=session.speaking_duration,
                evaluationCount=session.evaluation_count,
            )
        )
    except Exception:
        _log.exception("could not publish the end of the session")


def list_sessions(
    ctx: Practice, principal: Principal, raw_from: str | None, raw_to: str | None, student_email: str | None = None
) -> dict[str, Any]:
    student = subject_of(ctx, principal, student_email)
    start, end = day_range(raw_from, raw_to, kst_day(ctx.now()))
    sessions = ctx.sessions.between(student, day_start_utc(start), day_start_utc(end + timedelta(days=1)))
    return {
        "studentEmail": shown_student(ctx, principal, student),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "timezone": "Asia/Seoul",
        "sessions": sessions,
    }


# --- sentences and their speech -------------------------------------------------------------------
@dataclass(frozen=True)
class GeneratedSet:
    sentences: list[PracticeSentence]
    jobs: list[TtsJob]
    session_id: str
    source: str
    notice: str | None


def generate_sentences(
    ctx: Practice,
    principal: Principal,
    difficulty: str | None,
    topic: str | None,
    count: int,
    voice: str | None,
    session_id: str | None,
) -> GeneratedSet:
    level, topic_key = normalise_difficulty(difficulty), normalise_topic(topic)
    if not 1 <= count <= MAX_SENTENCES:
        raise Invalid(f"count must be between 1 and {MAX_SENTENCES}.", "INVALID_COUNT")
    voice = voice or DEFAULT_VOICE
    if voice not in VOICES:
        raise Invalid(f"voiceId must be one of {', '.join(VOICES)}.", "UNKNOWN_VOICE", {"accepted": list(VOICES)})
    now = ctx.now()
    history = ctx.mastery.all_for(principal.email)
    chosen, source, notice = _choose_sentences(ctx, history, level, topic_key, count, now)
    if not chosen:
        raise Unavailable("No sentences are available for this level and topic right now.", "NO_SENTENCES")
    group = session_id or f"gen-{sortable_stamp(now)}-{secrets.token_hex(4)}"
    jobs = [
        TtsJob(
            job_id=new_job_id(),
            owner_email=principal.email,
            text=p.sentence.english,
            voice=voice,
            created_at=iso_utc(now),
            session_id=group,
            sentence_index=i,
            korean=p.sentence.korean,
        )
        for i, p in enumerate(chosen)
    ]
    from_library = _ready_from_library(ctx, jobs, now)
    jobs, still_making = _first_audio_now(ctx, from_library, now)
    made_here = still_making is not None or jobs[0] is not from_library[0]
    records = {r.sentence_key: r for r in history}
    ctx.sets.add(jobs, [mastery.served(records.get(p.sentence.key), principal.email, p.sentence, now) for p in chosen])
    delay = ctx.first_audio_head_start if made_here else 0
    queued = iter(_enqueue_speech(ctx, [job for job in jobs if not job.finished], now, delay))
    jobs = [job if job.finished else next(queued) for job in jobs]
    _announce_ready(ctx, [job for job in jobs if job.notified])
    if still_making is not None and not jobs[0].finished:  # its row is stored and its message sent by now
        first = jobs[0]
        still_making.add_done_callback(lambda made: _finish_late(ctx, first, made))
    return GeneratedSet(chosen, jobs, group, source, notice)


def _choose_sentences(
    ctx: Practice, history: list[SentenceRecord], level, topic: str, count: int, now: datetime
) -> tuple[list[PracticeSentence], str, str | None]:
    avoid = mastery.avoid_texts(history, now)
    reserve = ctx.bank.write(level, topic, count, avoid)
    if ctx.writer is ctx.bank:
        return mastery.compose_practice_set(reserve, history, level, topic, count, now, ctx.rng), ctx.bank.name, None
    try:
        fresh = ctx.writer.write(level, topic, count, avoid)
        source, notice = ctx.writer.name, None
    except Unavailable as error:
        # The student came to practise: the local bank serves the same level and topic, and the answer
        # says so. An outage or a model answering nonsense is logged for us, not turned into a 500 or a wall.
        slog.log(_log, logging.WARNING, "sentence writer failed; serving the bank", code=error.code)
        fresh, source, notice = [], ctx.bank.name, error.code
    chosen = mastery.compose_practice_set(fresh, history, level, topic, count, now, ctx.rng, reserve=reserve)
    return chosen, source, notice


def _ready_from_library(ctx: Practice, jobs: list[TtsJob], now: datetime) -> list[TtsJob]:
    """A sentence whose (voice, text) audio is in the library is ready at once: its job is COMPLETED here,
    with no queue round trip (the bank's sentences are synthesised ahead by ``warm_sentence_audio``). It is
    announced by this request, so it is stored as notified: no worker will see it."""
    stored = ctx.audio.get_all({audio_id(job.voice, job.text) for job in jobs})
    out = []
    for job in jobs:
        audio = stored.get(audio_id(job.voice, job.text))
        if audio is not None and audio.reusable_at(now):
            job = replace(job.completed(audio, now), notified=True)
        out.append(job)
    return out


def _first_audio_now(ctx: Practice, jobs: list[TtsJob], now: datetime) -> tuple[list[TtsJob], Future | None]:
    """The first sentence is the one the student hears first: if the library lacks its audio (a sentence Claude
    just wrote, a bank nobody made ahead), generate makes it itself, with the worker's code and its conditional
    put, waiting at most ``first_audio_budget``. Made in time, its job is COMPLETED and notified like a library
    hit, and never queued. Too slow, it is queued like the rest (nothing lost if this process stops) and the
    synthesis still under way is returned, to finish the job as soon as it is made (``_finish_late``); an engine
    error leaves it to the queue alone."""
    budget = ctx.first_audio_budget.total_seconds()
    first = jobs[0]
    if first.finished or budget <= 0:
        return jobs, None
    making = ctx.first_audio.submit(
        audio_id(first.voice, first.text), functools.partial(_make_speech, ctx, first.voice, first.text)
    )
    try:
        audio = making.result(timeout=budget)
    except TimeoutError:
        slog.log(_log, logging.INFO, "first audio not made within the budget; queued", budget_seconds=budget)
        return jobs, making
    except Exception:
        _log.warning("could not make the first audio at generate time; queued", exc_info=True)
        return jobs, None
    return [replace(first.completed(audio, now), notified=True), *jobs[1:]], None


def _finish_late(ctx: Practice, job: TtsJob, making: Future) -> None:
    """A first audio generate stopped waiting for finishes its queued job when it is made, unless the worker got
    there first (the job's conditional finish; the announcement's event id is the job's, so a push is sent once),
    so the student does not wait for the queue to reach it."""
    if making.cancelled() or making.exception() is not None:
        return
    try:
        _finish(ctx, job.completed(making.result(), ctx.now()))
    except Exception:
        _log.exception("could not finish the first audio's job; the worker will")


def _announce_ready(ctx: Practice, jobs: list[TtsJob]) -> None:
    """tts_ready for jobs finished at generate time, for clients that wait for the push; the answer already says
    COMPLETED, so a failed publish is logged, not a failed request. One batch for all of them: under load each
    round trip to the topic is what a student waits for."""
    if not jobs:
        return
    try:
        ctx.events.publish_all([_ready_event(job) for job in jobs])
    except Exception:
        _log.exception("could not announce the jobs whose audio was ready")


def _enqueue_speech(ctx: Practice, jobs: list[TtsJob], now: datetime, delay_seconds: int = 0) -> list[TtsJob]:
    if not jobs:
        return []
    try:
        unsent = set(ctx.tts_queue.enqueue([request_for(job) for job in jobs], delay_seconds))
    except Exception:
        _log.exception("the TTS queue refused the batch")
        unsent = {job.job_id for job in jobs}
    out = []
    for job in jobs:
        if job.job_id in unsent:
            job = job.failed("Speech could not be queued; generate the sentence again.", now)
            ctx.jobs.finish(job)
        out.append(job)
    return out


def tts_status(ctx: Practice, principal: Principal, job_id: str) -> tuple[TtsJob, str | None]:
    """The job and, once its audio is ready, where to fetch it. Only its owner may see the job."""
    job = ctx.jobs.get(job_id)
    if job is None or job.owner_email != principal.email:
        raise NotFound("You have no such speech job.", "JOB_NOT_FOUND")
    job = job.as_seen_at(ctx.now(), ctx.tts_deadline)
    url = native_voice_url(ctx, job.audio_key) if job.status == "COMPLETED" and job.audio_key else None
    return job, url


def native_voice_url(ctx: Practice, key: str) -> str:
    """The audio's key names its content (a hash of voice and text), so behind the CDN its URL never changes
    and every browser and edge keeps it (docs/decisions.md, "Caching"); without one, a presigned link, which
    is signed anew on every answer."""
    if ctx.audio_base_url:
        return f"{ctx.audio_base_url.rstrip('/')}/{key}"
    return ctx.files.presign_download(key)


# --- the TTS worker -------------------------------------------------------------------------------
def synthesize_sentence(ctx: Practice, body: str, receive_count: int) -> None:
    """One TTS queue message. Idempotent by job id; the last allowed receive marks the job FAILED with the
    reason (and announces it) before the message goes on to the dead-letter queue."""
    try:
        request = TtsRequest.model_validate_json(body)
    except ValidationError as exc:
        return _refuse_request(ctx, body, exc)
    job = ctx.jobs.add_if_absent(job_for(request, ctx.now()))
    if job.finished:
        if not job.notified:
            _announce(ctx, job)
        return
    if not ctx.jobs.start(job.job_id, ctx.now()):
        return _announce_if_pending(ctx, job.job_id)
    try:
        finished = job.completed(_speech_for(ctx, job.voice, job.text), ctx.now())
    except Invalid as error:  # the text itself cannot be spoken: retrying will not help
        finished = job.failed(error.message, ctx.now())
    except Exception as error:
        if receive_count < ctx.tts_max_receive_count:
            raise
        reason = error.message if isinstance(error, DomainError) else "the speech engine failed"
        _finish(ctx, job.failed(f"Speech could not be made after {receive_count} attempts ({reason}).", ctx.now()))
        raise
    _finish(ctx, finished)


def _refuse_request(ctx: Practice, body: str, error: ValidationError) -> None:
    """A job whose text cannot be spoken (blank, too long) fails at once, so its owner hears so; a message
    that does not even name a job and its owner can only go to the dead-letter queue."""
    problem = error.errors(include_url=False)[0]
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not (
        isinstance(data, dict)
        and isinstance(data.get("jobId"), str)
        and data["jobId"].strip()
        and isinstance(data.get("ownerEmail"), str)
        and "@" in data["ownerEmail"]
    ):
        raise MalformedTtsRequest(f"not a TTS job: {problem['msg']}") from error
    field_name = ".".join(str(part) for part in problem["loc"])
    job = TtsJob(
        job_id=data["jobId"][:100],
        owner_email=data["ownerEmail"],
        text=str(data.get("text", ""))[:500],
        voice=str(data.get("voiceId") or DEFAULT_VOICE)[:40],
        created_at=iso_utc(ctx.now()),
    )
    stored = ctx.jobs.add_if_absent(job.failed(f"This cannot be spoken ({field_name}: {problem['msg']}).", ctx.now()))
    if stored.finished and not stored.notified:
        _announce(ctx, stored)


def _speech_for(ctx: Practice, voice: str, text: str, renew_before: datetime | None = None) -> SentenceAudio:
    """The audio for (voice, text): made once, then reused while it lasts; made again ahead of time if it stops
    being reusable before ``renew_before``."""
    stored = ctx.audio.get(audio_id(voice, text))
    if stored is not None and stored.reusable_at(renew_before or ctx.now()):
        return stored
    return _make_speech(ctx, voice, text, renew_before)


def _make_speech(ctx: Practice, voice: str, text: str, renew_before: datetime | None = None) -> SentenceAudio:
    """Synthesises (voice, text) and stores it under tts/ and in the library. The library's put is conditional:
    if someone stored this audio first (the worker, generate, the warming), theirs is kept and returned."""
    identity, now = audio_id(voice, text), ctx.now()
    speech = ctx.synthesizer.synthesize(text, voice)
    key = audio_key(identity, speech.extension)
    ctx.files.put(key, speech.audio, speech.content_type)
    return ctx.audio.add(
        SentenceAudio(
            audio_id=identity,
            voice=voice,
            text=text,
            s3_key=key,
            content_type=speech.content_type,
            duration_ms=speech.duration_ms,
            created_at=iso_utc(now),
        ),
        replacing_before=renew_before,
    )


def _finish(ctx: Practice, job: TtsJob) -> None:
    if ctx.jobs.finish(job):
        _announce(ctx, job)
    else:
        _announce_if_pending(ctx, job.job_id)


def _announce_if_pending(ctx: Practice, job_id: str) -> None:
    stored = ctx.jobs.get(job_id)
    if stored is not None and stored.finished and not stored.notified:
        _announce(ctx, stored)


def _announce(ctx: Practice, job: TtsJob) -> None:
    """The student's WebSocket hears tts_ready through notifications; a failed publish retries the message."""
    ctx.events.publish(_ready_event(job))
    ctx.jobs.mark_notified(job.job_id)


def _ready_event(job: TtsJob) -> TtsReady:
    return TtsReady(
        # Derived from the job: a retry after a crash between publish and mark_notified sends the same event,
        # which notifications pushes once.
        eventId=str(uuid.uuid5(uuid.NAMESPACE_URL, f"tts-ready/{job.job_id}")),
        jobId=job.job_id,
        ownerEmail=job.owner_email,
        status=job.status,
        sessionId=job.session_id,
        sentenceIndex=job.sentence_index,
        reason=job.reason,
    )


# --- the bank's audio, made ahead -----------------------------------------------------------------
@dataclass(frozen=True)
class WarmedAudio:
    sentences: int  # (voice, text) pairs in the bank
    made: int  # synthesised now
    failed: int
    left: int = 0  # due, but not started within the budget: the next run makes them


def warm_sentence_audio(
    ctx: Practice,
    voices: Iterable[str] = (DEFAULT_VOICE,),
    workers: int = 2,
    renew_within: timedelta = timedelta(0),
    budget: timedelta | None = None,
    timer: Callable[[], float] = time.monotonic,
) -> WarmedAudio:
    """Makes the audio of every bank sentence in ``voices`` that the library lacks, or holds for less than
    ``renew_within`` more, so that generate finds it ready. Idempotent; run it again within the reuse period
    (5 days) to keep the bank ready. With a ``budget`` no synthesis starts after it is spent (a Lambda's time):
    what is left is counted, and the next run finds it still due."""
    pairs = sorted(
        {
            (voice, sentence.english)
            for voice in voices
            for level in Level
            for topic in TOPICS
            for sentence in ctx.bank.write(level, topic, MAX_SENTENCES, [])
        }
    )
    renew_before = ctx.now() + renew_within
    stored = ctx.audio.get_all({audio_id(voice, text) for voice, text in pairs})
    due = [pair for pair in pairs if not _lasts(stored.get(audio_id(*pair)), renew_before)]
    stop_at = None if budget is None else timer() + budget.total_seconds()

    def make(pair: tuple[str, str]) -> bool | None:
        if stop_at is not None and timer() >= stop_at:
            return None
        try:
            _speech_for(ctx, *pair, renew_before=renew_before)
            return True
        except Exception:
            _log.exception("could not make a bank sentence's audio")
            return False

    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(make, due))
    return WarmedAudio(
        sentences=len(pairs),
        made=outcomes.count(True),
        failed=outcomes.count(False),
        left=outcomes.count(None),
    )


def _lasts(audio: SentenceAudio | None, until: datetime) -> bool:
    return audio is not None and audio.reusable_at(until)


# --- recordings and their assessment --------------------------------------------------------------
def start_recording_upload(ctx: Practice, principal: Principal, content_type: str, size: int) -> dict[str, Any]:
    recordings.check_recording_size(size)
    extension = recordings.recording_extension(content_type)
    key = recordings.new_recording_key(recordings_folder(principal), ctx.now(), extension)
    upload = ctx.files.presign_upload(key, content_type, recordings.MAX_RECORDING_BYTES)
    return {"audioKey": key, "upload": upload, "maxBytes": recordings.MAX_RECORDING_BYTES}


def evaluate_recording(
    ctx: Practice,
    principal: Principal,
    audio: bytes,
    content_type: str | None,
    filename: str | None,
    original_text: str | None,
    session_id: str | None,
) -> dict[str, Any]:
    text = recordings.check_original_text(original_text)
    recordings.check_recording_size(len(audio))
    extension = recordings.recording_extension(content_type, filename)
    assessment = _assess(ctx, audio, text, content_type)
    key = recordings.new_recording_key(recordings_folder(principal), ctx.now(), extension)
    ctx.files.put(key, audio, content_type or f"audio/{extension}")
    return _keep_result(ctx, principal, text, key, assessment, session_id)


def evaluate_uploaded_recording(
    ctx: Practice, principal: Principal, audio_key: str, original_text: str | None, session_id: str | None
) -> dict[str, Any]:
    text = recordings.check_original_text(original_text)
    key = recordings.check_own_recording(audio_key, recordings_folder(principal))
    stored = ctx.files.read(key, recordings.MAX_RECORDING_BYTES)
    if stored is None:
        raise NotFound("Upload the recording first, then ask for its evaluation.", "UPLOAD_NOT_FOUND")
    audio, content_type = stored
    recordings.check_recording_size(len(audio))
    recordings.recording_extension(content_type, key)
    assessment = _assess(ctx, audio, text, content_type)
    return _keep_result(ctx, principal, text, key, assessment, session_id)


def _assess(ctx: Practice, audio: bytes, text: str, content_type: str | None) -> Any:
    with observability.timed(observability.ASSESSMENT_TIME):
        assessment = ctx.assessor.assess(audio, text, content_type)
    observability.count(observability.SENTENCES_PRACTISED)
    return assessment


def _keep_result(
    ctx: Practice, principal: Principal, text: str, key: str, assessment, session_id: str | None
) -> dict[str, Any]:
    now = ctx.now()
    student = principal.email
    record = ctx.mastery.get(student, sentence_key(text))
    result = PronunciationResult(
        student_email=student,
        result_id=f"res-{sortable_stamp(now)}-{secrets.token_hex(4)}",
        created_at=iso_utc(now),
        original_text=text,
        audio_key=key,
        sentence_key=sentence_key(text),
        assessment=assessment,
        topic=record.topic if record else None,
        level=record.level.value if record and record.level else None,
    )
    session = _speaking_session(ctx, student, session_id, now)
    speaking_seconds = round(assessment.audio_duration_ms / 1000)
    in_session = session is not None and ctx.sessions.add_speech(
        student, session.session_id, assessment.audio_duration_ms
    )
    # Speech in a session reaches the statistics when the session ends; speech outside one counts now.
    delta = StatsDelta(
        evaluation_count=1,
        score_total=assessment.overall_score,
        total_speaking_time=0 if in_session else speaking_seconds,
    )
    result = replace(result, session_id=session.session_id if in_session else None)
    ctx.results.add(result, kst_day(now), delta)
    # Last write wins if the same sentence is assessed twice at once: mastery steers the choice of sentences,
    # it is not a ledger (the results and the day's counters are, and those are transactional).
    base = record or SentenceRecord(student, result.sentence_key, text, "")
    ctx.mastery.save(base.practised(assessment.overall_score, now))
    _tell_tutor(ctx, result)
    return {
        **assessment.payload,
        "resultId": result.result_id,
        "audioKey": key,
        "createdAt": result.created_at,
        "sessionId": session.session_id if in_session else None,
    }


def _speaking_session(ctx: Practice, student: str, session_id: str | None, now: datetime) -> LearningSession | None:
    if session_id:
        session = ctx.sessions.get(student, session_id)
        if session is None:
            raise NotFound("You have no such session.", "SESSION_NOT_FOUND")
    else:
        session = ctx.sessions.latest(student)
    return session if session is not None and session.collects_speech_at(now) else None


def _tell_tutor(ctx: Practice, result: PronunciationResult) -> None:
    """The tutor's live view is a courtesy: the stored result is the record, so a failed publish is logged
    and the student still gets their assessment."""
    try:
        ctx.events.publish(
            PracticeResult(
                studentEmail=result.student_email,
                resultId=result.result_id,
                originalText=result.original_text,
                overallScore=result.assessment.overall_score,
                grade=result.assessment.grade,
                level=result.level,
                sessionId=result.session_id,
                speakingSeconds=result.assessment.audio_duration_ms / 1000,
            )
        )
    except Exception:
        _log.exception("could not publish the practice result")


# --- progress -------------------------------------------------------------------------------------
def daily_statistics(
    ctx: Practice, principal: Principal, raw_from: str | None, raw_to: str | None, student_email: str | None = None
) -> dict[str, Any]:
    student = subject_of(ctx, principal, student_email)
    start, end = day_range(raw_from, raw_to, kst_day(ctx.now()))
    days = ctx.statistics.days(student, start, end)
    return {
        "studentEmail": shown_student(ctx, principal, student),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "timezone": "Asia/Seoul",
        "days": [d.as_json() for d in days],
    }


def progress_summary(ctx: Practice, principal: Principal, student_email: str | None = None) -> dict[str, Any]:
    student = subject_of(ctx, principal, student_email)
    today = kst_day(ctx.now())
    days = ctx.statistics.days(student, today - timedelta(days=progress.SUMMARY_DAYS - 1), today)
    results = ctx.results.recent(student, progress.RECENT_RESULTS)
    return {"studentEmail": shown_student(ctx, principal, student), **progress.summary(days, results, today)}


def list_results(
    ctx: Practice, principal: Principal, cursor: str | None, limit: int, student_email: str | None = None
) -> Page:
    student = subject_of(ctx, principal, student_email)
    return ctx.results.page(student, cursor, max(1, min(limit, 50)), principal.user_id)


# --- conversation turns, from conversation's events -----------------------------------------------
def count_conversation_turn(ctx: Practice, event: ConversationTurnCompleted) -> None:
    """A turn of an AI conversation is practice too: it counts in its day's statistics and streak."""
    ctx.statistics.add_conversation_turn(
        event.student_email.lower(),
        kst_day(event.occurred_at),
        event.request_id,
        round(event.speaking_seconds),
        event.occurred_at,
    )


# --- tutor links, from matching's events ----------------------------------------------------------
def apply_tutor_match(ctx: Practice, event: TutorMatch) -> None:
    follow_link(ctx.handles, event)
    follow_match(ctx.links, event)


# --- account deletion, from identity's events -----------------------------------------------------
def erase_user(ctx: Practice, event: UserDeleted) -> None:
    """A deleted student leaves nothing here: their recordings (every version) and every row keyed by them.
    A failure raises, so the message is retried and then dead-lettered, never reported done half-erased."""
    ctx.statistics.mark_erased(event.email.strip().lower(), event.occurred_at)  # first: late events write nothing
    ctx.files.erase_prefix(recordings.recording_prefix(event.user_id))
    ctx.erasure.erase_user(event.email.strip().lower())
