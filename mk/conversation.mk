# Conversation (services/conversation): the load benchmark on the dev stack and the recognisers on learners' speech.
.PHONY: bench-conversation bench-recognisers

bench-conversation:
	$(PY) scripts/bench_conversation.py

bench-recognisers:
	$(PY) scripts/bench_conversation.py --recognisers

bench: bench-conversation
