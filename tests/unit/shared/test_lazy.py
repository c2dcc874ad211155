"""Cold start: an app's import registers its routes and handlers without importing what they call."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from speaktracker.lazy import lazy_callable, lazy_module

ROOT = Path(__file__).resolve().parents[3]
# Loaded by the first request or message, not by `import app` (boto3 with the first call to AWS, cryptography
# with the first page cursor or token check).
DEFERRED = ("chalicelib.service", "chalicelib.wiring", "pydantic_settings", "boto3", "cryptography")


def test_a_lazy_module_is_imported_on_first_use(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    colorsys = lazy_module("colorsys")
    assert "colorsys" not in sys.modules
    assert colorsys.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
    assert "colorsys" in sys.modules


def test_a_lazy_callable_calls_the_current_function(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    hsv = lazy_callable("colorsys", "rgb_to_hsv")
    assert hsv.__name__ == "rgb_to_hsv" and "colorsys" not in sys.modules
    assert hsv(0.0, 0.0, 1.0) == (2 / 3, 1.0, 1.0)


@pytest.mark.parametrize("service", ["identity", "matching", "practice", "conversation", "notifications"])
def test_importing_an_app_leaves_its_use_cases_and_adapters_for_later(service: str):
    probe = f"import sys, app; print(sorted(m for m in {DEFERRED!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT / "services" / service,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "shared")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
