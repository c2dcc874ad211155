"""The identity context of SpeakTracker: sign-up, email code, login, tokens, profile, data exports."""

from chalicelib.export_routes import register_export_consumer, register_export_routes, register_export_sweep
from chalicelib.mfa_routes import register_mfa_routes
from chalicelib.routes import register_routes
from speaktracker.http import create_service_app

app, routes = create_service_app("identity")
jwt_authorizer = routes.gateway_authorizer  # Lambda resolves handlers as names of app.py
register_routes(routes)
register_export_routes(routes)
register_mfa_routes(routes)
collect_export_parts = register_export_consumer(app)
sweep_exports = register_export_sweep(app)
