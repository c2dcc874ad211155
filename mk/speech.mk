# Speech (shared/speaktracker/speech): pronunciation assessment tests and benchmark.
# SPEECHOCEAN_DIR overrides where the speechocean762 subset lives (default ../shared/datasets/speechocean762-dev).
.PHONY: test-speech bench-pronunciation

test-speech:
	$(PY) -m pytest -q tests/unit/speech

# One core, one thread: the real-time factor is per core.
bench-pronunciation:
	OMP_NUM_THREADS=1 taskset -c 0 $(PY) scripts/bench_pronunciation.py --write-docs

test: test-speech
bench: bench-pronunciation
