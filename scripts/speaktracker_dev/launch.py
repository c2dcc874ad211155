"""Starting a whole dev stack in a child process, as the e2e tests and the benchmarks do: free loopback ports for
every part, the supervisor's command line, a clean environment, and the readiness check of its status page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import IO

import requests

PARTS = ("identity", "matching", "practice", "conversation", "notifications", "websocket", "web", "emulator")
REPO_ROOT = Path(__file__).resolve().parents[2]


def free_ports() -> dict[str, int]:
    """A distinct free loopback port for every part of the stack."""
    ports: dict[str, int] = {}
    while len(set(ports.values())) < len(PARTS):
        ports = {}
        for part in PARTS:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                ports[part] = probe.getsockname()[1]
    return ports


def spawn(
    state_dir: Path, ports: dict[str, int], output: IO, settings: dict[str, str] | None = None
) -> subprocess.Popen:
    """The supervisor (``python -m speaktracker_dev``) on the embedded emulator, in its own process group.

    The caller's ``SPEAKTRACKER_*`` and ``AWS_*`` variables are left out; ``settings`` are the ones it runs with."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPEAKTRACKER_", "AWS_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT / "scripts"), env.get("PYTHONPATH")]))
    env.update(settings or {})
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "speaktracker_dev",
            "--emulator",
            "embedded",
            "--state-dir",
            str(state_dir),
            "--ports",
            ",".join(f"{part}={port}" for part, port in ports.items()),
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def is_up(web: str) -> bool:
    """Every part reports ok on the dev web server's status page."""
    try:
        status = requests.get(f"{web}/dev/status.json", timeout=5)
    except requests.RequestException:
        return False
    return status.status_code == 200 and all(part["ok"] for part in status.json().values())


def read_env_file(path: Path) -> dict[str, str]:
    """The ``stack.env`` the supervisor writes (NAME=value lines)."""
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))
    return dict(pairs)
