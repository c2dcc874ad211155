"""The identity context of SpeakTracker."""

from speaktracker.http import create_service_app

app, routes = create_service_app("identity")
