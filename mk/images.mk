# Scenario pictures (issue 14).
#   make bench-scenario-pictures   making a picture against serving it again (docs/benchmarks.md, "Scenario pictures")
.PHONY: bench-scenario-pictures

bench-scenario-pictures: python-deps
	$(PY) scripts/bench_scenario_pictures.py

bench: bench-scenario-pictures
