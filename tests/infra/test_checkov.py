"""checkov over terraform/ and every packaged service: no failed check. Skips are justified where they are
made: `#checkov:skip=ID:reason` in the HCL, and terraform/checkov/services.yaml for the packaged JSON
(checkov's terraform_json parser has no inline suppressions).

checkov runs in its own tool environment (`$CHECKOV`, set by mk/infra.mk; it pins boto3 and must not enter
the project's dependencies)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import SERVICES, STAGES
from .support import REPO, TERRAFORM

CHECKOV_VERSION = "3.3.30"


def checkov_command() -> list[str] | None:
    if os.environ.get("CHECKOV"):
        return shlex.split(os.environ["CHECKOV"])
    uv = REPO / ".tools" / "bin" / "uv"
    uv_path = str(uv) if uv.is_file() else shutil.which("uv")
    return [uv_path, "tool", "run", "--from", f"checkov=={CHECKOV_VERSION}", "checkov"] if uv_path else None


def run_checkov(args: list[str]) -> list[dict]:
    command = checkov_command()
    if command is None:
        pytest.skip("neither $CHECKOV nor uv is available to run checkov")
    env = dict(os.environ, UV_PYTHON_DOWNLOADS=os.environ.get("UV_PYTHON_DOWNLOADS", "never"))
    result = subprocess.run(
        [*command, *args, "--output", "json"], cwd=REPO, text=True, capture_output=True, env=env, timeout=600
    )
    assert result.stdout.strip(), f"checkov printed nothing:\n{result.stderr[-3000:]}"
    # One JSON document per --directory, each a report or a list of reports (one per framework).
    reports, decoder, text, at = [], json.JSONDecoder(), result.stdout, 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        parsed, at = decoder.raw_decode(text, at)
        reports += parsed if isinstance(parsed, list) else [parsed]
    return reports


def failures(reports: list[dict]) -> list[str]:
    out = []
    for report in reports:
        for check in report.get("results", {}).get("failed_checks", []):
            out.append(f"{check['check_id']} {check['resource']} in {check['file_path']}")
    return out


def summary_total(reports: list[dict], key: str) -> int:
    return sum(r.get("summary", r).get(key, 0) for r in reports)


def test_checkov_passes_on_terraform():
    reports = run_checkov(
        [
            "--directory",
            str(TERRAFORM),
            "--framework",
            "terraform",
            "--skip-download",
            "--compact",
            "--quiet",
            "--skip-path",
            r"\.terraform",
        ]
    )
    assert not failures(reports), "\n".join(failures(reports))
    assert summary_total(reports, "parsing_errors") == 0
    # It really looked: tables, queues, buckets, pool, distribution, secret all checked.
    assert summary_total(reports, "passed") >= 100


def test_checkov_passes_on_every_packaged_service(packaged_root: Path):
    directories = sorted(p.parent for p in packaged_root.glob("*/*/terraform/chalice.tf.json"))
    assert len(directories) == len(SERVICES) * len(STAGES)
    args = ["--config-file", str(TERRAFORM / "checkov" / "services.yaml")]
    for directory in directories:
        args += ["--directory", str(directory)]
    reports = run_checkov(args)
    assert not failures(reports), "\n".join(failures(reports))
    assert summary_total(reports, "parsing_errors") == 0
    assert summary_total(reports, "passed") >= len(directories) * 20
