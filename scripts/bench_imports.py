"""Cold start: each service's ``import app`` time as a ratio to ``import boto3`` alone (target <= 1.5x).

Each measurement is a fresh interpreter timing only the import (not interpreter start-up); the repetitions
interleave boto3 and the services so a noisy machine affects them alike; the figure is the median.

    python scripts/bench_imports.py [--repeat 7] [--target 1.5] [--root CHECKOUT] [--bytecode cached|none]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("identity", "matching", "practice", "conversation", "notifications")
TIMER = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def import_seconds(module: str, cwd: Path, root: Path, bytecode: str) -> float:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root / "shared")}
    if bytecode == "none":
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", TIMER.format(module=module)],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--target", type=float, default=1.5)
    parser.add_argument("--root", type=Path, default=ROOT, help="a checkout to measure (e.g. an older commit)")
    parser.add_argument(
        "--bytecode",
        choices=("cached", "none"),
        default="cached",
        help="cached: every module's .pyc is written by a warm-up import first, as for boto3 in "
        "site-packages; none: our modules compile on every import, as in a Lambda package "
        "that ships no __pycache__",
    )
    args = parser.parse_args()
    root = args.root.resolve()
    if args.bytecode == "none":
        for cache in [*(root / "services").glob("*/**/__pycache__"), *(root / "shared").glob("**/__pycache__")]:
            shutil.rmtree(cache)
    else:
        import_seconds("boto3", root, root, "cached")
        for service in SERVICES:
            import_seconds("app", root / "services" / service, root, "cached")
    times: dict[str, list[float]] = {"boto3": [], **{s: [] for s in SERVICES}}
    for _ in range(args.repeat):
        times["boto3"].append(import_seconds("boto3", root, root, args.bytecode))
        for service in SERVICES:
            times[service].append(import_seconds("app", root / "services" / service, root, args.bytecode))
    boto3 = statistics.median(times["boto3"])
    print(f"| import | median ms | ratio to boto3 |\n|---|---|---|\n| boto3 | {boto3 * 1000:.0f} | 1.00 |")
    worst = 0.0
    for service in SERVICES:
        median = statistics.median(times[service])
        worst = max(worst, median / boto3)
        print(f"| {service} app | {median * 1000:.0f} | {median / boto3:.2f} |")
    print(f"\n{args.repeat} repetitions, bytecode {args.bytecode}; worst ratio {worst:.2f} (target <= {args.target})")
    return 0 if worst <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
