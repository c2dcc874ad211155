from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from speaktracker import catalogue

from .support import ENVIRONMENTS, REPO

# Every stage Terraform has (terraform/environments/<stage>), each service packaged for each.
STAGES = tuple(sorted(p.name for p in ENVIRONMENTS.iterdir() if (p / "main.tf").is_file()))
SERVICES = tuple(s.context for s in catalogue.SERVICES)


@dataclass(frozen=True)
class Packaged:
    service: str
    stage: str
    directory: Path  # the Terraform directory
    report: dict[str, Any]

    def json(self, name: str) -> dict[str, Any]:
        return json.loads((self.directory / name).read_text(encoding="utf-8"))

    @property
    def chalice(self) -> dict[str, Any]:
        return self.json("chalice.tf.json")

    @property
    def additions(self) -> dict[str, Any]:
        return self.json("speaktracker.tf.json")


def _package(service: str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.setdefault("UV", str(REPO / ".tools" / "bin" / "uv"))
    cmd = [sys.executable, str(REPO / "scripts" / "package_service.py"), service, "--out", str(out), *extra]
    for stage in STAGES:
        cmd += ["--stage", stage]
    return subprocess.run(cmd, text=True, capture_output=True, env=env, timeout=600)


@pytest.fixture(scope="session")
def packaged_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every service packaged for every stage, once per session (two at a time: it is pip and zip work)."""
    out = tmp_path_factory.mktemp("packaged")
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(SERVICES, pool.map(lambda s: _package(s, out), SERVICES)))
    for service, result in results.items():
        assert result.returncode == 0, f"packaging {service} failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def packages(packaged_root: Path) -> dict[tuple[str, str], Packaged]:
    found = {}
    for service in SERVICES:
        for stage in STAGES:
            report = json.loads((packaged_root / service / stage / "report.json").read_text(encoding="utf-8"))
            found[(service, stage)] = Packaged(service, stage, packaged_root / service / stage / "terraform", report)
    return found


# A queue consumer with a schedule, packaged as an image too: what an image function must keep (mappings,
# IAM, log groups, throttling) is compared with its zip twin in test_image_packaging.py.
IMAGE_TWIN = "matching"


@pytest.fixture(scope="session")
def image_twin(packaged_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Packaged]:
    out = tmp_path_factory.mktemp("image-twin")
    result = _package(
        IMAGE_TWIN,
        out,
        "--package-type",
        "image",
        "--dockerfile",
        str(REPO / "services" / "conversation" / "Dockerfile"),
    )
    assert result.returncode == 0, f"packaging {IMAGE_TWIN} as an image failed:\n{result.stdout}\n{result.stderr}"
    return {
        stage: Packaged(
            IMAGE_TWIN,
            stage,
            out / IMAGE_TWIN / stage / "terraform",
            json.loads((out / IMAGE_TWIN / stage / "report.json").read_text(encoding="utf-8")),
        )
        for stage in STAGES
    }
