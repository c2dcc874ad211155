"""The notifications context of SpeakTracker: WebSocket connections, the inbox, tutor feedback, live pushes."""

from chalicelib.routes import register_events_consumer, register_routes
from chalicelib.ws import register_websocket_handlers
from speaktracker.http import create_service_app
from speaktracker.lazy import lazy_callable

notifications = lazy_callable("chalicelib.wiring", "notifications")  # its adapters load with the first request

app, routes = create_service_app("notifications")
jwt_authorizer = routes.gateway_authorizer  # Lambda resolves handlers as names of app.py
websocket_connect, websocket_disconnect, websocket_message = register_websocket_handlers(app)
register_routes(routes, notifications)
deliver_events = register_events_consumer(app, notifications)
