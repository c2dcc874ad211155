"""``POST /api/sentences/generate`` alone: N students at once against practice's app, the emulator (moto) in a
process of its own as in the dev stack, the bank's sentences of the level and topic made ahead first.

Reported per round: latency p50/p95/max of the N requests, the practice process's CPU seconds, and the AWS calls
one generate makes, by operation, with their mean latency under that concurrency. Fewer moving parts than
``make bench-practice`` (no TTS pollers, WebSocket gateway or other services), so it shows generate's own cost.

    python scripts/bench_generate.py [--students 20] [--rounds 3] [--plain-moto] [--cold]

``--cold`` makes nothing ahead and draws each round from a topic of its own, so the library lacks the sentences
(as for ones Claude has just written): generate makes each set's first audio itself within its budget
(``SPEAKTRACKER_FIRST_AUDIO_BUDGET_MS``), and the round reports how many first sentences were ready in the answer.

The emulator is the dev stack's (``speaktracker_dev.emulator``, with its fix to moto's queue attributes);
``--plain-moto`` runs moto's own server instead, to compare.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "services" / "practice")]


class EmulatorProcess:
    """The emulator in a child process (the dev stack's arrangement), in place of the tests' in-process one."""

    def __init__(self, port: int, plain_moto: bool = False) -> None:
        self.port, self.plain_moto, self.process = port, plain_moto, None

    def start(self) -> None:
        if self.plain_moto:
            command = [sys.executable, "-m", "moto.server", "-p", str(self.port)]
        else:
            command = [sys.executable, "-m", "speaktracker_dev.emulator", "--port", str(self.port)]
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "scripts"), os.environ.get("PYTHONPATH", "")]),
        }
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the emulator did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def count_aws_calls() -> dict[str, list[float]]:
    """Every botocore call's operation and latency, from now on."""
    from botocore.client import BaseClient

    calls: dict[str, list[float]] = collections.defaultdict(list)
    original = BaseClient._make_api_call

    def timed(self, operation, params):
        began = time.perf_counter()
        try:
            return original(self, operation, params)
        finally:
            calls[f"{self.meta.service_model.service_name} {operation}"].append(time.perf_counter() - began)

    BaseClient._make_api_call = timed
    return calls


ROUND_TOPICS = ["여행", "음식", "쇼핑", "직장", "학교", "건강", "취미"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--plain-moto", action="store_true", help="moto's own server, without the dev stack's fix")
    parser.add_argument("--cold", action="store_true", help="nothing made ahead: a fresh topic each round")
    args = parser.parse_args(argv)
    from tests.support.emulator import Emulator

    emulator = Emulator()
    emulator._server = EmulatorProcess(emulator.port, args.plain_moto)
    with emulator as aws:
        import app as practice_app
        from chalice.test import Client
        from chalicelib import service, wiring
        from chalicelib.domain.levels import Level
        from chalicelib.domain.speech_jobs import DEFAULT_VOICE

        ctx = wiring.practice()
        if not args.cold:
            for sentence in ctx.bank.write(Level.INTERMEDIATE, "travel", 100, []):
                service._speech_for(ctx, DEFAULT_VOICE, sentence.english)
        students = [aws.user(role="student") for _ in range(args.students)]
        with Client(practice_app.app) as client:

            def generate(student, topic: str = "여행") -> tuple[float, bool]:
                began = time.perf_counter()
                headers = {"Authorization": f"Bearer {student.access_token}", "Content-Type": "application/json"}
                body = json.dumps({"difficulty": "중", "topic": topic, "count": 5})
                answer = client.http.post("/api/sentences/generate", headers=headers, body=body)
                assert answer.status_code == 200, answer.body
                ready = [s["audioStatus"] == "COMPLETED" for s in json.loads(answer.body)["sentences"]]
                assert args.cold or all(ready), answer.body
                return time.perf_counter() - began, ready[0]

            # The process warm (clients, JWKS, the bank; cold: the speech engine too, on a topic no round draws).
            generate(students[0], "일상 대화" if args.cold else "여행")
            calls = count_aws_calls()
            library = "nothing made ahead, a fresh topic each round" if args.cold else "all audio in the library"
            print(f"{args.students} students at once, 5 sentences each, {library}:")
            for round_number, topic in zip(range(1, args.rounds + 1), ROUND_TOPICS if args.cold else ["여행"] * 99):
                calls.clear()
                cpu, began = time.process_time(), time.perf_counter()
                with ThreadPoolExecutor(args.students) as pool:
                    answers = list(pool.map(generate, students, [topic] * len(students)))
                latencies = [seconds for seconds, _ in answers]
                first_ready = sum(ready for _, ready in answers)
                print(
                    f"round {round_number}: p50 {percentile(latencies, 0.5):.2f} s,"
                    f" p95 {percentile(latencies, 0.95):.2f} s, max {max(latencies):.2f} s;"
                    f" wall {time.perf_counter() - began:.2f} s, practice CPU {time.process_time() - cpu:.2f} s;"
                    f" first audio in the answer {first_ready}/{len(answers)}"
                )
            per_generate = sum(len(v) for v in calls.values()) / args.students
            print(f"AWS calls per generate: {per_generate:g}")
            for name, seconds in sorted(calls.items(), key=lambda kv: -len(kv[1])):
                mean = sum(seconds) / len(seconds)
                print(f"  {name}: {len(seconds) / args.students:g} per generate, mean {mean * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
