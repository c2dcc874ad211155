"""Practice under load on the dev stack: N students at once, each over HTTP and WebSocket.

Each student connects to the WebSocket gateway, starts a session, generates sentences, waits for a
``tts_ready`` push for every one, downloads one clip, has an espeak-ng recording of one sentence assessed,
and ends the session. Reported: latency of generate (the request), generate -> first audio ready (the first
sentence answered COMPLETED by generate or announced by a push), generate -> all audio ready (the last one),
and evaluate, as p50/p95, and the jobs lost (not COMPLETED, or never announced, within the deadline).

Before the students start, the bank's audio is made ahead (``scripts/warm_sentence_audio.py``, as a deployment
would); ``--cold`` leaves the audio library empty, so every sentence goes through the TTS queue.

    python scripts/bench_practice.py                       # starts its own dev stack on free ports
    python scripts/bench_practice.py --cold                # ... without making the bank's audio ahead
    python scripts/bench_practice.py --use-running         # the stack `make dev` is running (.dev/stack.env)
    python scripts/bench_practice.py --evaluation-cpu      # CPU seconds per stage of one evaluation, no stack
    python scripts/bench_practice.py --evaluation-pool     # N evaluations at once: in-process vs worker pool, no stack

The result replaces the figures of the ``## Practice`` section of docs/benchmarks.md, up to its first level-3
heading (notes under those, and other sections, are left alone).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import boto3
import websockets
from speaktracker_dev import launch
from speaktracker_dev.users import create_signed_in_user

REPO_ROOT = Path(__file__).resolve().parents[1]
REPORT = REPO_ROOT / "docs" / "benchmarks.md"
SECTION = "## Practice"
PASSWORD = "Str0ng!Pass"


# --- the stack --------------------------------------------------------------------------------------
@dataclass
class Stack:
    practice: str
    websocket: str
    emulator: str
    environment: dict[str, str]
    process: subprocess.Popen | None = None
    conversation: str = ""

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.emulator,
            region_name=self.environment["AWS_REGION"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def start_stack(state_dir: Path, timeout: float = 180) -> Stack:
    ports = launch.free_ports()
    log = (state_dir / "stack.log").open("w")
    process = launch.spawn(state_dir, ports, log)
    web = f"http://127.0.0.1:{ports['web']}"
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise SystemExit(f"the dev stack exited; see {state_dir / 'stack.log'}")
        if launch.is_up(web):
            break
        if time.monotonic() > deadline:
            process.send_signal(signal.SIGINT)
            raise SystemExit(f"the dev stack did not come up in {timeout:.0f} s; see {state_dir / 'stack.log'}")
        time.sleep(0.5)
    return Stack(
        f"http://127.0.0.1:{ports['practice']}",
        f"ws://127.0.0.1:{ports['websocket']}",
        f"http://127.0.0.1:{ports['emulator']}",
        launch.read_env_file(state_dir / "stack.env"),
        process,
        f"http://127.0.0.1:{ports['conversation']}",
    )


def running_stack() -> Stack:
    """The stack `make dev` runs (its ports from the same environment variables `make dev` reads)."""
    from speaktracker_dev.ports import StackPorts, StackUrls

    env_file = REPO_ROOT / ".dev" / "stack.env"
    if not env_file.exists():
        raise SystemExit("no running dev stack: start one with `make dev`, or leave out --use-running")
    urls = StackUrls(StackPorts.from_environment(os.environ))
    return Stack(
        urls.service("practice"),
        urls.websocket,
        urls.emulator,
        launch.read_env_file(env_file),
        conversation=urls.service("conversation"),
    )


def sign_in(stack: Stack, role: str = "student") -> tuple[str, str]:
    email = f"bench-{role}-{uuid.uuid4().hex[:8]}@example.com"
    auth = create_signed_in_user(
        stack.client("cognito-idp"),
        stack.environment["SPEAKTRACKER_COGNITO_USER_POOL_ID"],
        stack.environment["SPEAKTRACKER_COGNITO_CLIENT_ID"],
        email,
        role,
        PASSWORD,
    )
    return email, auth["AccessToken"]


def espeak_wav(text: str) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".wav") as out:
        subprocess.run(["espeak-ng", "-v", "en-us", "-w", out.name, text], check=True)
        return Path(out.name).read_bytes()


def warm_bank_audio(stack: Stack) -> str:
    """The deployment step: the bank's audio made ahead with the stack's settings; returns its summary line."""
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "warm_sentence_audio.py")],
        env={**os.environ, **stack.environment},
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


# --- one student --------------------------------------------------------------------------------------
@dataclass
class Outcome:
    generate_s: float | None = None
    first_ready_s: float | None = None
    all_ready_s: float | None = None
    ready_at_generate: int = 0
    evaluate_s: float | None = None
    jobs: int = 0
    lost: int = 0
    failed: int = 0
    score: float | None = None
    sentence: str | None = None
    errors: list[str] = field(default_factory=list)


async def student_run(stack: Stack, token: str, sentences: int, deadline_s: float) -> Outcome:
    outcome = Outcome()
    headers = {"Authorization": f"Bearer {token}"}
    ready: dict[str, tuple[str, float]] = {}
    async with (
        aiohttp.ClientSession(headers=headers, timeout=aiohttp.ClientTimeout(total=120)) as http,
        websockets.connect(f"{stack.websocket}/?token={token}", open_timeout=30) as ws,
    ):
        listener = asyncio.create_task(_listen(ws, ready))
        try:
            async with http.post(f"{stack.practice}/api/sessions/start", json={"sessionType": "practice"}) as r:
                session = await _json(r, outcome, "start")
            started = time.perf_counter()
            async with http.post(
                f"{stack.practice}/api/sentences/generate",
                json={"difficulty": "중", "topic": "여행", "count": sentences, "sessionId": session.get("sessionId")},
            ) as r:
                made = await _json(r, outcome, "generate")
            answered = time.perf_counter()
            outcome.generate_s = answered - started
            jobs = made.get("jobIds", [])
            outcome.jobs = len(jobs)
            # A sentence whose audio is ready when generate answers needs no push to be played.
            ready_now = {s["jobId"] for s in made.get("sentences", []) if s.get("audioStatus") == "COMPLETED"}
            outcome.ready_at_generate = len(ready_now)
            if ready_now:
                outcome.first_ready_s = outcome.generate_s
            while len([j for j in jobs if j in ready]) < len(jobs) and time.perf_counter() - started < deadline_s:
                if outcome.first_ready_s is None and any(j in ready for j in jobs):
                    outcome.first_ready_s = min(ready[j][1] for j in jobs if j in ready) - started
                await asyncio.sleep(0.05)
            if outcome.first_ready_s is None and any(j in ready for j in jobs):
                outcome.first_ready_s = min(ready[j][1] for j in jobs if j in ready) - started
            if jobs and all(j in ready for j in jobs):
                outcome.all_ready_s = max(answered if j in ready_now else ready[j][1] for j in jobs) - started
            for job in jobs:
                async with http.get(f"{stack.practice}/api/tts/status/{job}") as r:
                    status = await r.json()
                if status.get("status") != "COMPLETED" or job not in ready:
                    outcome.lost += 1
                    outcome.failed += status.get("status") == "FAILED"
            if jobs:
                async with http.get(f"{stack.practice}/api/tts/status/{jobs[0]}") as r:
                    url = (await r.json()).get("audioUrl")
                if url:
                    async with http.get(url, headers={"Authorization": ""}) as r:
                        audio = await r.read()
                    if len(audio) < 1000:
                        outcome.errors.append(f"audio of {len(audio)} bytes")
                sentence = made["sentences"][0]["english"]
                form = aiohttp.FormData()
                form.add_field(
                    "audioFile",
                    await asyncio.to_thread(espeak_wav, sentence),
                    filename="take.wav",
                    content_type="audio/wav",
                )
                form.add_field("originalText", sentence)
                form.add_field("sessionId", session.get("sessionId", ""))
                evaluated = time.perf_counter()
                async with http.post(f"{stack.practice}/api/stt/evaluate", data=form) as r:
                    result = await _json(r, outcome, "evaluate")
                outcome.evaluate_s = time.perf_counter() - evaluated
                outcome.score = result.get("overallScore")
                outcome.sentence = sentence
            async with http.post(
                f"{stack.practice}/api/sessions/end", json={"sessionId": session.get("sessionId")}
            ) as r:
                await _json(r, outcome, "end")
        finally:
            listener.cancel()
    return outcome


async def _listen(ws: Any, ready: dict[str, tuple[str, float]]) -> None:
    async for raw in ws:
        try:
            frame = json.loads(raw)
        except (TypeError, ValueError):
            continue
        if isinstance(frame, dict) and frame.get("type") == "tts_ready" and frame.get("jobId"):
            ready.setdefault(frame["jobId"], (frame.get("status", ""), time.perf_counter()))


async def _json(response: aiohttp.ClientResponse, outcome: Outcome, step: str) -> dict[str, Any]:
    body = await response.json(content_type=None)
    if response.status >= 400:
        outcome.errors.append(f"{step}: {response.status} {body.get('error')}")
    return body if isinstance(body, dict) else {}


async def run(stack: Stack, students: int, sentences: int, deadline_s: float) -> list[Outcome]:
    tokens = [sign_in(stack)[1] for _ in range(students)]
    return await asyncio.gather(*(student_run(stack, t, sentences, deadline_s) for t in tokens))


# --- the report -----------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(outcomes: list[Outcome], students: int, sentences: int, wall_s: float, warmed: str | None) -> str:
    def row(name: str, values: list[float | None]) -> str:
        got = [v for v in values if v is not None]
        p50, p95 = percentile(got, 50), percentile(got, 95)

        def show(v: float | None) -> str:
            return f"{v:.2f} s" if v is not None else "—"

        return f"| {name} | {show(p50)} | {show(p95)} | {show(max(got) if got else None)} | {len(got)} |"

    jobs = sum(o.jobs for o in outcomes)
    lost = sum(o.lost for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    scores = [o.score for o in outcomes if o.score is not None]
    errors = [e for o in outcomes for e in o.errors]
    lines = [
        SECTION,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench-practice` "
        f"(`scripts/bench_practice.py`) on the dev stack (moto emulator, espeak-ng, pocketsphinx, the bank "
        f"sentence engine), {os.cpu_count()} cores, Python {platform.python_version()}.",
        f"{students} students at once, each: WebSocket connect, start a session, generate {sentences} sentences, "
        "wait for a `tts_ready` push per sentence, download one clip, evaluate an espeak-ng recording of one "
        "sentence (multipart), end the session.",
        "",
        "| step | p50 | p95 | max | samples |",
        "|---|---|---|---|---|",
        row("generate (request)", [o.generate_s for o in outcomes]),
        row("generate → first audio ready", [o.first_ready_s for o in outcomes]),
        row("generate → all audio ready", [o.all_ready_s for o in outcomes]),
        row("evaluate (request)", [o.evaluate_s for o in outcomes]),
        "",
        f"- TTS jobs: {jobs}; lost (not COMPLETED or never announced): **{lost}** (of which FAILED: {failed}); "
        f"COMPLETED in generate's answer (audio already in the library): {sum(o.ready_at_generate for o in outcomes)}.",
        f"- Bank audio made ahead: {warmed}."
        if warmed
        else (
            "- Bank audio made ahead: no (`--cold`): nothing was in the library; generate made what its budget"
            " allowed of each set's first sentence, the queue the rest."
        ),
        (
            f"- Scores of the espeak-ng recordings (the exact sentence, clearly spoken): median "
            f"{statistics.median(scores):.1f}, {sum(s < 50 for s in scores)} of {len(scores)} below 50"
            + (
                " ("
                + "; ".join(
                    sorted({f"“{o.sentence}” {o.score:.0f}" for o in outcomes if o.score is not None and o.score < 50})
                )
                + ": the engine reports words "
                "of these clean readings as missed)"
                if any(s < 50 for s in scores)
                else ""
            )
            + "."
        )
        if scores
        else "- No recording was scored.",
        f"- Wall time: {wall_s:.1f} s; request errors: {len(errors)}"
        + (f" ({'; '.join(sorted(set(errors))[:5])})" if errors else "")
        + ".",
        "- Audio ready: the sentence answered COMPLETED by generate (its time is generate's), or its `tts_ready` "
        "push. The dev stack runs the TTS worker in `SPEAKTRACKER_DEV_QUEUE_CONCURRENCY` (default 3) pollers "
        "on two shared cores; in AWS the queue's event source scales out.",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str, path: Path = REPORT, section: str = SECTION) -> None:
    """Replaces our section's figures (up to the next heading) and keeps everyone else's, and the notes under
    our own level-3 headings."""
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    lines = current.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == section), None)
    if start is None:
        updated = current.rstrip("\n") + "\n\n" + text
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(("## ", "### "))), len(lines))
        updated = "\n".join(lines[:start] + text.rstrip("\n").splitlines() + [""] + lines[end:])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated.rstrip("\n") + "\n")


# --- CPU of one evaluation, by stage ---------------------------------------------------------------------
def bank_readings(level: str, topic: str) -> list[tuple[str, bytes]]:
    """(sentence, espeak-ng reading) for every bank sentence of the level and topic."""
    sys.path.insert(0, str(REPO_ROOT / "services" / "practice"))
    from chalicelib.adapters.sentence_bank import load_bank
    from chalicelib.domain.levels import Level

    return [(s.english, espeak_wav(s.english)) for s in load_bank().candidates(Level(level), topic)]


def evaluation_pool(students: int, workers: int, level: str = "intermediate", topic: str = "travel") -> str:
    """``students`` evaluations sent at once from as many threads, to the engine in this process and to a pool of
    ``workers`` processes (what the dev stack's hosts use), both warmed first, alternating twice: the pool alone,
    without the stack's HTTP, emulator and uploads."""
    from concurrent.futures import ThreadPoolExecutor

    from speaktracker.speech.factory import local_assessor
    from speaktracker.speech.pool import AssessorPool

    clips = bank_readings(level, topic)
    readings = [clips[i % len(clips)][::-1] for i in range(students)]
    in_process, pool = local_assessor(), AssessorPool(workers)

    def at_once(assessor: Any) -> tuple[list[float], float]:
        def one(reading: tuple[bytes, str]) -> float:
            start = time.perf_counter()
            assessor.assess(*reading)
            return time.perf_counter() - start

        began = time.perf_counter()
        with ThreadPoolExecutor(len(readings)) as threads:
            latencies = list(threads.map(one, readings))
        return latencies, time.perf_counter() - began

    try:
        for assessor in (in_process, pool):
            at_once(assessor)  # every worker started and its engine loaded
        rows = []
        for _ in range(2):
            for name, assessor in (("in this process", in_process), (f"pool of {workers} processes", pool)):
                latencies, wall = at_once(assessor)
                rows.append(
                    f"| {name} | {percentile(latencies, 50):.2f} s | {percentile(latencies, 95):.2f} s | {wall:.2f} s |"
                )
    finally:
        pool.close()
    return "\n".join(
        [
            f"{students} espeak-ng readings of the bank's {level} {topic} sentences evaluated at once, "
            f"{os.cpu_count()} cores, warmed first, alternating:",
            "",
            "| engine | p50 | p95 | all done |",
            "|---|---|---|---|",
            *rows,
        ]
    )


def evaluation_cpu(level: str = "intermediate", topic: str = "travel", students: int = 20, cores: int = 2) -> str:
    """Thread CPU seconds per stage of assessing espeak-ng readings of the bank's sentences (the bench's level
    and topic), one after another in this process, the engine loaded once first; their wall times are the latency
    of an evaluation with a core of its own (the Lambda model), and ``students`` x CPU / ``cores`` the floor for the
    last of that many evaluating at once on a host of ``cores``."""
    import collections

    import speaktracker.speech.assessment as assessment
    from speaktracker.settings import Settings
    from speaktracker.speech import build_speech

    began = time.thread_time()
    assessor = build_speech(Settings(speech_engine="local")).assessor
    load = time.thread_time() - began
    spent: dict[str, float] = collections.defaultdict(float)

    def timed(owner: Any, name: str, stage: str) -> None:
        inner = getattr(owner, name)

        def measured(*args: Any, **kwargs: Any) -> Any:
            start = time.thread_time()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[stage] += time.thread_time() - start

        setattr(owner, name, measured)

    timed(assessment, "decode_recording", "decode (PyAV, resampled to 16 kHz once)")
    timed(assessor._analyzer, "analyse", "alignment and miscues (pocketsphinx, 3-6 searches)")
    timed(assessor._phones, "log_posteriors", "phone posteriors (hama)")
    timed(assessment, "judge", "scoring (GOP features, learned scorer)")
    timed(assessment.intonation, "pitch_range", "pitch")
    clips = bank_readings(level, topic)
    assessor.assess(clips[0][1], clips[0][0])
    totals: list[float] = []
    walls: list[float] = []
    stages: dict[str, list[float]] = collections.defaultdict(list)
    for text, audio in clips:
        spent.clear()
        start, wall = time.thread_time(), time.perf_counter()
        assessor.assess(audio, text)
        walls.append(time.perf_counter() - wall)
        totals.append(time.thread_time() - start)
        for stage, seconds in spent.items():
            stages[stage].append(seconds)
        stages["the rest (lexicon, words, result)"].append(totals[-1] - sum(spent.values()))
    lines = [
        f"{len(clips)} espeak-ng readings of the bank's {level} {topic} sentences; the engine loaded once first "
        f"({load:.2f} CPU s).",
        "",
        "| stage | median CPU s | share of all |",
        "|---|---|---|",
        *(f"| {s} | {statistics.median(v):.3f} | {sum(v) / sum(totals):.0%} |" for s, v in stages.items()),
        f"| one evaluation | {statistics.median(totals):.3f} (p95 {percentile(totals, 95):.3f}, "
        f"max {max(totals):.3f}) | |",
        "",
        f"- Lambda model (each evaluation with a core of its own, as {students} students at once get in AWS: here one "
        f"at a time on this core): wall p50 {statistics.median(walls):.3f} s, p95 {percentile(walls, 95):.3f} s, "
        f"max {max(walls):.3f} s.",
        f"- {students} at once on {cores} cores: the last one cannot finish before {students} x "
        f"{statistics.median(totals):.3f} / {cores} = {students * statistics.median(totals) / cores:.2f} s "
        "(median CPU, perfect sharing, nothing else running).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--sentences", type=int, default=5)
    parser.add_argument("--deadline", type=float, default=240, help="seconds to wait for every tts_ready")
    parser.add_argument("--use-running", action="store_true", help="use the stack `make dev` is running")
    parser.add_argument("--no-write", action="store_true", help="print the section, do not touch the report")
    parser.add_argument("--cold", action="store_true", help="do not make the bank's audio ahead")
    parser.add_argument("--evaluation-cpu", action="store_true", help="CPU per stage of one evaluation, no stack")
    parser.add_argument(
        "--evaluation-pool", action="store_true", help="evaluations at once: in-process vs the worker pool, no stack"
    )
    args = parser.parse_args(argv)
    if args.evaluation_pool:
        print(evaluation_pool(args.students, os.cpu_count() or 1))
        return 0
    if args.evaluation_cpu:
        print(evaluation_cpu(students=args.students, cores=os.cpu_count() or 1))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-practice-") as state:
        stack = running_stack() if args.use_running else start_stack(Path(state))
        try:
            warmed = None if args.cold else warm_bank_audio(stack)
            began = time.perf_counter()
            outcomes = asyncio.run(run(stack, args.students, args.sentences, args.deadline))
            text = report(outcomes, args.students, args.sentences, time.perf_counter() - began, warmed)
        finally:
            stack.stop()
    print(text)
    if not args.no_write:
        write_section(text)
    return 1 if sum(o.lost for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
