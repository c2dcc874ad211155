"""Writes each service's OpenAPI 3.1 document (what ``GET /openapi.json`` serves) to ``docs/api/<service>.json``;
the web app's types are generated from these files (``web/scripts/gen-api.mjs``).

    python scripts/write_openapi.py            # write docs/api/*.json
    python scripts/write_openapi.py --check    # exit 1 if a file differs from what the code builds

Each service is imported in its own interpreter: every service has modules named ``app`` and ``chalicelib``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("identity", "matching", "practice", "conversation", "notifications")
OUT = ROOT / "docs" / "api"
_DUMP = (
    "import json, app; print(json.dumps(app.routes.openapi('SpeakTracker ' + app.app.app_name.split('-', 1)[1]),"
    " indent=2, sort_keys=False, ensure_ascii=False))"
)


def build(service: str) -> str:
    folder = ROOT / "services" / service
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT / "shared")]),
        "AWS_REGION": os.environ.get("AWS_REGION", "ap-northeast-2"),
    }
    done = subprocess.run(
        [sys.executable, "-c", _DUMP], cwd=folder, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{service}: building its OpenAPI document failed:\n{done.stderr}")
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    stale = []
    for service in SERVICES:
        text = build(service)
        json.loads(text)
        target = OUT / f"{service}.json"
        if args.check:
            if not target.is_file() or target.read_text() != text:
                stale.append(target.relative_to(ROOT))
        else:
            target.write_text(text)
    if stale:
        print("stale OpenAPI documents (run `make openapi`): " + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
