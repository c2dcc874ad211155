"""The identity context of SpeakTracker: sign-up, email code, login, tokens, profile."""

from chalicelib.routes import register_routes
from speaktracker.http import create_service_app

app, routes = create_service_app("identity")
register_routes(routes)
