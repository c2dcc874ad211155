"""The load mix's driver, for ``make load`` (tests/load/test_load.py: many users, a stack of its own) and the
bounded smoke inside ``make test`` (tests/e2e/test_load_smoke.py: a few users on the e2e session's stack).

``run_mix`` signs accounts up through identity (student n asks tutor n % tutors, who approves), runs
``locustfile.py`` headless for ``seconds`` and fails on any 5xx answer or dropped connection (a 4xx is the
client's), on a task that raised, or on lost work: every TTS job and conversation turn submitted must have
finished (COMPLETED) within two minutes of the end. It returns the figures as a Markdown table (also written to
``tmp_path/figures.md``, locust's output to ``tmp_path/locust.log``)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from e2e.conftest import REPO_ROOT, Person, wait_until
from support.emulator import PASSWORD

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


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


def run_mix(stack, users: int, seconds: int, tmp_path: Path) -> str:
    tutors = max(1, users // 5)
    made = accounts(stack, users - tutors, tutors)
    (tmp_path / "accounts.json").write_text(json.dumps(made))
    work_file, prefix = tmp_path / "work.json", tmp_path / "load"
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--users", str(users), "--spawn-rate", str(max(4, users // 5)), "--run-time", f"{seconds}s",
        "--stop-timeout", "60", "--csv", str(prefix), "--only-summary", "--exit-code-on-error", "0",
    ]  # fmt: skip
    env = {
        **os.environ,
        "SPEAKTRACKER_LOAD_ACCOUNTS": str(tmp_path / "accounts.json"),
        "SPEAKTRACKER_LOAD_WORK": str(work_file),
    }
    started = time.monotonic()
    run = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=seconds + 180)
    elapsed = time.monotonic() - started
    (tmp_path / "locust.log").write_text(run.stdout + run.stderr)
    assert run.returncode == 0, run.stderr[-3000:]
    rows, failures = read_stats(prefix)
    with open(f"{prefix}_exceptions.csv") as raised:
        exceptions = list(csv.DictReader(raised))
    assert not exceptions, exceptions  # a task that raised did not put its share of the load
    work = json.loads(work_file.read_text())
    passwords = {a["email"]: a["password"] for a in made["students"] + made["tutors"]}
    deadline = time.monotonic() + 120
    while (unfinished := finished(stack, work, passwords)) and any(unfinished.values()):
        assert time.monotonic() < deadline, f"lost work: { ({k: v[:5] for k, v in unfinished.items()}) }"
        time.sleep(2)

    total = next(r for r in rows if r["Name"] == "Aggregated")
    # 4xx answers are the client's (counted in the error rate); a 5xx or a dropped connection is the server's.
    server_errors = sum(int(f["Occurrences"]) for f in failures if not f["Error"].startswith("HTTPError('4"))
    lines = [
        f"{users} users for {seconds} s (run took {elapsed:.0f} s): {float(total['Requests/s']):.1f} requests/s, "
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
    (tmp_path / "figures.md").write_text(figures + "\n" + "\n".join(f"{f}" for f in failures) + "\n")
    assert server_errors == 0, failures
    assert int(total["Request Count"]) > users
    return figures
