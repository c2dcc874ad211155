import re

import pytest
from support.app_client import service_client
from support.emulator import Emulator
from support.services import use_service

use_service("identity")


@pytest.fixture(scope="module")
def aws():
    with Emulator() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def api(aws):
    from chalicelib import wiring

    with service_client(wiring.identity.cache_clear) as app:
        yield app


def last_code(aws, email):
    """The newest code mailed to ``email``, read from the emulator's SES outbox."""
    return re.search(r"\b(\d{6})\b", last_mail(aws, email)).group(1)


def last_mail(aws, email):
    """The newest email's text to ``email`` in the emulator's SES outbox."""
    from moto.backends import get_backend
    from moto.core import DEFAULT_ACCOUNT_ID

    messages = [
        m
        for m in get_backend("ses")[DEFAULT_ACCOUNT_ID]["ap-northeast-2"].sent_messages
        if email in m.destinations.get("ToAddresses", [])
    ]
    assert messages, f"no email to {email}"
    return messages[-1].body
