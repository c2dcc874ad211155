"""Conversation's app through chalice.test.Client against the emulator; its queue handlers run through the
dev stack's own SQS poller. Claude, where selected, is the local Messages-API fake (the real SDK talks to it)."""

import base64
import subprocess
import uuid

import jwt
import pytest
from support.app_client import AppClient
from support.emulator import Emulator
from support.queues import Queues
from support.services import use_service

use_service("conversation")


@pytest.fixture(scope="session")
def aws():
    with Emulator() as emulator:
        yield emulator


@pytest.fixture(scope="session")
def app(aws):
    from chalicelib import wiring

    wiring.conversations.cache_clear()
    import app as conversation_app

    yield conversation_app.app
    wiring.conversations.cache_clear()


@pytest.fixture(scope="session")
def client(app):
    from chalice.test import Client

    with Client(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def api(client):
    return AppClient(client)


@pytest.fixture(scope="session")
def queues(aws, app):
    return Queues(aws, app)


@pytest.fixture
def student(aws):
    return aws.user(f"student-{uuid.uuid4().hex[:8]}@example.com", "student")


@pytest.fixture
def tutor(aws):
    return aws.user(f"tutor-{uuid.uuid4().hex[:8]}@example.com", "tutor")


def sub_of(user) -> str:
    return jwt.decode(user.access_token, options={"verify_signature": False})["sub"]


def espeak_wav(text: str, path, voice: str = "en-us", speed: int = 140) -> bytes:
    """A real recording of ``text``: espeak-ng speaking it into a WAV file."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return path.read_bytes()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
