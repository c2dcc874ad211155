# Reliability and security (issue 13): the authorization matrix and the bounded fuzz run are e2e tests (make
# test-e2e runs them); make fuzz runs the fuzzer longer; make redrive moves a dead-letter queue back.
.PHONY: fuzz redrive

FUZZ_EXAMPLES ?= 25
FUZZ_SECONDS ?= 30

fuzz: install
	SPEAKTRACKER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) SPEAKTRACKER_FUZZ_SECONDS=$(FUZZ_SECONDS) \
	  SPEAKTRACKER_FUZZ_REPORT=$(CURDIR)/.dev/fuzz-figures.jsonl \
	  $(PY) -m pytest -q -o timeout=1800 tests/e2e/test_fuzz.py

# make redrive QUEUE=notifications-events (a catalogue queue's logical name), against the running dev stack
# (.dev/stack.env) or, without one, the environment's AWS account.
redrive: python-deps
	@test -n "$(QUEUE)" || { echo "usage: make redrive QUEUE=<queue> (tts, ai-chat, notifications-events, ...)"; exit 2; }
	@set -a; [ -f .dev/stack.env ] && . .dev/stack.env; set +a; $(PY) scripts/redrive.py $(QUEUE)
