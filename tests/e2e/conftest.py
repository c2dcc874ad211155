"""The whole local stack (``python -m speaktracker_dev``, what ``make dev`` runs), started once per test session
as a subprocess on free ports, so it runs beside a developer's own ``make dev``.

    def test_something(dev_stack):
        user = dev_stack.user(role="tutor")            # confirmed, in the tutor group, signed in
        requests.get(f"{dev_stack.services['identity']}/api/users/me", headers=user.headers)
        dev_stack.mailbox("someone@example.com")       # what the services emailed them, newest first
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from speaktracker_dev import launch
from speaktracker_dev.users import create_signed_in_user
from support.emulator import PASSWORD, TestUser
from websockets.sync.client import connect

REPO_ROOT = Path(__file__).resolve().parents[2]
# Every email the e2e tests signed up (admin-made or through identity), for the scan of logs and the archive.
SIGNED_UP: set[str] = set()
PARTS = launch.PARTS
START_TIMEOUT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 30.0


@dataclass
class RunningStack:
    process: subprocess.Popen
    ports: dict[str, int]
    state_dir: Path
    log: Path
    environment: dict[str, str] = field(default_factory=dict)

    @property
    def web(self) -> str:
        return f"http://127.0.0.1:{self.ports['web']}"

    @property
    def services(self) -> dict[str, str]:
        return {name: f"http://127.0.0.1:{self.ports[name]}" for name in PARTS[:5]}

    @property
    def websocket(self) -> str:
        return f"ws://127.0.0.1:{self.ports['websocket']}"

    @property
    def emulator(self) -> str:
        return f"http://127.0.0.1:{self.ports['emulator']}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def client(self, service: str) -> Any:
        """A boto3 client of the stack's emulator."""
        return boto3.client(
            service,
            endpoint_url=self.emulator,
            region_name=self.environment["AWS_REGION"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def host_pids(self) -> dict[str, int]:
        """The process id of each service host now (the supervisor starts a host again if it dies)."""
        return json.loads((self.state_dir / "hosts.json").read_text())

    def table(self, logical: str) -> str:
        return f"speaktracker-{self.environment['SPEAKTRACKER_STAGE']}-{logical}"

    def user(self, email: str | None = None, role: str = "student", password: str = PASSWORD) -> TestUser:
        return signed_in_user(self, email, role, password)

    def mailbox(self, email: str) -> list[dict[str, Any]]:
        """Email sent to ``email`` through SES, newest first (the dev mailbox of the web server)."""
        response = requests.get(f"{self.web}/dev/mailbox", params={"to": email}, timeout=10)
        response.raise_for_status()
        return response.json()["messages"]


def signed_in_user(
    stack: RunningStack, email: str | None = None, role: str = "student", password: str = PASSWORD
) -> TestUser:
    """A confirmed Cognito user of the stack's pool in the role's group, signed in with the web client (made
    directly in the emulator, as an administrator would, not through identity's sign-up)."""
    email = (email or f"{role}-{uuid.uuid4().hex[:8]}@example.com").lower()
    SIGNED_UP.add(email)
    env = stack.environment
    auth = create_signed_in_user(
        stack.client("cognito-idp"),
        env["SPEAKTRACKER_COGNITO_USER_POOL_ID"],
        env["SPEAKTRACKER_COGNITO_CLIENT_ID"],
        email,
        role,
        password,
    )
    return TestUser(email, role, auth["AccessToken"], auth["RefreshToken"])


def start_stack(state_dir: Path, settings: dict[str, str] | None = None) -> RunningStack:
    """``settings``: ``SPEAKTRACKER_*`` variables this stack runs with (the test's own environment is left out)."""
    ports = launch.free_ports()
    state_dir.mkdir(parents=True, exist_ok=True)
    log = state_dir / "stack.log"
    with log.open("w") as output:
        process = launch.spawn(state_dir, ports, output, settings)
    stack = RunningStack(process, ports, state_dir, log)
    try:
        wait_until(lambda: _all_up(stack), START_TIMEOUT_SECONDS, "the dev stack to come up", stack)
    except BaseException:
        stop_stack(stack)
        raise
    stack.environment = read_env_file(state_dir / "stack.env")
    return stack


def stop_stack(stack: RunningStack) -> int:
    """Ctrl-C, as a developer stops ``make dev``; returns the supervisor's exit code."""
    if stack.process.poll() is None:
        stack.process.send_signal(signal.SIGINT)
    try:
        return stack.process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as timed_out:
        os.killpg(stack.process.pid, signal.SIGKILL)
        stack.process.wait(timeout=10)
        raise AssertionError(
            f"the dev stack did not stop within {STOP_TIMEOUT_SECONDS:.0f} s:\n{stack.output()}"
        ) from timed_out


def _all_up(stack: RunningStack) -> bool:
    if stack.process.poll() is not None:
        raise AssertionError(f"the dev stack exited with {stack.process.returncode}:\n{stack.output()}")
    return launch.is_up(stack.web)


def wait_until(
    condition: Callable[[], Any], timeout: float, what: str, stack: RunningStack | None = None, interval: float = 0.2
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f"\n{stack.output()}" if stack else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{detail}")
        time.sleep(interval)


read_env_file = launch.read_env_file


def pytest_collection_modifyitems(items):
    """Tests marked ``after_the_flows`` look back over the whole session: they run last (a stable sort)."""
    items.sort(key=lambda item: item.get_closest_marker("after_the_flows") is not None)


@pytest.fixture(scope="session")
def dev_stack(tmp_path_factory):
    stack = start_stack(tmp_path_factory.mktemp("dev-stack"))
    yield stack
    stop_stack(stack)


class Person:
    """Signed up through identity (so matching hears of them), confirmed from the mailbox, signed in."""

    def __init__(self, stack, name, role, birth_year=1990):
        self.stack, self.name, self.role = stack, name, role
        self.email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
        SIGNED_UP.add(self.email)
        identity = stack.services["identity"]
        response = requests.post(
            f"{identity}/api/auth/register",
            timeout=20,
            json={
                "email": self.email,
                "password": PASSWORD,
                "name": name,
                "role": role,
                "birthYear": birth_year,
            },
        )
        assert response.status_code == 201, response.text
        code = re.search(r"\b(\d{6})\b", stack.mailbox(self.email)[0]["body"]).group(1)
        assert (
            requests.post(
                f"{identity}/api/auth/confirm", json={"email": self.email, "code": code}, timeout=20
            ).status_code
            == 200
        )
        self.token = requests.post(
            f"{identity}/api/auth/login", json={"email": self.email, "password": PASSWORD}, timeout=20
        ).json()["accessToken"]

    def request(self, method, service, path, **options):
        return requests.request(
            method,
            f"{self.stack.services[service]}{path}",
            timeout=60,
            headers={"Authorization": f"Bearer {self.token}"},
            **options,
        )

    def call(self, method, service, path, body=None):
        response = self.request(method, service, path, json=body)
        assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    def socket(self):
        return connect(f"{self.stack.websocket}/?token={self.token}", open_timeout=15)


def frames(socket, frame_type, count, timeout=90):
    """The next ``count`` pushed frames of this type."""
    found, deadline = [], time.monotonic() + timeout
    while len(found) < count:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"only {len(found)} of {count} {frame_type} frames within {timeout} s"
        frame = json.loads(socket.recv(timeout=remaining))
        if frame.get("type") == frame_type:
            found.append(frame)
    return found
