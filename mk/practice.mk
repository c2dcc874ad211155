# Practice (services/practice): the load benchmark on the dev stack, and the bank's audio made ahead.
#   make bench-practice   20 students at once on a stack of its own, the bank's audio warmed first
#   make bench-generate   generate alone, 20 at once against the emulator: latency, CPU, AWS calls per request
#   make bench-generate-cold   the same with nothing made ahead: generate makes each set's first audio itself
#   make warm-tts         the bank's audio (default voice) made ahead on the stack `make dev` runs
.PHONY: bench-practice bench-generate bench-generate-cold warm-tts

bench-practice:
	$(PY) scripts/bench_practice.py

bench-generate:
	$(PY) scripts/bench_generate.py

bench-generate-cold:
	$(PY) scripts/bench_generate.py --cold

warm-tts:
	$(PY) scripts/warm_sentence_audio.py --stack-env .dev/stack.env

bench: bench-practice
