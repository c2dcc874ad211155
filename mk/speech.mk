# Speech (shared/speaktracker/speech): pronunciation assessment tests, scorer training and benchmark.
# SPEECHOCEAN_DIR / SPEECHOCEAN_TRAIN_DIR override where the speechocean762 subsets live
# (default ../shared/datasets/speechocean762-dev and -train).
.PHONY: test-speech train-pronunciation bench-pronunciation heldout-pronunciation

test-speech:
	$(PY) -m pytest -q tests/unit/speech

# Fits the stacked scorer on the train speakers and rewrites shared/speaktracker/speech/models/ (seeded:
# the same data give the same files). Needs the train dependency group (scikit-learn); recogniser output is
# cached under build/pronunciation/.
train-pronunciation: python-deps
	@$(UV) sync --frozen --quiet --group train
	OMP_NUM_THREADS=1 $(PY) scripts/train_pronunciation.py

# One core, one thread: the real-time factor is per core. Cross-validation refits the scorer (train group).
bench-pronunciation: python-deps
	@$(UV) sync --frozen --quiet --group train
	OMP_NUM_THREADS=1 taskset -c 0 $(PY) scripts/bench_pronunciation.py --write-docs

test: test-speech
bench: bench-pronunciation

# Held-out check (docs/pronunciation.md): the test split through the offline path and the product, and
# five train speakers never used at all; bootstrap intervals. Reads the posteriors cached by training.
heldout-pronunciation: python-deps
	@$(UV) sync --frozen --quiet --group train
	OMP_NUM_THREADS=1 PYTHONPATH=scripts $(PY) scripts/heldout_pronunciation.py --product
