"""Builds conversation's use-case context from settings, once, on first use (not at import)."""

from __future__ import annotations

import functools

from speaktracker import catalogue
from speaktracker.aws import AwsClients
from speaktracker.events import publisher_from
from speaktracker.settings import get_settings
from speaktracker.student_handles import DynamoStudentHandles
from speaktracker.tutor_links import DynamoTutorLinks

from .adapters.dynamodb import DynamoConversations
from .adapters.dynamodb_content import DynamoGeneratedContent
from .adapters.dynamodb_erasure import DynamoConversationErasure
from .adapters.s3 import S3Recordings
from .adapters.scripted import ScriptedCoach, ScriptedPartner
from .adapters.speech import DictionaryWords, EngineEars, EngineMouth, EngineScorer, Lazy
from .adapters.sqs import SqsReplyQueue
from .domain.conversation import processing_deadline
from .domain.scenarios import Catalogue
from .scenario_images import ScenarioImages
from .service import Conversations


@functools.cache
def conversations() -> Conversations:
    settings = get_settings()
    clients = AwsClients(settings)
    db = clients.client("dynamodb")
    bucket = settings.name("user-content")
    ai_chat = catalogue.queue("ai-chat")
    local = settings.speech_engine == "local"
    engine = Lazy(lambda: _speech_engine(settings, clients))
    recognizer = Lazy(lambda: _recognizer(settings, clients))
    scripted = ScriptedPartner()
    dictionary = DictionaryWords()
    partner, coach = scripted, ScriptedCoach(dictionary)
    if settings.llm_engine == "anthropic":
        from .adapters.claude import ClaudeCoach, ClaudePartner

        model = functools.cache(lambda: _claude(settings, clients))
        partner, coach = ClaudePartner(model), ClaudeCoach(model, dictionary)
    table = settings.name("ai-conversations")
    return Conversations(
        store=DynamoConversations(db, table),
        queue=SqsReplyQueue(clients.client("sqs"), settings.name("ai-chat"), settings.name("ai-feedback")),
        recordings=S3Recordings(clients.client("s3"), bucket, settings.presigned_url_seconds),
        ears=EngineEars(recognizer),
        mouth=EngineMouth(engine, local),
        scorer=EngineScorer(engine),
        partner=partner,
        coach=coach,
        fallback=scripted,
        catalogue=Catalogue.load(),
        links=DynamoTutorLinks(db, table, lambda email: {"conversationId": f"TUTOR#{email}", "itemKey": "LINK"}),
        # A child's handle items sit beside the TUTOR# link records (docs/children.md).
        handles=DynamoStudentHandles(db, table, lambda name: {"conversationId": f"TUTOR#{name}", "itemKey": "HANDLE"}),
        events=publisher_from(clients),
        erasure=DynamoConversationErasure(db, settings.name),
        max_receive_count=ai_chat.max_receive_count,
        deadline=processing_deadline(ai_chat.visibility_timeout, ai_chat.max_receive_count),
        presigned_url_seconds=settings.presigned_url_seconds,
    )


@functools.cache
def scenario_images() -> ScenarioImages:
    settings = get_settings()
    clients = AwsClients(settings)
    return ScenarioImages(
        catalogue=Catalogue.load(),
        generator=_image_engine(settings, clients),
        records=DynamoGeneratedContent(clients.client("dynamodb"), settings.name("generated-content")),
        bucket=S3Recordings(clients.client("s3"), settings.name("user-content"), settings.presigned_url_seconds),
        url_seconds=settings.presigned_url_seconds,
    )


def _image_engine(settings, clients):
    if settings.image_engine == "local":
        from .adapters.illustration import EmojiIllustrator

        return EmojiIllustrator()
    from .adapters.nova_canvas import NovaCanvas, client_config

    client = clients.session.client(
        "bedrock-runtime",
        region_name=settings.image_region,
        endpoint_url=settings.bedrock_endpoint_url,
        config=client_config(),
    )
    return NovaCanvas(client, settings.image_model_id)


def _speech_engine(settings, clients):
    from speaktracker.speech import build_speech

    if settings.speech_engine == "local":
        return build_speech(settings)
    return build_speech(
        settings,
        polly_client=clients.client("polly"),
        transcribe_client=clients.client("transcribe"),
        s3_client=clients.client("s3"),
        transcribe_bucket=settings.name("user-content"),
    )


def _recognizer(settings, clients):
    from speaktracker.speech import build_recognizer

    if settings.speech_engine == "local":
        return build_recognizer(settings)
    return build_recognizer(
        settings,
        transcribe_client=clients.client("transcribe"),
        s3_client=clients.client("s3"),
        transcribe_bucket=settings.name("user-content"),
        transcribe_prefix="user-audio/transcribe/",
    )


def _claude(settings, clients):
    from speaktracker.llm import ClaudeModel, claude_from_settings

    from .adapters.claude import UsageLoggingClient

    # The shared factory reads the key (Secrets Manager) and bounds retries and time; the same client is
    # wrapped so that every call logs its usage.
    base = claude_from_settings(settings, clients)
    return ClaudeModel(UsageLoggingClient(base._client), settings.anthropic_model)
