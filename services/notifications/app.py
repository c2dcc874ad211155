"""The notifications context of SpeakTracker: WebSocket connections, the inbox, tutor feedback, live pushes."""

from chalicelib.routes import register_events_consumer, register_routes
from chalicelib.wiring import notifications
from chalicelib.ws import register_websocket_handlers
from speaktracker.http import create_service_app

app, routes = create_service_app("notifications")
register_websocket_handlers(app)
register_routes(routes, notifications)
register_events_consumer(app, notifications)
