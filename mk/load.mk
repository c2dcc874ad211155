# Issue 13, load: make load runs a bounded locust mix (LOAD_USERS users for LOAD_SECONDS seconds) against a dev
# stack of its own on loopback and fails on any 5xx or on a submitted job or turn that never finished. A bounded
# smoke of the same mix (8 users, 15 s, tests/e2e/test_load_smoke.py) runs inside `make test` with the e2e tests.
.PHONY: load

LOAD_USERS ?= 50
LOAD_SECONDS ?= 60

load: install
	SPEAKTRACKER_LOAD_USERS=$(LOAD_USERS) SPEAKTRACKER_LOAD_SECONDS=$(LOAD_SECONDS) \
	  $(PY) -m pytest -q -s -o timeout=1200 tests/load/test_load.py
