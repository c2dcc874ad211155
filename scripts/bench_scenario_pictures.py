"""Scenario pictures: what making one costs against serving it again (issue 14).

Through conversation's own use case (``scenario_images.scenario_image``) with the offline engine, the
generated-content table and the user-content bucket on moto's server started the way the tests start it
(``tests/support/emulator.py``). For each of the 13 catalogue scenarios: the first request (draw the
illustration, put the PNG, write the record, presign) and then --reuses requests that find the record
(one conditional UpdateItem that counts the use, and a presign). Reported: medians, their ratio, the PNGs' sizes.

    python scripts/bench_scenario_pictures.py [--reuses 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuses", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))
    from tests.support.emulator import Emulator
    from tests.support.services import use_service

    use_service("conversation")
    with Emulator():
        from chalicelib import wiring
        from chalicelib.scenario_images import scenario_image

        ctx = wiring.scenario_images()
        first, again, sizes = [], [], []
        for scenario in ctx.catalogue.all():
            started = time.perf_counter()
            served = scenario_image(ctx, scenario.scenario_id)
            first.append(time.perf_counter() - started)
            sizes.append(len(requests.get(served.url, timeout=10).content))
            for _ in range(args.reuses):
                started = time.perf_counter()
                scenario_image(ctx, scenario.scenario_id)
                again.append(time.perf_counter() - started)
    made, reused = statistics.median(first), statistics.median(again)
    print(f"scenarios: {len(first)}; reuses each: {args.reuses}")
    print(f"first request (made) median: {made * 1000:.0f} ms; max {max(first) * 1000:.0f} ms")
    print(f"reuse median: {reused * 1000:.1f} ms; p95 {statistics.quantiles(again, n=20)[-1] * 1000:.1f} ms")
    print(f"made / reused: {made / reused:.1f}x")
    print(f"PNG size median: {statistics.median(sizes) / 1024:.0f} KiB; max {max(sizes) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
