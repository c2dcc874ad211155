"""SpeakTracker's offline dev stack: the emulator, the bootstrap of the resource catalogue, one host process
per service (REST, queue pollers, the WebSocket gateway) and the web server. ``python -m speaktracker_dev``."""
