"""The identity context of SpeakTracker: sign-up, email code, login, tokens, profile."""

from chalicelib.routes import register_routes
from speaktracker.http import create_service_app

app, routes = create_service_app("identity")
jwt_authorizer = routes.gateway_authorizer  # Lambda resolves handlers as names of app.py
register_routes(routes)
