# Table growth (issue #13): the hot-path listings at 1k vs 100k rows on the emulator (scripts/bench_tables.py).
#   make bench-tables   tutor search, results listing, inbox listing; exits 1 if a 100k/1k ratio is above 1.2
# Its ratio and exit logic are unit-tested in tests/unit/shared/test_bench_tables.py (make test-unit).
.PHONY: bench-tables

bench-tables: python-deps
	$(PY) scripts/bench_tables.py --write-docs

bench: bench-tables
