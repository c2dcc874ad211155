"""The notifications context of SpeakTracker."""

from chalicelib.ws import register_websocket_handlers
from speaktracker.http import create_service_app

app, routes = create_service_app("notifications")
register_websocket_handlers(app)
