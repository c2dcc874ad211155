"""SpeakTracker's common package, vendored into every service."""
