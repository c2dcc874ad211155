import pytest
from support.emulator import Emulator
from support.services import use_service

use_service("notifications")


@pytest.fixture(scope="module")
def aws():
    with Emulator() as emulator:
        yield emulator
