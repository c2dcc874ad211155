"""The conversation context of SpeakTracker: spoken role-play with an AI partner (seed scenario 4)."""

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from chalicelib.routes import register_routes
from speaktracker import catalogue
from speaktracker.http import create_service_app
from speaktracker.lazy import lazy_callable, lazy_module
from speaktracker.settings import get_settings
from speaktracker.sqs import QueueMessage, process_batch

app, routes = create_service_app("conversation")
jwt_authorizer = routes.gateway_authorizer  # Lambda resolves handlers as names of app.py
register_routes(routes)

_settings = get_settings()
# What the handlers call loads with the first message that needs it, not with the cold start.
service = lazy_module("chalicelib.service")
data_export = lazy_module("chalicelib.data_export")
events = lazy_module("speaktracker.events")
conversations = lazy_callable("chalicelib.wiring", "conversations")
# Turns of different learners are answered side by side (recognition, speech and scoring release the GIL),
# so one slow turn does not hold up the others in its batch.
_WORKERS = 4


def _yield_cpu() -> None:
    """Feedback threads run at a lower CPU priority where they share a machine with replies (the dev stack
    runs both workers in one process); a learner waits for a reply, not for its feedback."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


_replies = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="reply")
_feedback = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="feedback", initializer=_yield_cpu)


@app.on_sqs_message(queue=_settings.name("ai-chat"), batch_size=catalogue.queue("ai-chat").batch_size)
def answer_turns(event):
    """The turn worker: one reply request per message, failures reported per message."""
    return _side_by_side(_replies, event)


@app.on_sqs_message(queue=_settings.name("ai-feedback"), batch_size=catalogue.queue("ai-feedback").batch_size)
def coach_turns(event):
    """Feedback and pronunciation of answered turns, after their reply was pushed."""
    return _side_by_side(_feedback, event)


def _side_by_side(pool: ThreadPoolExecutor, event) -> dict:
    records = (event.to_dict() if hasattr(event, "to_dict") else event).get("Records", [])
    answers = pool.map(lambda record: process_batch({"Records": [record]}, _answer), records)
    return {"batchItemFailures": [failure for answer in answers for failure in answer["batchItemFailures"]]}


def _answer(message: QueueMessage) -> None:
    service.answer_turn(conversations(), message.body, message.receive_count)


@app.on_sqs_message(
    queue=_settings.name("conversation-events"), batch_size=catalogue.queue("conversation-events").batch_size
)
def follow_tutor_links(event):
    """Matching's tutor_match events keep conversation's record of who tutors whom; identity's user_deleted
    erases the student's conversations."""
    return process_batch(event, _apply_event)


def _apply_event(message: QueueMessage) -> None:
    parsed = events.parse_event(message.body)
    if isinstance(parsed, events.TutorMatch):
        service.apply_tutor_match(conversations(), parsed)
    elif isinstance(parsed, events.UserDeleted):
        service.erase_user(conversations(), parsed)
    elif isinstance(parsed, events.UserExportRequested):
        data_export.export_conversation_data(parsed)
