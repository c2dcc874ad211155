import logging

import pytest


@pytest.fixture
def bare_root_logger():
    """The root logger without handlers for the test (speaktracker.logging.configure installs its own), then as
    it was."""
    root = logging.getLogger()
    saved = root.handlers, root.level
    root.handlers = []
    yield root
    root.handlers, root.level = saved
