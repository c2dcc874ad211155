"""The static checks of `make test-static` fail on a bad file: each is run through its make target on a file
with one finding, and must exit non-zero naming it (a check that cannot fail checks nothing)."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def make(
    target: str, paths: Path, variable: str = "STATIC_PATHS", extra: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-s", target, f"{variable}={paths}", *(extra or [])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("source", "finding"),
    [
        ("import os\n", "F401"),  # unused import
        ("def f(x=[]):\n    return x\n", "B006"),  # mutable default
        ("from typing import List\n\nx: List[int] = []\n", "UP"),  # pre-3.9 typing
        ("x = 1  \n", "W291"),  # trailing whitespace
    ],
)
def test_lint_fails_on_a_finding(tmp_path: Path, source: str, finding: str) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(source)
    result = make("lint-python", bad)
    assert result.returncode != 0
    assert finding in result.stdout + result.stderr


def test_format_check_fails_on_unformatted_code(tmp_path: Path) -> None:
    bad = tmp_path / "unformatted.py"
    bad.write_text("x = {'a':1,\n 'b':2}\n")
    result = make("lint-python", bad)
    assert result.returncode != 0
    assert "unformatted.py" in result.stdout + result.stderr


def test_lint_passes_a_clean_file(tmp_path: Path) -> None:
    good = tmp_path / "good.py"
    good.write_text('"""Clean."""\n\nVALUE = {"a": 1}\n')
    result = make("lint-python", good)
    assert result.returncode == 0, result.stdout + result.stderr


def test_audit_fails_on_a_vulnerable_pin(tmp_path: Path) -> None:
    # requests 2.19.0 has known advisories (e.g. CVE-2018-18074); offline, AUDIT_REQUIRED=1 fails as well, so
    # either way the check must not pass.
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("requests==2.19.0\n")
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "audit", "AUDIT_REQUIRED=1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "AUDIT_REQUIREMENTS": str(requirements), "AUDIT_SKIP_NPM": "1"},
    )
    assert result.returncode != 0
    assert "audit:" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("source", "finding"),
    [
        ("export const x: any = 1;\n", "no-explicit-any"),
        (
            "import { useEffect, useState } from 'react';\n"
            "export function C({ n }: { n: number }) {\n"
            "  if (n > 1) { useState(0); }\n"
            "  useEffect(() => { console.log(n); }, []);\n"
            "  return null;\n}\n",
            "react-hooks/",
        ),
    ],
)
def test_web_lint_fails_on_a_finding(source: str, finding: str) -> None:
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "lint-web", "ESLINT_ARGS=--stdin --stdin-filename src/probe.tsx"],
        cwd=ROOT,
        input=source,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert finding in result.stdout + result.stderr


def test_mypy_strict_fails_on_a_type_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad_types.py"
    bad.write_text('def double(x):\n    return x * 2\n\n\ncount: int = "three"\n')
    result = make("typecheck-python", bad, variable="MYPY_SHARED", extra=["MYPY_SERVICES="])
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "no-untyped-def" in output and "assignment" in output
