"""The conversation context of SpeakTracker: spoken role-play with an AI partner (seed scenario 4)."""

from concurrent.futures import ThreadPoolExecutor

from chalicelib import service
from chalicelib.routes import register_routes
from chalicelib.wiring import conversations
from speaktracker import catalogue
from speaktracker.events import TutorMatch, parse_event
from speaktracker.http import create_service_app
from speaktracker.settings import get_settings
from speaktracker.sqs import QueueMessage, process_batch

app, routes = create_service_app("conversation")
jwt_authorizer = routes.gateway_authorizer  # Lambda resolves handlers as names of app.py
register_routes(routes)

_settings = get_settings()
# Turns of different learners are answered side by side: recognition and speech release the GIL, and one
# slow turn must not hold up the others in its batch.
_TURN_WORKERS = 4
_pool = ThreadPoolExecutor(max_workers=_TURN_WORKERS, thread_name_prefix="turn")


@app.on_sqs_message(queue=_settings.name("ai-chat"), batch_size=catalogue.queue("ai-chat").batch_size)
def answer_turns(event):
    """The turn worker: one reply request per message, failures reported per message."""
    records = (event.to_dict() if hasattr(event, "to_dict") else event).get("Records", [])
    records.sort(key=lambda record: '"feedback"' in record.get("body", ""))  # replies first: a learner waits
    answers = _pool.map(lambda record: process_batch({"Records": [record]}, _answer), records)
    return {"batchItemFailures": [failure for answer in answers for failure in answer["batchItemFailures"]]}


def _answer(message: QueueMessage) -> None:
    service.answer_turn(conversations(), message.body, message.receive_count)


@app.on_sqs_message(queue=_settings.name("conversation-events"),
                    batch_size=catalogue.queue("conversation-events").batch_size)
def follow_tutor_links(event):
    """Matching's tutor_match events keep conversation's record of who tutors whom."""
    return process_batch(event, _apply_event)


def _apply_event(message: QueueMessage) -> None:
    parsed = parse_event(message.body)
    if isinstance(parsed, TutorMatch):
        service.apply_tutor_match(conversations(), parsed)
