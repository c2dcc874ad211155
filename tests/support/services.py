"""Puts one service's folder on sys.path: each service's tests run in their own pytest process."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def use_service(context: str) -> Path:
    folder = ROOT / "services" / context
    loaded = sys.modules.get("chalicelib")
    if loaded is not None and Path(loaded.__file__).parent.parent != folder:
        raise RuntimeError(f"another service's chalicelib is loaded; run {context}'s tests in their own process")
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return folder
