import json
import re

import pytest
from support.emulator import Emulator
from support.services import use_service

use_service("identity")


@pytest.fixture(scope="module")
def aws():
    with Emulator() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def client(aws):
    from chalice.test import Client

    from chalicelib import wiring

    wiring.identity.cache_clear()
    import app as identity_app

    with Client(identity_app.app) as test_client:
        yield test_client
    wiring.identity.cache_clear()


class Api:
    def __init__(self, client):
        self.client = client

    def call(self, method, path, body=None, token=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = raw if raw is not None else json.dumps(body or {})
        response = getattr(self.client.http, method)(path, headers=headers, body=payload)
        return response.status_code, json.loads(response.body or b"{}")


@pytest.fixture(scope="module")
def api(client):
    return Api(client)


def last_code(aws, email):
    """The newest code mailed to ``email``, read from the emulator's SES outbox."""
    from moto.backends import get_backend
    from moto.core import DEFAULT_ACCOUNT_ID

    messages = [m for m in get_backend("ses")[DEFAULT_ACCOUNT_ID]["ap-northeast-2"].sent_messages
                if email in m.destinations.get("ToAddresses", [])]
    assert messages, f"no email to {email}"
    return re.search(r"\b(\d{6})\b", messages[-1].body).group(1)
