# Sealed page cursors (issue #15, #13 part 5): what sealing costs a request (docs/benchmarks.md).
#   make bench-cursors   the first cursor of a process, one seal and one open, a cursor's length
.PHONY: bench-cursors

bench-cursors: python-deps
	$(PY) scripts/bench_cursors.py --repeat 5 --number 5000

bench: bench-cursors
