"""``make load``: a bounded locust run (``LOAD_USERS`` users, ``LOAD_SECONDS`` seconds, stopping by itself) of
``locustfile.py`` against a dev stack of its own on loopback. Fails on any 5xx answer or on lost work: every
TTS job and conversation turn submitted during the run must have finished (COMPLETED) by the end.

The stack runs with per-user, per-IP and per-email rate limits raised (``SPEAKTRACKER_RATE_LIMIT_*``): every
simulated user comes from 127.0.0.1 and signs in again and again. Figures are printed and written to
``.dev/load-figures.md``."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from e2e.conftest import REPO_ROOT, Person, start_stack, stop_stack, wait_until
from support.emulator import PASSWORD

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


def accounts(stack, students: int, tutors: int) -> dict:
    """Signed up through identity; student n asks tutor n % tutors, who approves."""
    tutor_people = [Person(stack, f"Load Tutor {n}", "tutor") for n in range(tutors)]
    student_people = [Person(stack, f"Load Student {n}", "student") for n in range(students)]
    for n, student in enumerate(student_people):
        tutor = tutor_people[n % tutors]
        wait_until(
            lambda student=student, tutor=tutor: student.request(
                "GET", "matching", f"/api/tutors/{tutor.email}"
            ).status_code
            == 200,
            30,
            "matching to know the tutor",
        )
        asked = student.call("POST", "matching", f"/api/tutors/{tutor.email}/request", {"message": "load"})
        tutor.call("POST", "matching", f"/api/tutors/requests/{asked['requestId']}/approve")
    return {
        "services": stack.services,
        "students": [{"email": s.email, "password": PASSWORD} for s in student_people],
        "tutors": [
            {
                "email": t.email,
                "password": PASSWORD,
                "students": [s.email for i, s in enumerate(student_people) if i % tutors == n],
            }
            for n, t in enumerate(tutor_people)
        ],
    }


def finished(stack, work: dict, passwords: dict[str, str]) -> dict[str, int]:
    """How many submitted jobs and turns are not COMPLETED (each checked by its owner)."""
    tokens: dict[str, str] = {}

    def status(owner: str, url: str) -> str:
        if owner not in tokens:
            tokens[owner] = requests.post(
                f"{stack.services['identity']}/api/auth/login",
                json={"email": owner, "password": passwords[owner]},
                timeout=30,
            ).json()["accessToken"]
        answer = requests.get(url, headers={"Authorization": f"Bearer {tokens[owner]}"}, timeout=30)
        return answer.json().get("status", f"HTTP {answer.status_code}")

    unfinished = {"jobs": [], "turns": []}
    for kind, service, path in (
        ("jobs", "practice", "/api/tts/status/"),
        ("turns", "conversation", "/api/ai/chat/status/"),
    ):
        for entry in work[kind]:
            owner, ident = entry.split(" ")
            if status(owner, f"{stack.services[service]}{path}{ident}") != "COMPLETED":
                unfinished[kind].append(entry)
    return unfinished


def read_stats(prefix: Path) -> tuple[list[dict], list[dict]]:
    with open(f"{prefix}_stats.csv") as stats, open(f"{prefix}_failures.csv") as failures:
        return list(csv.DictReader(stats)), list(csv.DictReader(failures))


@pytest.mark.e2e
def test_load_mix_has_no_server_errors_and_loses_no_work(load_stack, tmp_path):
    tutors = max(1, USERS // 5)
    made = accounts(load_stack, USERS - tutors, tutors)
    (tmp_path / "accounts.json").write_text(json.dumps(made))
    work_file, prefix = tmp_path / "work.json", tmp_path / "load"
    command = [
        sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
        "--users", str(USERS), "--spawn-rate", str(max(1, USERS // 5)), "--run-time", f"{SECONDS}s",
        "--stop-timeout", "60", "--csv", str(prefix), "--only-summary", "--exit-code-on-error", "0",
    ]  # fmt: skip
    env = {
        **os.environ,
        "SPEAKTRACKER_LOAD_ACCOUNTS": str(tmp_path / "accounts.json"),
        "SPEAKTRACKER_LOAD_WORK": str(work_file),
    }
    started = time.monotonic()
    run = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=SECONDS + 180)
    elapsed = time.monotonic() - started
    (REPO_ROOT / ".dev").mkdir(exist_ok=True)
    (REPO_ROOT / ".dev" / "load-locust.log").write_text(run.stdout + run.stderr)
    assert run.returncode == 0, run.stderr[-3000:]
    rows, failures = read_stats(prefix)
    with open(f"{prefix}_exceptions.csv") as raised:
        exceptions = list(csv.DictReader(raised))
    assert not exceptions, exceptions  # a task that raised did not put its share of the load
    work = json.loads(work_file.read_text())
    passwords = {a["email"]: a["password"] for a in made["students"] + made["tutors"]}
    deadline = time.monotonic() + 120
    while (unfinished := finished(load_stack, work, passwords)) and any(unfinished.values()):
        assert time.monotonic() < deadline, f"lost work: { ({k: v[:5] for k, v in unfinished.items()}) }"
        time.sleep(2)

    total = next(r for r in rows if r["Name"] == "Aggregated")
    # 4xx answers are the client's (counted in the error rate); a 5xx or a dropped connection is the server's.
    server_errors = sum(int(f["Occurrences"]) for f in failures if not f["Error"].startswith("HTTPError('4"))
    lines = [
        f"{USERS} users for {SECONDS} s (run took {elapsed:.0f} s): {float(total['Requests/s']):.1f} requests/s, "
        f"{total['Request Count']} requests, {total['Failure Count']} failed "
        f"({100 * int(total['Failure Count']) / max(1, int(total['Request Count'])):.2f} %), "
        f"{server_errors} server errors; "
        f"{len(work['jobs'])} TTS jobs and {len(work['turns'])} turns submitted, all COMPLETED",
        "",
        "| route | requests | failures | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} |"
        for r in rows
        if r["Name"] != "Aggregated"
    ]
    figures = "\n".join(lines)
    print(figures)
    (REPO_ROOT / ".dev" / "load-figures.md").write_text(figures + "\n" + "\n".join(f"{f}" for f in failures) + "\n")
    assert server_errors == 0, failures
    assert int(total["Request Count"]) > USERS
