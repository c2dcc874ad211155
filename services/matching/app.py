"""The matching context of SpeakTracker: finding a tutor, match requests, tutor-student links, live state."""

from chalicelib.routes import register_events_consumer, register_outbox_relay, register_routes
from speaktracker.http import create_service_app

app, routes = create_service_app("matching")
register_routes(routes)
register_events_consumer(app)
register_outbox_relay(app)
