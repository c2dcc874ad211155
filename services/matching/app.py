"""The matching context of SpeakTracker: finding a tutor, match requests, tutor-student links, live state."""

from chalicelib.routes import register_events_consumer, register_outbox_relay, register_routes
from speaktracker.http import create_service_app

app, routes = create_service_app("matching")
jwt_authorizer = routes.gateway_authorizer  # Lambda resolves handlers as names of app.py
register_routes(routes)
project_identity_events = register_events_consumer(app)
relay_outbox = register_outbox_relay(app)
