"""The table-growth benchmark's verdict: a listing passes only if its adapter time at 100k rows is within the
target of its time at 1k and it does no more DynamoDB work; the run exits 1 if any listing fails."""

from __future__ import annotations

import pytest

from tests.support.scripts import load_script


@pytest.fixture(scope="module")
def bench():
    return load_script("bench_tables")


def measure(bench, rows: int, adapter_ms: float, requests: int = 1, items: int = 20, emulator_ms: float = 0.0):
    return bench.Measure(rows, (adapter_ms + emulator_ms) / 1000, adapter_ms / 1000, requests, items)


def test_a_flat_listing_passes_though_the_emulator_slows_down(bench):
    small, large = measure(bench, 1_000, 10.0, emulator_ms=2.0), measure(bench, 100_000, 11.0, emulator_ms=500.0)
    verdict = bench.verdict("inbox", small, large, 1.2)
    assert verdict.ratio == pytest.approx(1.1)
    assert verdict.raw_ratio == pytest.approx(511 / 12)
    assert verdict.ok
    assert bench.exit_code([verdict]) == 0


def test_a_listing_slower_than_the_target_fails(bench):
    verdict = bench.verdict("results", measure(bench, 1_000, 10.0), measure(bench, 100_000, 12.5), 1.2)
    assert verdict.ratio == pytest.approx(1.25)
    assert not verdict.ok
    assert bench.exit_code([verdict]) == 1


@pytest.mark.parametrize("requests, items, read", [(2, 20, 20), (1, 21, 20), (1, 20, 100_000)])
def test_a_listing_that_does_more_work_fails_even_when_fast(bench, requests, items, read):
    small = bench.Measure(1_000, 0.01, 0.01, 1, 20, read=20)
    large = bench.Measure(100_000, 0.01, 0.01, requests, items, read=read)
    verdict = bench.verdict("tutors", small, large, 1.2)
    assert verdict.work_grew and not verdict.ok


def test_one_failing_listing_fails_the_run_and_no_listing_is_no_pass(bench):
    good = bench.verdict("inbox", measure(bench, 1_000, 10.0), measure(bench, 100_000, 10.0), 1.2)
    bad = bench.verdict("tutors", measure(bench, 1_000, 10.0), measure(bench, 100_000, 30.0), 1.2)
    assert bench.exit_code([good, bad]) == 1
    assert bench.exit_code([]) == 1
    assert bench.ratio(1.0, 0.0) == float("inf")


def test_the_docs_section_is_replaced_and_the_others_kept(bench, tmp_path, monkeypatch):
    report = tmp_path / "benchmarks.md"
    report.write_text("# Benchmarks\n\n## Practice\n\nkeep\n\n## Tables\n\nold\n\n## Web\n\nkeep too\n")
    monkeypatch.setattr(bench, "REPORT", report)
    bench._write_docs("new figures")
    text = report.read_text()
    assert "new figures" in text and "old" not in text
    assert text.count("## Tables") == 1 and "keep\n" in text and "keep too" in text


def test_the_gate_is_best_round_over_best_round_and_reports_the_spread(bench):
    small = bench.Measure(1_000, 0.012, 0.010, 1, 20, (0.010, 0.014, 0.011))
    large = bench.Measure(100_000, 0.6, 0.011, 1, 20, (0.013, 0.011, 0.016))
    verdict = bench.verdict("inbox", small, large, 1.2)
    assert verdict.ratio == pytest.approx(1.1)
    assert verdict.spread == (pytest.approx(11 / 14), pytest.approx(16 / 11))
    assert verdict.ok


def test_rounds_alternate_which_size_goes_first(bench):
    assert bench.round_orders(4, 2) == [[0, 1], [1, 0], [0, 1], [1, 0]]


def test_a_listing_that_scans_fails_the_gate(bench):
    """The check can fail: the inbox read by a Scan is measured like the real listings, on small tables so it
    stays quick; the items it reads grow with the table (DynamoDB bills them), so the gate fails it."""
    small, large = bench.run_part(bench.SCANNING, bench.Plan(rounds=2, calls=2, sizes=(1_000, 10_000)))
    verdict = bench.verdict(bench.SCANNING, small, large, 1.2)
    assert (small.rows, large.rows) == (1_000, 10_000)
    assert (small.read, large.read) == (1_000, 10_000)  # a Scan reads the whole table
    assert verdict.work_grew and not verdict.ok
    assert bench.exit_code([verdict]) == 1
