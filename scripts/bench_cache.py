"""Where would a cache pay? The reads behind each hot read path, what a cache hit would save, and how often
one would hit given how learners use the product (issue #14 part 4; the decision is in docs/decisions.md).

Measured against moto's server started the way the tests start it (``tests/support/emulator.py``), each path
through the adapter its route uses, in its own process (each service has its own ``chalicelib``):

    sentences  practice's sentence bank: the file in the package, parsed once per process (``load_bank``),
               and the candidates one generate request draws from (no network read at all)
    scenarios  conversation's scenario catalogue, also a file in the package
    tutors     matching's tutor search (``DynamoTutors.search``, the first page, 300 tutors)
    summary    practice's progress summary reads (``DynamoStatistics.days`` over 30 days and
               ``DynamoResults.recent``), for a student with a month of practice
    audio      practice's native-voice audio: a real espeak-ng recording of a bank sentence in the bucket,
               fetched through the presigned link ``GET /api/tts/status`` hands out (a fresh link per answer)

Per path: the network reads one request makes, and the median time of those reads (``--calls`` of them).
The hit rates come from the access pattern (``hit_rates``: students sharing a level's bank sentences, how
often tutor search and a summary are read between changes), not from a trace we do not have.

    python scripts/bench_cache.py                 # ~1 min
    python scripts/bench_cache.py --write-docs    # and replace the "## Caching" section of docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
REPORT = REPO_ROOT / "docs" / "benchmarks.md"
SECTION = "## Caching"
COMMAND = "make bench-cache"
SERVICE = {"sentences": "practice", "scenarios": "conversation", "tutors": "matching", "summary": "practice"}
SERVICE["audio"] = "practice"
PARTS = tuple(SERVICE)
STUDENT = "learner@example.com"


@dataclass(frozen=True)
class PathCost:
    """One read path: network reads a request makes, the median time of those reads (ms), and the bytes."""

    path: str
    reads: int
    median_ms: float
    note: str
    bytes: int = 0


# --- hit rates from the access pattern (unit-tested) ------------------------------------------------
def shared_hit_rate(requests: list[str]) -> float:
    """A cache shared by everyone (the CDN's edge): every request after the first for the same key hits."""
    return 1 - len(set(requests)) / len(requests) if requests else 0.0


def ttl_hit_rate(reads_per_hour: float, ttl_seconds: float) -> float:
    """A key read as a Poisson stream, cached for ``ttl_seconds`` after each miss: each miss opens a window
    in which λ·T reads hit on average, so the hit rate is λT / (1 + λT)."""
    expected = reads_per_hour / 3600 * ttl_seconds
    return expected / (1 + expected)


def reads_between_changes(reads: float, changes: float) -> float:
    """A key invalidated on every change: of ``reads`` spread among ``changes`` changes, only reads that
    follow another read with no change between can hit."""
    return max(reads - changes, 0.0) / reads if reads else 0.0


def audio_requests(
    candidates: dict[str, int], students: int, sets: int, per_set: int, rng: random.Random
) -> tuple[list[str], list[str]]:
    """The native-voice audio a level's students ask for: each practice set is ``per_set`` sentences drawn
    from one topic's candidates. Returns (every request, the same as the keys a browser already has)."""
    everything, repeats = [], []
    for student in range(students):
        heard: set[str] = set()
        for _ in range(sets):
            topic = rng.choice(sorted(candidates))
            for sentence in rng.sample(range(candidates[topic]), min(per_set, candidates[topic])):
                key = f"{topic}/{sentence}"
                everything.append(key)
                repeats.append(f"{student}:{key}" if key in heard else f"{student}:{key}:first")
                heard.add(key)
    return everything, repeats


# --- the paths, each in its own process ---------------------------------------------------------------
def _median_ms(call: Callable[[], Any], calls: int) -> float:
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _sentences(calls: int) -> PathCost:
    from chalicelib.adapters.sentence_bank import BANK_FILE, load_bank
    from chalicelib.domain.levels import Level
    from chalicelib.domain.sentences import SentenceBank

    parse = _median_ms(lambda: SentenceBank.from_data(json.loads(BANK_FILE.read_text(encoding="utf-8"))), calls)
    bank = load_bank()
    draw = _median_ms(lambda: bank.candidates(Level.INTERMEDIATE, "shopping"), calls)
    return PathCost(
        "sentences", 0, draw, f"parsed once per process ({parse:.2f} ms, memoised by load_bank); a draw below"
    )


def _scenarios(calls: int) -> PathCost:
    from chalicelib.domain.scenarios import Catalogue

    parse = _median_ms(Catalogue.load, calls)
    catalogue = Catalogue.load()
    listing = _median_ms(catalogue.all, calls)
    return PathCost("scenarios", 0, listing, f"parsed once per process ({parse:.2f} ms); the listing below")


class _Requests:
    def __init__(self, client: Any) -> None:
        self.count = 0
        client.meta.events.register("before-call", self._count)

    def _count(self, **_: Any) -> None:
        self.count += 1

    def per_call(self, call: Callable[[], Any]) -> int:
        self.count = 0
        call()
        return self.count


def _tutors(aws: Any, calls: int) -> PathCost:
    from bench_tables import _backend_table, _fill, _name, _tutor_rows

    logical, items, build = _tutor_rows()
    db = aws.client("dynamodb")
    _fill(_backend_table(_name(logical)), items, 300)
    adapter, listing = build(db, _name(logical))
    requests = _Requests(db)
    reads = requests.per_call(lambda: listing(adapter))
    return PathCost("tutors", reads, _median_ms(lambda: listing(adapter), calls), "one Query of the open-name index")


def _summary(aws: Any, calls: int) -> PathCost:
    from datetime import date, timedelta

    from bench_tables import _backend_table, _fill, _name, _result_rows
    from chalicelib.adapters.dynamodb_progress import DynamoStatistics
    from speaktracker.dynamo import to_item

    logical, items, build = _result_rows()
    db = aws.client("dynamodb")
    _fill(_backend_table(_name(logical)), items, 300)
    results, _ = build(db, _name(logical))
    days = _backend_table(_name("daily-statistics"))
    today = date(2026, 1, 31)
    for back in range(30):
        day = (today - timedelta(days=back)).isoformat()
        days.put_item(to_item({"studentEmail": STUDENT, "date": day, "practiceCount": 12, "totalDuration": 600}))
    stats = DynamoStatistics(db, _name("daily-statistics"))

    def summary() -> None:
        stats.days(STUDENT, today - timedelta(days=29), today)
        results.recent(STUDENT, 20)

    reads = _Requests(db).per_call(summary)
    return PathCost("summary", reads, _median_ms(summary, calls), "30 days of statistics + the latest 20 results")


def _audio(aws: Any, calls: int) -> PathCost:
    from chalicelib.adapters.s3 import S3FileStore
    from chalicelib.adapters.speech import EngineSynthesizer, SpeechEngine
    from chalicelib.domain.speech_jobs import audio_id, audio_key
    from speaktracker.aws import AwsClients
    from speaktracker.settings import get_settings

    settings = get_settings()
    text = "Could I try this jacket on in a larger size?"
    speech = EngineSynthesizer(SpeechEngine(settings, AwsClients(settings))).synthesize(text, "Joanna")
    files = S3FileStore(aws.client("s3"), _service_name("user-content"), settings.presigned_url_seconds)
    key = audio_key(audio_id("Joanna", text), speech.extension)
    files.put(key, speech.audio, speech.content_type)
    first, second = files.presign_download(key), files.presign_download(key)
    time.sleep(1.1)  # a presigned link is signed with the time: a later answer carries another URL
    later = files.presign_download(key)

    def play() -> None:
        with urllib.request.urlopen(files.presign_download(key)) as answer:
            answer.read()

    distinct = len({first, second, later})
    return PathCost(
        "audio",
        1,
        _median_ms(play, calls),
        f"one S3 GET per play; {distinct} distinct URLs in 3 answers for the same audio",
        len(speech.audio),
    )


def _service_name(logical: str) -> str:
    from speaktracker.settings import get_settings

    return get_settings().name(logical)


def measure_path(part: str, calls: int) -> PathCost:
    sys.path.insert(0, str(REPO_ROOT))
    from tests.support.services import use_service

    use_service(SERVICE[part])
    if part == "sentences":
        return _sentences(calls)
    if part == "scenarios":
        return _scenarios(calls)
    from tests.support.emulator import Emulator

    with Emulator() as aws:
        return {"tutors": _tutors, "summary": _summary, "audio": _audio}[part](aws, calls)


def bank_candidates() -> dict[str, int]:
    """Candidates per topic at the intermediate level, from the bank itself (in a practice process)."""
    from chalicelib.adapters.sentence_bank import load_bank
    from chalicelib.domain.levels import Level

    bank = load_bank()
    return {
        topic: len(bank.candidates(Level.INTERMEDIATE, topic)) for topic in sorted({s.topic for s in bank.sentences})
    }


# --- the run --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pattern:
    """The access pattern the hit rates assume (docs/decisions.md says why these numbers)."""

    students: int = 20  # one level's learners at one school
    sets: int = 4  # practice sets each, in a week
    per_set: int = 5  # sentences a set
    tutor_searches_per_hour: float = 20  # students looking for a tutor, at peak
    search_ttl_seconds: float = 60  # a tutor's capacity must show within a minute
    summary_reads_per_day: float = 3  # home screen visits and the tutor's look
    summary_changes_per_day: float = 20  # one per evaluated recording


def _run(part: str, calls: int) -> Any:
    answer = subprocess.run(
        [sys.executable, __file__, "--part", part, "--calls", str(calls)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def report(costs: list[PathCost], candidates: dict[str, int], pattern: Pattern, calls: int) -> str:
    audio, repeats = audio_requests(candidates, pattern.students, pattern.sets, pattern.per_set, random.Random(14))
    school, _ = audio_requests(candidates, pattern.students * 10, pattern.sets, pattern.per_set, random.Random(14))
    rates = {
        "sentences": (1.0, "in-process memo already (the file ships with the code)"),
        "scenarios": (1.0, "in-process memo already (the file ships with the code)"),
        "tutors": (
            ttl_hit_rate(pattern.tutor_searches_per_hour, pattern.search_ttl_seconds),
            f"{pattern.tutor_searches_per_hour:g} searches/h, {pattern.search_ttl_seconds:g} s TTL",
        ),
        "summary": (
            reads_between_changes(pattern.summary_reads_per_day, pattern.summary_changes_per_day),
            f"{pattern.summary_reads_per_day:g} reads/day, each of {pattern.summary_changes_per_day:g} results "
            "invalidates",
        ),
        "audio": (
            shared_hit_rate(audio),
            f"{pattern.students} students x {pattern.sets} sets x {pattern.per_set} sentences from "
            f"{sum(candidates.values())} intermediate candidates; the same browser again: "
            f"{sum(1 for r in repeats if not r.endswith(':first')) / len(repeats):.0%}; "
            f"{pattern.students * 10} students: {shared_hit_rate(school):.0%}",
        ),
    }
    lines = [
        f"Median of {calls} calls of each read path against moto's server (`reads`: network requests per",
        "request; `ms`: their time). `hit rate`: how often a cache in front of the path would answer,",
        "from the access pattern (`scripts/bench_cache.py`, `Pattern`), not from a production trace. The `ms`",
        "of DynamoDB paths are moto's on a shared machine, many times DynamoDB's single-digit ms: compare `reads`.",
        "",
        "| path | reads | ms | bytes | what the reads are | hit rate | pattern |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    for cost in costs:
        rate, why = rates[cost.path]
        lines.append(
            f"| {cost.path} | {cost.reads} | {cost.median_ms:.2f} | {cost.bytes or ''} | {cost.note} | "
            f"{rate:.0%} | {why} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=[*PARTS, "candidates"], help="measure one path here (prints JSON)")
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    if args.part == "candidates":
        sys.path.insert(0, str(REPO_ROOT))
        from tests.support.services import use_service

        use_service("practice")
        print(json.dumps(bank_candidates()))
        return 0
    if args.part:
        print(json.dumps(asdict(measure_path(args.part, args.calls))))
        return 0
    started = time.perf_counter()
    costs = [PathCost(**_run(part, args.calls)) for part in PARTS]
    body = report(costs, _run("candidates", args.calls), Pattern(), args.calls)
    print(body)
    print(f"\n{time.perf_counter() - started:.0f} s")
    if args.write_docs:
        from bench_tables import write_section

        write_section(REPORT, SECTION, f"`{COMMAND}` (`python scripts/bench_cache.py --write-docs`)", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
