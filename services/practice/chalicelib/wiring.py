"""Builds practice's use-case context from settings, once, on first use (not at import)."""

from __future__ import annotations

import functools
from datetime import timedelta

from speaktracker import catalogue
from speaktracker.aws import AwsClients
from speaktracker.erasure import DynamoUserErasure, holding
from speaktracker.events import publisher_from
from speaktracker.settings import get_settings
from speaktracker.student_handles import DynamoStudentHandles
from speaktracker.tutor_links import DynamoTutorLinks

from .adapters.claude import ClaudeSentenceWriter
from .adapters.dynamodb_progress import DynamoResults, DynamoSessions, DynamoStatistics
from .adapters.dynamodb_sets import DynamoPracticeSets
from .adapters.dynamodb_speech import DynamoAudioLibrary, DynamoJobStatus
from .adapters.dynamodb_students import DynamoMastery
from .adapters.s3 import S3FileStore
from .adapters.sentence_bank import BankSentenceWriter, load_bank
from .adapters.speech import EngineAssessor, EngineSynthesizer, SpeechEngine
from .adapters.sqs import SqsTtsQueue
from .domain.speech_jobs import processing_deadline
from .service import Practice


@functools.cache
def practice() -> Practice:
    settings = get_settings()
    clients = AwsClients(settings)
    db = clients.client("dynamodb")
    tts = catalogue.queue("tts")
    speech = SpeechEngine(settings, clients)
    bank = BankSentenceWriter(load_bank())
    writer = bank
    if settings.llm_engine == "anthropic":
        from speaktracker.llm import claude_from_settings

        writer = ClaudeSentenceWriter(functools.cache(lambda: claude_from_settings(settings, clients)))
    return Practice(
        sessions=DynamoSessions(db, settings.name("learning-sessions"), settings.name("daily-statistics")),
        statistics=DynamoStatistics(db, settings.name("daily-statistics")),
        results=DynamoResults(db, settings.name("pronunciation-results"), settings.name("daily-statistics")),
        mastery=DynamoMastery(db, settings.name("sentence-mastery")),
        links=DynamoTutorLinks(db, settings.name("student-tutors"), lambda email: {"studentEmail": email}),
        handles=DynamoStudentHandles(db, settings.name("student-tutors"), lambda name: {"studentEmail": name}),
        jobs=DynamoJobStatus(db, settings.name("async-job-status")),
        sets=DynamoPracticeSets(db, settings.name("async-job-status"), settings.name("sentence-mastery")),
        audio=DynamoAudioLibrary(db, settings.name("sentence-audio")),
        files=S3FileStore(clients.client("s3"), settings.name("user-content"), settings.presigned_url_seconds),
        tts_queue=SqsTtsQueue(clients.client("sqs"), settings.name("tts")),
        synthesizer=EngineSynthesizer(speech),
        assessor=EngineAssessor(speech),
        writer=writer,
        bank=bank,
        events=publisher_from(clients),
        erasure=DynamoUserErasure(
            db,
            [
                holding(settings.name, t)
                for t in ("learning-sessions", "pronunciation-results", "daily-statistics", "sentence-mastery")
            ]
            + [
                holding(settings.name, "async-job-status", "ownerEmail-index"),
                holding(settings.name, "student-tutors"),
            ],
        ),
        tts_max_receive_count=tts.max_receive_count,
        tts_deadline=processing_deadline(tts.visibility_timeout, tts.max_receive_count),
        presigned_url_seconds=settings.presigned_url_seconds,
        audio_base_url=settings.audio_base_url,
        first_audio_budget=timedelta(milliseconds=settings.first_audio_budget_ms),
        first_audio_head_start=settings.first_audio_head_start_seconds,
    )
