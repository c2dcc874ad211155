"""Engines behind the speech ports: pocketsphinx and espeak-ng offline, Transcribe and Polly in AWS."""
