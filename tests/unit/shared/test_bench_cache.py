"""The caching benchmark's hit-rate model: what a shared cache, a TTL cache and an invalidated-on-change
cache would answer, given the access pattern the decision in docs/decisions.md rests on."""

from __future__ import annotations

import random

import pytest

from tests.support.scripts import load_script


@pytest.fixture(scope="module")
def bench():
    return load_script("bench_cache")


def test_a_shared_cache_hits_every_request_after_the_first_for_a_key(bench):
    assert bench.shared_hit_rate(["a", "b", "a", "a"]) == pytest.approx(0.5)
    assert bench.shared_hit_rate(["a", "b", "c"]) == 0.0
    assert bench.shared_hit_rate([]) == 0.0


def test_a_ttl_cache_hits_in_proportion_to_reads_within_the_ttl(bench):
    assert bench.ttl_hit_rate(60, 60) == pytest.approx(0.5)  # one read a minute, a minute's TTL
    assert bench.ttl_hit_rate(3600, 1) == pytest.approx(0.5)
    assert bench.ttl_hit_rate(0, 60) == 0.0
    assert bench.ttl_hit_rate(20, 60) < bench.ttl_hit_rate(200, 60)


def test_a_value_changed_more_often_than_read_never_hits(bench):
    assert bench.reads_between_changes(3, 20) == 0.0
    assert bench.reads_between_changes(10, 2) == pytest.approx(0.8)
    assert bench.reads_between_changes(0, 0) == 0.0


def test_students_sharing_a_small_bank_ask_mostly_for_audio_someone_already_fetched(bench):
    candidates = {"daily": 16, "food": 16}
    everything, repeats = bench.audio_requests(candidates, students=20, sets=4, per_set=5, rng=random.Random(1))
    assert len(everything) == len(repeats) == 20 * 4 * 5
    assert len(set(everything)) <= 32  # no more distinct audio than the bank has
    assert bench.shared_hit_rate(everything) > 0.9
    alone, _ = bench.audio_requests(candidates, students=1, sets=1, per_set=5, rng=random.Random(1))
    assert bench.shared_hit_rate(alone) == 0.0  # five different sentences in one set
