# Caching (issue #14 part 4; docs/decisions.md "Caching"): where a cache would pay on the hot read paths.
#   make bench-cache   reads per request, their time and the hit rates the access pattern gives (~1 min)
# Its hit-rate model is unit-tested in tests/unit/shared/test_bench_cache.py (make test-unit).
.PHONY: bench-cache

bench-cache: python-deps
	$(PY) scripts/bench_cache.py --write-docs

bench: bench-cache
