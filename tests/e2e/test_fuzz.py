"""Fuzzing (issue 13, part 2): schemathesis against each running service of the dev stack, from its own
``GET /openapi.json``, signed in as a student, as a tutor and with no token. No answer may be a 5xx, and every
answer must conform to the status codes, content type and schema the document gives.

``make test`` runs a bounded pass: ``SPEAKTRACKER_FUZZ_EXAMPLES`` cases per operation (default 3) within
``SPEAKTRACKER_FUZZ_SECONDS`` per run (default 6); ``make fuzz`` runs the same test with many more. The figures
of a run are appended to ``SPEAKTRACKER_FUZZ_REPORT`` (one JSON line per run) when that is set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Person

SERVICES = ("identity", "matching", "practice", "conversation", "notifications")
IDENTITIES = ("student", "tutor", "anonymous")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
EXAMPLES = int(os.environ.get("SPEAKTRACKER_FUZZ_EXAMPLES", "3"))
MAX_SECONDS = int(os.environ.get("SPEAKTRACKER_FUZZ_SECONDS", "6"))


def _cases_run(report: Path) -> int:
    """How many cases schemathesis sent, from its ndjson event stream."""
    cases = 0
    for line in report.read_text().splitlines():
        event = json.loads(line)
        for payload in event.values():
            if isinstance(payload, dict) and "recorder" in payload:
                cases += len(payload["recorder"].get("cases", {}))
    return cases


@pytest.mark.parametrize("identity", IDENTITIES)
@pytest.mark.parametrize("service", SERVICES)
def test_no_server_error_and_every_answer_matches_the_document(dev_stack, tmp_path, service, identity):
    url = dev_stack.services[service]
    headers = []
    if identity != "anonymous":
        user = Person(dev_stack, f"Fuzz {identity}", identity)  # signed up through identity, as a user is
        headers = ["--header", f"Authorization: Bearer {user.token}"]
    report = tmp_path / "events.ndjson"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{url}/openapi.json",
            "--url",
            url,
            *headers,
            "--checks",
            CHECKS,
            "--max-examples",
            str(EXAMPLES),
            "--max-time",
            str(MAX_SECONDS),
            "--phases",
            "examples,coverage,fuzzing",
            "--workers",
            "1",
            "--seed",
            "13",
            "--request-timeout",
            "60",
            "--no-color",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=MAX_SECONDS * 6 + 120,
    )
    cases = _cases_run(report) if report.exists() else 0
    if os.environ.get("SPEAKTRACKER_FUZZ_REPORT"):
        with open(os.environ["SPEAKTRACKER_FUZZ_REPORT"], "a") as figures:
            figures.write(
                json.dumps({"service": service, "identity": identity, "cases": cases, "exit": run.returncode}) + "\n"
            )
    assert run.returncode == 0, f"{service} as {identity}:\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}"
    assert cases > 0, f"{service} as {identity}: schemathesis ran no case\n{run.stdout[-2000:]}"
