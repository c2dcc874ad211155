"""Practice's app through chalice.test.Client against the emulator; queue handlers run through the dev
stack's own SQS poller, so receive counts, partial failures and dead-lettering are SQS's, not ours."""

import json
import uuid

import pytest
from support.app_client import AppClient
from support.emulator import Emulator
from support.services import use_service

use_service("practice")


@pytest.fixture(scope="session")
def aws():
    with Emulator() as emulator:
        yield emulator


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


class Queues:
    """Runs the app's queue handlers over the emulator's real queues."""

    def __init__(self, aws, app):
        from speaktracker_dev.poller import sqs_subscriptions

        self.aws, self.sqs = aws, aws.client("sqs")
        self.handlers = {s.queue_name: s for s in sqs_subscriptions(app)}

    def url(self, logical):
        return self.sqs.get_queue_url(QueueName=self.aws.settings.name(logical))["QueueUrl"]

    def drain(self, logical, rounds=20):
        """Polls the queue until it stays empty; returns how many deliveries were handled."""
        from speaktracker_dev.poller import QueuePoller

        subscription = self.handlers[self.aws.settings.name(logical)]
        poller = QueuePoller(self.sqs, self.url(logical), subscription.handler, subscription.batch_size,
                             subscription.function_name, wait_seconds=0, retry_after_seconds=0)
        handled = 0
        for _ in range(rounds):
            result = poller.poll_once()
            if result.received == 0:
                break
            handled += result.received
        return handled

    def bodies(self, logical):
        """Every message now on a queue (consumed: tests read events the app published)."""
        out, url = [], self.url(logical)
        while True:
            got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                           AttributeNames=["All"]).get("Messages", [])
            if not got:
                return out
            for message in got:
                out.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    def purge(self, logical):
        self.bodies(logical)


@pytest.fixture(scope="session")
def queues(aws, app):
    return Queues(aws, app)


def espeak_wav(text: str, path, voice: str = "en-us", speed: int = 150) -> bytes:
    """A real recording of ``text``: espeak-ng speaking it into a WAV file."""
    import subprocess

    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return open(path, "rb").read()


