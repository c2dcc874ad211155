import pytest
from support.app_client import service_client
from support.emulator import Emulator
from support.services import use_service

use_service("notifications")


@pytest.fixture(scope="module")
def aws():
    with Emulator() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def client(aws):
    """Notifications' app under chalice.test.Client, its wiring built afresh for this module's emulator."""
    from chalicelib import wiring, ws

    def forget_wiring():
        wiring.notifications.cache_clear()
        ws.live_connections.cache_clear()

    with service_client(forget_wiring) as app:
        yield app
