# Practice (services/practice): the load benchmark on the dev stack, and the bank's audio made ahead.
#   make bench-practice   20 students at once on a stack of its own, the bank's audio warmed first
#   make warm-tts         the bank's audio (default voice) made ahead on the stack `make dev` runs
.PHONY: bench-practice warm-tts

bench-practice:
	$(PY) scripts/bench_practice.py

warm-tts:
	$(PY) scripts/warm_sentence_audio.py --stack-env .dev/stack.env

bench: bench-practice
