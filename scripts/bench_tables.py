"""Hot-path listings at 1k vs 100k rows: does a page cost the same however big the table grows?

Three listings, each through the very adapter its route uses, against moto's server started the way the
tests start it (``tests/support/emulator.py``: ThreadedMotoServer plus the dev stack's bootstrap):

    tutors    matching's ``DynamoTutors.search`` (open tutors whose name starts with "kim", a page of 20)
    results   practice's ``DynamoResults.page`` (one student's latest 20 pronunciation results)
    inbox     notifications' ``DynamoNotificationInbox.page`` (one user's latest 20 notifications)

Each table is filled to 1k and then to 100k rows by writing straight into moto's in-process backend
(``put_item`` on the server's own table objects): over HTTP a batch_write_item of 25 costs ~30 ms on this
kind of machine, so 100k rows would take minutes per table, in-process it is seconds. The rows the
measured listing reads are the same at both sizes; the other rows belong to other users (or are tutors
with other names), as in production.

Reported per listing: the median latency of many calls at 1k and at 100k, and their ratio. moto answers
every Query by walking all the table's items (real DynamoDB reads only the key range), so the raw ratio
grows with the table whatever the adapter does; the gated ratio therefore takes out the time moto spends
inside its own ``Table.query`` (timed in-process), leaving the adapter, botocore, HTTP and the other calls.
The adapter's own work is also counted: DynamoDB requests and items returned per listing, which must not
grow. Exit 1 if a gated ratio is above --target (1.2) or the work grew.

    python scripts/bench_tables.py                 # all three listings, ~2 min
    python scripts/bench_tables.py --write-docs    # and replace the "## Tables" section of docs/benchmarks.md
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
PAGE = 20
OWN_ROWS = 200  # the measured user's rows (results, inbox); the rest of the table is other users'
SERVICE = {"tutors": "matching", "results": "practice", "inbox": "notifications"}
COMMAND = "make bench-tables"


# --- the verdict (unit-tested) ----------------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    """One listing at one table size: medians in seconds, and the work of one call."""

    rows: int
    median: float
    adapter_median: float
    requests: int
    items: int


def ratio(large: float, small: float) -> float:
    return large / small if small > 0 else float("inf")


@dataclass(frozen=True)
class Verdict:
    part: str
    raw_ratio: float
    ratio: float
    work_grew: bool
    target: float

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target and not self.work_grew


def verdict(part: str, small: Measure, large: Measure, target: float) -> Verdict:
    return Verdict(
        part=part,
        raw_ratio=ratio(large.median, small.median),
        ratio=ratio(large.adapter_median, small.adapter_median),
        work_grew=large.requests > small.requests or large.items > small.items,
        target=target,
    )


def exit_code(verdicts: list[Verdict]) -> int:
    return 0 if verdicts and all(v.ok for v in verdicts) else 1


# --- one listing, in its own process (each service has its own ``chalicelib``) -------------------------
class QueryClock:
    """Time moto spends in its own Table.query (the server runs in this process), and the requests made."""

    def __init__(self) -> None:
        self.emulator = 0.0
        self.requests = 0

    def install(self, client: Any) -> None:
        from moto.dynamodb.models.table import Table

        original = Table.query
        clock = self

        def timed(table: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(table, *args, **kwargs)
            finally:
                clock.emulator += time.perf_counter() - started

        Table.query = timed  # type: ignore[method-assign]
        client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, **_: Any) -> None:
        self.requests += 1


def _backend_table(name: str) -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[DEFAULT_ACCOUNT_ID]["ap-northeast-2"].get_table(name)


def _fill(table: Any, items: Callable[[int], list[dict[str, Any]]], start: int, rows: int) -> int:
    """Writes row numbers start.. until the table holds ``rows`` items; returns the next row number."""
    from speaktracker.dynamo import to_item

    number = start
    while len(table) < rows:
        for item in items(number):
            table.put_item(to_item(item))
        number += 1
    return number


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
        return tutors.search(search_prefix("kim"), True, None, PAGE)

    table = _name("tutors")
    return table, items, lambda db: (DynamoTutors(db, table), listing)


def _result_rows() -> tuple[str, Callable[[int], list[dict[str, Any]]], Callable[[Any], Any]]:
    from chalicelib.adapters.dynamodb_progress import DynamoResults

    def items(n: int) -> list[dict[str, Any]]:
        student = "learner@example.com" if n < OWN_ROWS else f"student{n // 50:05d}@example.com"
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
        return results.page("learner@example.com", None, PAGE)

    table = _name("pronunciation-results")
    return table, items, lambda db: (DynamoResults(db, table, _name("daily-statistics")), listing)


def _inbox_rows() -> tuple[str, Callable[[int], list[dict[str, Any]]], Callable[[Any], Any]]:
    from chalicelib.adapters.dynamodb_inbox import DynamoNotificationInbox

    def items(n: int) -> list[dict[str, Any]]:
        user = "learner@example.com" if n < OWN_ROWS else f"user{n // 50:05d}@example.com"
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
        return inbox.page("learner@example.com", False, None, PAGE)

    table = _name("notifications")
    return table, items, lambda db: (DynamoNotificationInbox(db, table, time.time), listing)


def _name(table: str) -> str:
    from speaktracker.settings import get_settings

    return get_settings().name(table)


def measure_part(part: str, calls: int) -> list[Measure]:
    sys.path.insert(0, str(REPO_ROOT))
    from tests.support.emulator import Emulator
    from tests.support.services import use_service

    use_service(SERVICE[part])
    with Emulator() as aws:
        rows = {"tutors": _tutor_rows, "results": _result_rows, "inbox": _inbox_rows}[part]
        table_name, items, build = rows()
        db = aws.client("dynamodb")
        adapter, listing = build(db)
        clock = QueryClock()
        clock.install(db)
        table, number, measures = _backend_table(table_name), 0, []
        for size in SIZES:
            number = _fill(table, items, number, size)
            page = listing(adapter)  # warm, and the work of one call
            clock.requests, clock.emulator = 0, 0.0
            page = listing(adapter)
            requests, found = clock.requests, len(page.items)
            if found != PAGE:
                raise SystemExit(f"{part}: the listing found {found} rows, not a page of {PAGE}")
            gc.freeze()  # the emulator's 100k rows are not the listing's heap: keep them out of collections
            total, adapter_only = [], []
            for _ in range(calls):
                clock.emulator = 0.0
                started = time.perf_counter()
                listing(adapter)
                total.append(time.perf_counter() - started)
                adapter_only.append(max(total[-1] - clock.emulator, 0.0))
            measures.append(
                Measure(len(table), statistics.median(total), statistics.median(adapter_only), requests, found)
            )
        return measures


# --- the run --------------------------------------------------------------------------------------------
def _run_part(part: str, calls: int) -> list[Measure]:
    answer = subprocess.run(
        [sys.executable, __file__, "--part", part, "--calls", str(calls)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    return [Measure(**m) for m in json.loads(answer.stdout.strip().splitlines()[-1])]


def _table(results: dict[str, list[Measure]], verdicts: list[Verdict], calls: int) -> str:
    lines = [
        f"Median of {calls} calls of each listing's adapter (a page of {PAGE}) against moto's server, with the table",
        "at 1k and at 100k rows. `adapter` leaves out the time moto spends in its own Query (moto walks every item;",
        "DynamoDB reads only the key range); `work` is DynamoDB requests / items returned per call.",
        "",
        "| listing | rows | median ms | adapter ms | work | raw 100k/1k | adapter 100k/1k | ok |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for v in verdicts:
        for m in results[v.part]:
            large = m.rows >= SIZES[-1]
            lines.append(
                f"| {v.part} | {m.rows} | {m.median * 1000:.2f} | {m.adapter_median * 1000:.2f} | "
                f"{m.requests} / {m.items} | {f'{v.raw_ratio:.2f}' if large else ''} | "
                f"{f'{v.ratio:.2f}' if large else ''} | {('yes' if v.ok else 'NO') if large else ''} |"
            )
    return "\n".join(lines)


def _write_docs(body: str) -> None:
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    section = f"{SECTION}\n\nCommand: `{COMMAND}` (`python scripts/bench_tables.py --write-docs`)\n\n{body}\n"
    start = text.find(f"\n{SECTION}\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[: start + 1] + section + (text[end:] if end >= 0 else "")
    REPORT.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=PARTS, help="measure one listing in this process (prints JSON)")
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--target", type=float, default=1.2)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    if args.part:
        print(json.dumps([m.__dict__ for m in measure_part(args.part, args.calls)]))
        return 0
    started = time.perf_counter()
    results = {part: _run_part(part, args.calls) for part in PARTS}
    verdicts = [verdict(part, *results[part], args.target) for part in PARTS]
    body = _table(results, verdicts, args.calls)
    print(body)
    print(f"\n{time.perf_counter() - started:.0f} s; target: adapter ratio <= {args.target} and constant work")
    if args.write_docs:
        _write_docs(body)
    return exit_code(verdicts)


if __name__ == "__main__":
    sys.exit(main())
