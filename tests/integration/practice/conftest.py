"""Practice's app through chalice.test.Client against the emulator; queue handlers run through the dev
stack's own SQS poller, so receive counts, partial failures and dead-lettering are SQS's, not ours."""

import os
import uuid

import pytest
from support.app_client import AppClient
from support.emulator import Emulator
from support.queues import Queues
from support.services import use_service

use_service("practice")
HEAD_START = "SPEAKTRACKER_FIRST_AUDIO_HEAD_START_SECONDS"


@pytest.fixture(scope="session")
def aws():
    # The rest of a set whose first audio generate made goes on the queue at once, not 2 s later: tests read the
    # queue right after generate, and a delayed message would reach the next test. The head start's test sets it.
    saved = os.environ.get(HEAD_START)
    os.environ[HEAD_START] = "0"
    with Emulator() as emulator:
        yield emulator
    if saved is None:
        os.environ.pop(HEAD_START)
    else:
        os.environ[HEAD_START] = saved


@pytest.fixture(scope="session")
def app(aws):
    from chalicelib import wiring

    wiring.practice.cache_clear()
    import app as practice_app

    yield practice_app.app
    wiring.practice.cache_clear()


@pytest.fixture(scope="session")
def client(app):
    from chalice.test import Client

    with Client(app) as test_client:
        yield test_client


@pytest.fixture
def ctx(app):
    from chalicelib.wiring import practice

    return practice()


@pytest.fixture(scope="session")
def api(client):
    return AppClient(client)


@pytest.fixture
def student(aws):
    return aws.user(f"student-{uuid.uuid4().hex[:8]}@example.com", "student")


@pytest.fixture
def tutor(aws):
    return aws.user(f"tutor-{uuid.uuid4().hex[:8]}@example.com", "tutor")


class Counting:
    """Counts the calls to the real synthesizer it wraps."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def synthesize(self, text, voice):
        self.calls.append((text, voice))
        return self.inner.synthesize(text, voice)


@pytest.fixture
def counting(ctx, monkeypatch):
    wrapper = Counting(ctx.synthesizer)
    monkeypatch.setattr(ctx, "synthesizer", wrapper)
    return wrapper


@pytest.fixture
def queued_speech(ctx, monkeypatch):
    """Every sentence the library lacks goes through the TTS queue (first_audio_budget_ms=0): for the tests of
    the worker, which would otherwise find the first sentence made by generate itself."""
    from datetime import timedelta

    monkeypatch.setattr(ctx, "first_audio_budget", timedelta(0))


@pytest.fixture
def small_bank(ctx, monkeypatch):
    """Three intermediate travel sentences no other test has put in the audio library, as the whole bank (and the
    sentence writer)."""
    from chalicelib.adapters.sentence_bank import BankSentenceWriter
    from chalicelib.domain.levels import Level
    from chalicelib.domain.sentences import Sentence, SentenceBank

    tag = uuid.uuid4().hex[:6]
    texts = [f"Where is the station {tag}?", f"I would like a window seat {tag}.", f"The train leaves at nine {tag}."]
    bank = BankSentenceWriter(SentenceBank([Sentence(text, "기차", Level.INTERMEDIATE, "travel") for text in texts]))
    monkeypatch.setattr(ctx, "bank", bank)
    monkeypatch.setattr(ctx, "writer", bank)
    return texts


@pytest.fixture(scope="session")
def queues(aws, app):
    return Queues(aws, app)


def espeak_wav(text: str, path, voice: str = "en-us", speed: int = 150) -> bytes:
    """A real recording of ``text``: espeak-ng speaking it into a WAV file."""
    import subprocess

    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return open(path, "rb").read()
