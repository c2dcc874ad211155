import json
import uuid

import pytest
from speaktracker.events import UserRegistered
from support.emulator import Emulator
from support.services import use_service

use_service("matching")


@pytest.fixture(scope="module")
def aws():
    with Emulator() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def client(aws):
    from chalice.test import Client

    from chalicelib import wiring

    wiring.matching.cache_clear()
    import app as matching_app

    with Client(matching_app.app) as test_client:
        yield test_client
    wiring.matching.cache_clear()


class Api:
    """Calls matching's routes and delivers identity's events to its queue handler."""

    def __init__(self, client, aws):
        self.client, self.aws = client, aws

    def call(self, method, path, body=None, user=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if user is not None:
            headers["Authorization"] = f"Bearer {user.access_token}"
        payload = raw if raw is not None else (json.dumps(body) if body is not None else "")
        response = getattr(self.client.http, method)(path, headers=headers, body=payload)
        return response.status_code, json.loads(response.body or b"{}")

    def deliver(self, *bodies):
        """Runs the matching-events handler on one batch; returns the ids of the messages that failed."""
        event = self.client.events.generate_sqs_event(
            message_bodies=[b if isinstance(b, str) else b.to_json() for b in bodies],
            queue_name=self.aws.settings.name("matching-events"))
        for position, record in enumerate(event["Records"]):
            record["messageId"] = f"message-{position}"  # the generator gives every record the same id
        payload = self.client.lambda_.invoke("project_identity_events", event).payload
        ids = [r["messageId"] for r in event["Records"]]
        return [ids.index(f["itemIdentifier"]) for f in payload["batchItemFailures"]]

    def person(self, role, name=None):
        """A signed-in user whose registration matching has already projected."""
        user = self.aws.user(f"{role}-{uuid.uuid4().hex[:10]}@example.com", role)
        assert self.deliver(UserRegistered(email=user.email, name=name or f"{role} {user.email[:12]}",
                                           role=role)) == []
        return user


@pytest.fixture(scope="module")
def api(client, aws):
    return Api(client, aws)
