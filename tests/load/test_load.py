"""``make load``: a bounded locust run (``LOAD_USERS`` users, ``LOAD_SECONDS`` seconds, stopping by itself) of
``locustfile.py`` against a dev stack of its own on loopback, driven by ``mix.run_mix``: fails on any 5xx answer,
dropped connection or lost work (every TTS job and conversation turn submitted must have finished).

The stack runs with per-user, per-IP and per-email rate limits raised (``SPEAKTRACKER_RATE_LIMIT_*``): every
simulated user comes from 127.0.0.1 and signs in again and again. Figures are printed and written to
``.dev/load-figures.md``."""

from __future__ import annotations

import os

import pytest
from e2e.conftest import REPO_ROOT, start_stack, stop_stack
from load.mix import run_mix

USERS = int(os.environ.get("SPEAKTRACKER_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("SPEAKTRACKER_LOAD_SECONDS", "60"))
RAISED_LIMITS = {
    "SPEAKTRACKER_RATE_LIMIT_PER_USER": "100000",
    "SPEAKTRACKER_RATE_LIMIT_PER_IP": "100000",
    "SPEAKTRACKER_RATE_LIMIT_PER_EMAIL": "100000",
}


@pytest.fixture(scope="module")
def load_stack(tmp_path_factory):
    stack = start_stack(tmp_path_factory.mktemp("load-stack"), RAISED_LIMITS)
    yield stack
    stop_stack(stack)


@pytest.mark.e2e
def test_load_mix_has_no_server_errors_and_loses_no_work(load_stack, tmp_path):
    figures = run_mix(load_stack, USERS, SECONDS, tmp_path)
    print(figures)
    (REPO_ROOT / ".dev").mkdir(exist_ok=True)
    (REPO_ROOT / ".dev" / "load-figures.md").write_text((tmp_path / "figures.md").read_text())
    (REPO_ROOT / ".dev" / "load-locust.log").write_text((tmp_path / "locust.log").read_text())
