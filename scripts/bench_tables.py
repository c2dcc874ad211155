"""Hot-path listings at 1k vs 100k rows: does a page cost the same however big the table grows?

Three listings, each through the very adapter its route uses, against moto's server started the way the
tests start it (``tests/support/emulator.py``: ThreadedMotoServer plus the dev stack's bootstrap):

    tutors    matching's ``DynamoTutors.search`` (open tutors whose name starts with "kim", a page of 20)
    results   practice's ``DynamoResults.page`` (one student's latest 20 pronunciation results)
    inbox     notifications' ``DynamoNotificationInbox.page`` (one user's latest 20 notifications)

Each size has its own copy of the table (the catalogued one holds 1k rows, a clone made by the same bootstrap
code holds 100k), filled by writing straight into moto's in-process backend (``put_item`` on the server's own
table objects; over HTTP a batch of 25 costs ~30 ms, so 100k rows would take minutes). The rows the measured
listing reads are the same at both sizes; the other rows belong to other users (or are tutors with other
names), as in production.

Both tables stay live, so the sizes are measured interleaved: in each round a few calls at 1k and a few at
100k (the order alternates, A/B then B/A). A burst of load from the other processes on a shared machine then
lands in a round of both sizes instead of on one size only.

moto is not DynamoDB: it answers a Query by walking and sorting every item of the table (DynamoDB reads only
the key range), so its time grows with the table whatever the adapter does, and on a loaded 2-core machine
a call's wall-clock time swings by several times. The gate therefore has two parts:

- work, counted exactly: DynamoDB requests, items returned and items read (``ScannedCount``, DynamoDB's
  own measure of what a request reads and bills) per listing must not grow with the table. A Scan reads
  every item, so a listing that scans fails here (``--self-check`` runs one and shows the ratio explode);
- time: the CPU the calling thread spends on one call (``time.thread_time``: the adapter, botocore and
  HTTP; moto answers on its server's threads, and waiting for a CPU is not counted), each call on evicted
  CPU caches at both sizes, the least of a round's calls; the best round at 100k over the best round at 1k
  must stay within --target (1.2). The per-round ratios are reported as its spread, and the wall-clock
  medians (moto included) as the raw ratio.

Exit 1 if an adapter ratio is above the target or the work grew.

    python scripts/bench_tables.py                 # all three listings, ~3 min
    python scripts/bench_tables.py --write-docs    # and replace the "## Tables" section of docs/benchmarks.md
    python scripts/bench_tables.py --self-check    # a scanning inbox listing must fail (exit 0 when it does)
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
REPORT = REPO_ROOT / "docs" / "benchmarks.md"
SECTION = "## Tables"
SIZES = (1_000, 100_000)
PARTS = ("tutors", "results", "inbox")
SCANNING = "inbox-scan"  # the self-check's listing: the inbox read by a Scan, which the gate must catch
PAGE = 20
OWN_ROWS = 200  # the measured user's rows (results, inbox); the rest of the table is other users'
SERVICE = {"tutors": "matching", "results": "practice", "inbox": "notifications", "inbox-scan": "notifications"}
COMMAND = "make bench-tables"
LEARNER = "learner@example.com"


# --- the verdict (unit-tested) ----------------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    """One listing at one table size: the best round's wall-clock median and adapter CPU time in seconds
    (every round's adapter CPU time in ``rounds``, in the order measured), and the work of one call."""

    rows: int
    median: float
    adapter_cpu: float
    requests: int
    items: int
    rounds: tuple[float, ...] = ()
    read: int = 0


def ratio(large: float, small: float) -> float:
    return large / small if small > 0 else float("inf")


@dataclass(frozen=True)
class Verdict:
    part: str
    raw_ratio: float
    ratio: float
    work_grew: bool
    target: float
    spread: tuple[float, float] = (0.0, 0.0)

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target and not self.work_grew


def verdict(part: str, small: Measure, large: Measure, target: float) -> Verdict:
    gated = ratio(large.adapter_cpu, small.adapter_cpu)
    per_round = [ratio(b, a) for a, b in zip(small.rounds, large.rounds)] or [gated]
    return Verdict(
        part=part,
        raw_ratio=ratio(large.median, small.median),
        ratio=gated,
        work_grew=large.requests > small.requests or large.items > small.items or large.read > small.read,
        target=target,
        spread=(min(per_round), max(per_round)),
    )


def round_orders(rounds: int, sizes: int) -> list[list[int]]:
    """A/B, B/A, A/B...: the size measured first alternates, so neither always runs on a warmer process."""
    forward = list(range(sizes))
    return [forward if r % 2 == 0 else forward[::-1] for r in range(rounds)]


def exit_code(verdicts: list[Verdict]) -> int:
    return 0 if verdicts and all(v.ok for v in verdicts) else 1


# --- one listing, in its own process (each service has its own ``chalicelib``) -------------------------
class WorkCounter:
    """Per listing, the DynamoDB requests made and the items DynamoDB reads for them (``ScannedCount``: a
    Query reads its key range up to the limit, a Scan every item of the table)."""

    def __init__(self) -> None:
        self.requests = 0
        self.read = 0
        self.evicting = 0.0

    def install(self, client: Any) -> None:
        client.meta.events.register("before-call.dynamodb", self._count)
        client.meta.events.register("after-call.dynamodb", self._read)
        client.meta.events.register("before-call.dynamodb", self._evict)
        client.meta.events.register("before-parse.dynamodb", self._evict)

    def _evict(self, **_: Any) -> None:
        """Evicts the CPU caches before the request is sent and before its answer is parsed, at both sizes
        alike: otherwise the 1k call parses on caches still warm from its last call while the 100k call
        parses on caches moto's walk of 100k items has just flushed (an emulator effect of ~20% here). The
        eviction's own CPU time is taken out of the call's."""
        started = time.thread_time()
        bytes(_EVICTION_BUFFER)
        self.evicting += time.thread_time() - started

    def reset(self) -> None:
        self.requests, self.read = 0, 0

    def _count(self, **_: Any) -> None:
        self.requests += 1

    def _read(self, parsed: dict[str, Any], **_: Any) -> None:
        self.read += int(parsed.get("ScannedCount", 0))


_EVICTION_BUFFER = bytearray(32 * 1024 * 1024)  # larger than the last-level cache of the machines we run on


def _backend_table(name: str) -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[DEFAULT_ACCOUNT_ID]["ap-northeast-2"].get_table(name)


def _fill(table: Any, items: Callable[[int], list[dict[str, Any]]], rows: int) -> None:
    """Writes row numbers 0.. until the table holds ``rows`` items (the same rows at every size first)."""
    from speaktracker.dynamo import to_item

    number, held = 0, len(table)  # moto's len() walks the table: count the writes instead
    while held < rows:
        for item in items(number):
            table.put_item(to_item(item))
            held += 1
        number += 1


def _copy_of_table(db: Any, logical: str, rows: int) -> str:
    """A table defined like the catalogued one, for the larger size (made by the dev stack's own bootstrap)."""
    from speaktracker import catalogue
    from speaktracker_dev.bootstrap import ensure_table

    name = f"{_name(logical)}-{rows}"
    ensure_table(db, name, catalogue.table(logical))
    return name


def _tutor_rows() -> tuple[str, Callable[[int], list[dict[str, Any]]], Callable[[Any], Any]]:
    from chalicelib.adapters.tutors import DynamoTutors, _tutor_item, word_items
    from chalicelib.domain import Tutor, search_prefix

    surnames = ("Park", "Lee", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han")

    def items(n: int) -> list[dict[str, Any]]:
        # The first 100 tutors are the Kims the search finds; everyone after has another name.
        first = "Kim" if n < 100 else surnames[n % len(surnames)]
        tutor = Tutor(
            email=f"tutor{n:06d}@example.com",
            name=f"{first} Tutor{n:06d} Teaches",
            is_accepting=True,
            max_students=5,
            revision=1,
        )
        return [_tutor_item(tutor, "2026-01-01T00:00:00Z"), *word_items(tutor)]

    def listing(tutors: DynamoTutors) -> Any:
        return tutors.search(search_prefix("kim"), True, None, PAGE, "bench-caller")

    return "tutors", items, lambda db, table: (DynamoTutors(db, table), listing)


def _result_rows() -> tuple[str, Callable[[int], list[dict[str, Any]]], Callable[[Any], Any]]:
    from chalicelib.adapters.dynamodb_progress import DynamoResults

    def items(n: int) -> list[dict[str, Any]]:
        student = LEARNER if n < OWN_ROWS else f"student{n // 50:05d}@example.com"
        words = [{"word": w, "score": 80, "phonemes": [{"phoneme": "AH", "score": 80}]} for w in ("i", "like", "tea")]
        return [
            {
                "studentEmail": student,
                "resultId": f"2026-01-01T00:00:00Z#{n:07d}",
                "timestamp": "2026-01-01T00:00:00Z",
                "originalText": "I like tea.",
                "transcribedText": "I like tea.",
                "overallScore": 80,
                "grade": "B",
                "feedback": "Good.",
                "missedWords": [],
                "extraWords": [],
                "audioDurationMs": 1500,
                "audioKey": f"audio/{n}.wav",
                "sessionId": f"session-{n // 10}",
                "sentenceKey": "i-like-tea",
                "topic": "daily",
                "level": "beginner",
                "assessment": {"overallScore": 80, "words": words},
                "wordScores": words,
            }
        ]

    def listing(results: DynamoResults) -> Any:
        return results.page(LEARNER, None, PAGE, "bench-caller")

    return (
        "pronunciation-results",
        items,
        lambda db, table: (DynamoResults(db, table, _name("daily-statistics")), listing),
    )


def _inbox_rows() -> tuple[str, Callable[[int], list[dict[str, Any]]], Callable[[Any], Any]]:
    from chalicelib.adapters.dynamodb_inbox import DynamoNotificationInbox

    def items(n: int) -> list[dict[str, Any]]:
        user = LEARNER if n < OWN_ROWS else f"user{n // 50:05d}@example.com"
        return [
            {
                "userEmail": user,
                "notificationId": f"2026-01-01T00:00:00Z#{n:07d}",
                "type": "tutor_request",
                "title": "A new request",
                "message": "Kim would like you as their tutor.",
                "data": {"requestId": f"r{n}"},
                "createdAt": "2026-01-01T00:00:00Z",
                "read": False,
                "pushed": True,
                "unreadUserEmail": user,
                "ttl": 4_102_444_800,
            }
        ]

    def listing(inbox: DynamoNotificationInbox) -> Any:
        return inbox.page(LEARNER, False, None, PAGE, "bench-caller")

    return "notifications", items, lambda db, table: (DynamoNotificationInbox(db, table, time.time), listing)


def _scanning_inbox_rows() -> tuple[str, Callable[[int], list[dict[str, Any]]], Callable[[Any], Any]]:
    """The self-check: the same inbox rows read the way the conventions forbid on a hot path (a Scan with a
    filter, then sorted), which must make the ratio explode."""
    from speaktracker.dynamo import from_item, to_values

    logical, items, _ = _inbox_rows()

    @dataclass
    class Found:
        items: list[dict[str, Any]]

    def listing(scan: Callable[[], list[dict[str, Any]]]) -> Found:
        mine = sorted((from_item(i) for i in scan()), key=lambda n: n["notificationId"], reverse=True)
        return Found(mine[:PAGE])

    def build(db: Any, table: str) -> Any:
        def scan() -> list[dict[str, Any]]:
            request = dict(
                TableName=table, FilterExpression="userEmail = :u", ExpressionAttributeValues=to_values({":u": LEARNER})
            )
            found, start = [], None
            while True:
                page = db.scan(**request, **({"ExclusiveStartKey": start} if start else {}))
                found += page.get("Items", [])
                start = page.get("LastEvaluatedKey")
                if not start:
                    return found

        return scan, listing

    return logical, items, build


def _name(table: str) -> str:
    from speaktracker.settings import get_settings

    return get_settings().name(table)


ROWS = {"tutors": _tutor_rows, "results": _result_rows, "inbox": _inbox_rows, SCANNING: _scanning_inbox_rows}


def measure_part(part: str, rounds: int, calls: int, sizes: tuple[int, ...] = SIZES) -> list[Measure]:
    sys.path.insert(0, str(REPO_ROOT))
    from tests.support.emulator import Emulator
    from tests.support.services import use_service

    use_service(SERVICE[part])
    with Emulator() as aws:
        logical, items, build = ROWS[part]()
        db = aws.client("dynamodb")
        names = [_name(logical), *(_copy_of_table(db, logical, rows) for rows in sizes[1:])]
        clock = WorkCounter()
        clock.install(db)
        listings, work = [], []
        for name, rows in zip(names, sizes):
            table = _backend_table(name)
            _fill(table, items, rows)
            adapter, listing = build(db, name)
            listing(adapter)  # warm
            clock.reset()
            found = len(listing(adapter).items)
            if found != PAGE:
                raise SystemExit(f"{part}: the listing found {found} rows, not a page of {PAGE}")
            listings.append(lambda listing=listing, adapter=adapter: listing(adapter))
            work.append((len(table), clock.requests, found, clock.read))
        gc.freeze()  # the emulator's rows are not the listing's heap: keep them out of collections
        totals: list[list[float]] = [[] for _ in sizes]
        adapters: list[list[float]] = [[] for _ in sizes]
        for order in round_orders(rounds, len(sizes)):
            for size in order:
                total, adapter_only = _calls(listings[size], clock, calls)
                totals[size].append(total)
                adapters[size].append(adapter_only)
        return [
            Measure(rows, min(totals[i]), min(adapters[i]), requests, found, tuple(adapters[i]), read)
            for i, (rows, requests, found, read) in enumerate(work)
        ]


def _calls(listing: Callable[[], Any], clock: WorkCounter, calls: int) -> tuple[float, float]:
    """The median wall-clock time of ``calls`` calls, and the least CPU time this thread spent on one: the
    adapter, botocore and HTTP, not moto (it answers on its server's threads) and not the waits for a CPU
    that the other processes on a shared machine cause (the least of a few calls drops the rest)."""
    total, own = [], []
    for _ in range(calls):
        clock.evicting = 0.0
        started, cpu = time.perf_counter(), time.thread_time()
        listing()
        own.append(time.thread_time() - cpu - clock.evicting)
        total.append(time.perf_counter() - started)
    return statistics.median(total), min(own)


# --- the run --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    rounds: int
    calls: int
    sizes: tuple[int, ...] = SIZES

    def arguments(self) -> list[str]:
        return ["--rounds", str(self.rounds), "--calls", str(self.calls), "--sizes", ",".join(map(str, self.sizes))]


SELF_CHECK = Plan(rounds=2, calls=3, sizes=(1_000, 10_000))


def run_part(part: str, plan: Plan) -> list[Measure]:
    """One listing in its own process (each service has its own ``chalicelib``)."""
    answer = subprocess.run(
        [sys.executable, __file__, "--part", part, *plan.arguments()],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    return [Measure(**{**m, "rounds": tuple(m["rounds"])}) for m in json.loads(answer.stdout.strip().splitlines()[-1])]


def _table(results: dict[str, list[Measure]], verdicts: list[Verdict], plan: Plan) -> str:
    growth = f"{plan.sizes[-1] // 1000}k/{plan.sizes[0] // 1000}k"
    sizes = " and ".join(f"{n // 1000}k" for n in plan.sizes)
    lines = [
        f"Each listing's adapter (a page of {PAGE}) against moto's server, the table at {sizes} rows (a",
        f"table per size), measured interleaved: {plan.rounds} rounds of {plan.calls} calls per size, the order",
        "alternating (A/B, B/A, ...). `median ms`: wall clock, moto included (moto walks every item for a Query,",
        "DynamoDB reads only the key range). `adapter CPU ms`: the CPU the calling thread spends on one call",
        "(adapter, botocore, HTTP; moto answers on its own threads), the least of a round's calls, best round.",
        f"`adapter {growth}` (the gate) is best round over best round, `spread` the lowest and highest of the",
        "per-round ratios; `work` is DynamoDB requests / items returned / items read (`ScannedCount`) per call,",
        "which must not grow.",
        "",
        f"| listing | rows | median ms | adapter CPU ms | work | raw {growth} | adapter {growth} | spread | ok |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for v in verdicts:
        for m in results[v.part]:
            large = m.rows >= max(r.rows for r in results[v.part])
            lines.append(
                f"| {v.part} | {m.rows} | {m.median * 1000:.2f} | {m.adapter_cpu * 1000:.2f} | "
                f"{m.requests} / {m.items} / {m.read} | {f'{v.raw_ratio:.2f}' if large else ''} | "
                f"{f'{v.ratio:.2f}' if large else ''} | {f'{v.spread[0]:.2f}–{v.spread[1]:.2f}' if large else ''} | "
                f"{('yes' if v.ok else 'NO') if large else ''} |"
            )
    return "\n".join(lines)


def _write_docs(body: str) -> None:
    write_section(REPORT, SECTION, f"`{COMMAND}` (`python scripts/bench_tables.py --write-docs`)", body)


def write_section(report: Path, section: str, command: str, body: str) -> None:
    """Replaces ``section`` of the benchmarks page (or appends it), keeping every other section."""
    text = report.read_text() if report.exists() else "# Benchmarks\n"
    block = f"{section}\n\nCommand: {command}\n\n{body}\n"
    start = text.find(f"\n{section}\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + block
    else:
        end = text.find("\n## ", start + 1)
        text = text[: start + 1] + block + (text[end:] if end >= 0 else "")
    report.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=[*PARTS, SCANNING], help="measure one listing in this process (prints JSON)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (each size once per round)")
    parser.add_argument("--calls", type=int, default=5, help="calls per size and round (the round keeps their median)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="table sizes, smallest first")
    parser.add_argument("--target", type=float, default=1.2)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument(
        "--self-check", action="store_true", help="a scanning listing must fail the gate (exit 0 if so)"
    )
    args = parser.parse_args()
    plan = Plan(args.rounds, args.calls, tuple(int(n) for n in args.sizes.split(",")))
    if args.self_check and not args.part:
        plan = SELF_CHECK  # a Scan of 100k rows in moto takes seconds a call; 10x the rows shows it as well
    if args.part:
        print(json.dumps([m.__dict__ for m in measure_part(args.part, plan.rounds, plan.calls, plan.sizes)]))
        return 0
    started = time.perf_counter()
    parts = (SCANNING,) if args.self_check else PARTS
    results = {part: run_part(part, plan) for part in parts}
    verdicts = [verdict(part, *results[part], args.target) for part in parts]
    body = _table(results, verdicts, plan)
    print(body)
    print(f"\n{time.perf_counter() - started:.0f} s; target: adapter ratio <= {args.target} and constant work")
    if args.self_check:
        small, large = results[SCANNING]
        caught = exit_code(verdicts) == 1
        print(
            f"self-check: items read per call {small.read} at {small.rows} rows, {large.read} at {large.rows} "
            f"({ratio(large.read, small.read):.1f}x);",
            "the scanning listing fails the gate, as it must" if caught else "NOT caught",
        )
        return 0 if caught else 1
    if args.write_docs:
        _write_docs(body)
    return exit_code(verdicts)


if __name__ == "__main__":
    sys.exit(main())
