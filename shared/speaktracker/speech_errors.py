"""The speech engine's errors in the product's HTTP terms, for the services that hear or speak.

    with speech_errors("Record as WAV, WebM or Ogg audio."):
        engine.assessor.assess(audio, text)

The learner's input (undecodable, empty, silent, too long, a sentence that cannot be pronounced) becomes a
4xx domain error with the engine's code; the engine itself failing becomes a 503. The speech package is
imported on first use, so services without the speech extra can import this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .errors import DomainError, Invalid, Unavailable, Unprocessable, UnsupportedMediaType


@contextmanager
def speech_errors(formats_hint: str = "") -> Iterator[None]:
    from speaktracker import speech

    try:
        yield
    except speech.SpeechInputError as error:
        raise _as_domain_error(error, speech, formats_hint) from error
    except speech.SpeechEngineError as error:
        raise Unavailable("The speech engine failed; please try again.", error.code) from error


def _as_domain_error(error: Any, speech: Any, formats_hint: str) -> DomainError:
    if isinstance(error, speech.AudioUndecodable):
        return UnsupportedMediaType(f"{error.message} {formats_hint}".strip(), error.code)
    if isinstance(error, (speech.AudioEmpty, speech.ReferenceTextError)):
        return Invalid(error.message, error.code)
    return Unprocessable(error.message, error.code)
