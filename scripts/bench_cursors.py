"""Sealed page cursors: what sealing costs a request, and a cursor's length, against the unsealed base64 key.

A fresh interpreter with the settings read and RS256 verification's part of ``cryptography`` already loaded (as in
a service, where the first request checked a token), then: the first cursor (AES-GCM's import and the HKDF
derivation), and the median of ``--repeat`` rounds of sealing and opening a conversation list's key.

    python scripts/bench_cursors.py [--repeat 5] [--number 5000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import base64, json, time, timeit
from speaktracker.settings import get_settings
get_settings()
from cryptography.hazmat.primitives.asymmetric import rsa  # loaded by the first token check
from speaktracker.dynamo import decode_cursor, encode_cursor
key = {"conversationId": {"S": "conv-0123456789abcdef"}, "itemKey": {"S": "META"},
       "studentEmail": {"S": "kim.minji@example.com"}, "startedAt": {"S": "2026-12-02T01:02:03Z"}}
args = ("conversations#studentEmail-index", "kim.minji@example.com")
caller = {"caller": "sub-kim-minji"}
t = time.perf_counter(); cursor = encode_cursor(key, *args, **caller); first = time.perf_counter() - t
seal = timeit.timeit(lambda: encode_cursor(key, *args, **caller), number=NUMBER) / NUMBER
open_ = timeit.timeit(lambda: decode_cursor(cursor, set(key), *args, **caller), number=NUMBER) / NUMBER
plain = base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":"), sort_keys=True).encode()).rstrip(b"=")
print(json.dumps([first, seal, open_, len(cursor), len(plain)]))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--number", type=int, default=5000)
    args = parser.parse_args()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT / "shared"),
        "SPEAKTRACKER_PLATFORM_SECRET": "benchmark-platform-secret-not-a-stage-0123456789",
    }
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [sys.executable, "-c", f"NUMBER = {args.number}\n{PROBE}"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout))
    first, seal, open_ = (statistics.median(r[i] for r in runs) for i in range(3))
    sealed, plain = runs[0][3], runs[0][4]
    print(f"first cursor of a process (AES-GCM import + HKDF): {first * 1000:.1f} ms")
    print(f"seal: {seal * 1e6:.1f} us, open: {open_ * 1e6:.1f} us (median of {args.repeat} x {args.number})")
    print(f"length: {sealed} characters sealed, {plain} unsealed ({sealed / plain:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
