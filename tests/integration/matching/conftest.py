import uuid

import pytest
from speaktracker.events import UserRegistered
from support.app_client import service_client
from support.emulator import Emulator
from support.services import use_service

use_service("matching")


@pytest.fixture(scope="module")
def aws():
    with Emulator() as emulator:
        yield emulator


class Api:
    """Calls matching's routes and delivers identity's events to its queue handler."""

    def __init__(self, app, aws):
        self.app, self.aws = app, aws

    def call(self, method, path, body=None, user=None, raw=None):
        return self.app.call(method, path, body, user=user, raw=raw)

    def deliver(self, *bodies):
        """Runs the matching-events handler on one batch; returns the positions of the messages that failed."""
        return self.app.deliver("project_identity_events", "matching-events", *bodies)

    def person(self, role, name=None):
        """A signed-in user whose registration matching has already projected."""
        user = self.aws.user(f"{role}-{uuid.uuid4().hex[:10]}@example.com", role)
        assert self.deliver(UserRegistered(email=user.email, name=name or f"{role} {user.email[:12]}", role=role)) == []
        return user


@pytest.fixture(scope="module")
def api(aws):
    from chalicelib import wiring

    with service_client(wiring.matching.cache_clear) as app:
        yield Api(app, aws)
