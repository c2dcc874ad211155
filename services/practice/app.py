"""The practice context of SpeakTracker: sessions, sentences with speech, pronunciation, progress."""

import logging
from datetime import timedelta

from chalice import Rate
from chalicelib.domain.speech_jobs import AUDIO_RENEW_WITHIN
from chalicelib.routes import register_routes
from speaktracker import catalogue
from speaktracker import logging as slog
from speaktracker.http import create_service_app
from speaktracker.lazy import lazy_callable, lazy_module
from speaktracker.settings import get_settings
from speaktracker.sqs import QueueMessage, process_batch

# What the handlers call loads with the first message that needs it, not with the cold start.
service = lazy_module("chalicelib.service")
data_export = lazy_module("chalicelib.data_export")
events = lazy_module("speaktracker.events")
practice = lazy_callable("chalicelib.wiring", "practice")

app, routes = create_service_app("practice")
jwt_authorizer = routes.gateway_authorizer  # Lambda resolves handlers as names of app.py
app.api.binary_types.append("multipart/form-data")
register_routes(routes)

_settings = get_settings()
_log = slog.get_logger("practice.app")
# What a run may spend of its Lambda's time before it stops starting syntheses (the rest is left to the next day).
WARMING_SHARE_OF_TIMEOUT = 0.8


def warm_up() -> None:
    """Called by a long-running server (the dev stack's host) once it serves: the speech engine loads (~0.6 CPU s)
    before the first set's first audio is made at generate time, not inside its budget while 20 students ask at
    once. Lambda does not call it: there the first generate of a container waits for the engine, and its first
    audio, if the budget runs out, is finished late or by the queue."""
    from chalicelib.domain.speech_jobs import DEFAULT_VOICE

    try:
        practice().synthesizer.synthesize("Ready.", DEFAULT_VOICE)
    except Exception:
        _log.exception("could not warm the speech engine; it loads on first use")


@app.schedule(Rate(1, unit=Rate.DAYS))
def warm_bank_audio(event):
    """Daily, where ``sentence_audio_warming`` is on (the AWS stages): the bank's audio that the library lacks
    or that stops being reusable within two days is made ahead, so generate finds it ready."""
    if not _settings.sentence_audio_warming:
        return
    budget = timedelta(milliseconds=event.context.get_remaining_time_in_millis() * WARMING_SHARE_OF_TIMEOUT)
    warmed = service.warm_sentence_audio(practice(), renew_within=AUDIO_RENEW_WITHIN, budget=budget)
    slog.log(
        _log,
        logging.INFO,
        "warmed the bank's audio",
        sentences=warmed.sentences,
        made=warmed.made,
        failed=warmed.failed,
        left=warmed.left,
    )


@app.on_sqs_message(queue=_settings.name("tts"), batch_size=catalogue.queue("tts").batch_size)
def synthesize_speech(event):
    """The TTS worker: one job per message, failures reported per message."""
    return process_batch(event, lambda m: service.synthesize_sentence(practice(), m.body, m.receive_count))


@app.on_sqs_message(queue=_settings.name("practice-events"), batch_size=catalogue.queue("practice-events").batch_size)
def follow_tutor_links(event):
    """Matching's tutor_match events keep practice's record of who tutors whom; conversation's turns count in
    the day's statistics; identity's user_deleted erases the student's data."""
    return process_batch(event, _apply_event)


def _apply_event(message: QueueMessage) -> None:
    parsed = events.parse_event(message.body)
    if isinstance(parsed, events.TutorMatch):
        service.apply_tutor_match(practice(), parsed)
    elif isinstance(parsed, events.ConversationTurnCompleted):
        service.count_conversation_turn(practice(), parsed)
    elif isinstance(parsed, events.UserDeleted):
        service.erase_user(practice(), parsed)
    elif isinstance(parsed, events.UserExportRequested):
        data_export.export_practice_data(parsed)
