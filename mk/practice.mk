# Practice (services/practice): the load benchmark on the dev stack.
.PHONY: bench-practice

bench-practice:
	$(PY) scripts/bench_practice.py

bench: bench-practice
