# SpeakTracker — the two commands a newcomer needs are `make dev` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
UV := $(CURDIR)/.tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
SERVICES := identity matching practice conversation notifications
export PYTHONPATH := $(CURDIR)/scripts
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install system-deps python-deps test test-unit test-services test-e2e dev clean

help:
	@echo "make dev     install everything, start the emulator and the whole stack (Ctrl-C stops it)"
	@echo "make test    install everything and run every test"
	@echo "make bench   benchmarks (see docs/benchmarks.md)"

install: system-deps python-deps

system-deps:
	@bash scripts/install-system-deps.sh

# uv itself goes into a small private venv: no system pip, no PATH assumptions.
$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

python-deps: $(UV)
	@$(UV) sync --frozen --quiet

test: install test-unit test-services test-e2e

# Shared package and anything that is not one service.
test-unit:
	$(PY) -m pytest -q tests/unit/shared

# Each service in its own pytest process: every service has modules named app and chalicelib.
test-services:
	@set -e; for s in $(SERVICES); do \
	  if [ -d tests/unit/$$s ] || [ -d tests/integration/$$s ]; then \
	    echo "== $$s"; \
	    $(PY) -m pytest -q $$(ls -d tests/unit/$$s tests/integration/$$s 2>/dev/null); \
	  fi; \
	done

test-e2e:
	$(PY) -m pytest -q tests/e2e

dev: install
	$(PY) -m speaktracker_dev

clean:
	rm -rf .dev services/*/vendor services/*/.chalice/deployments

# Area fragments: speech (pronunciation), infra (terraform/packaging), devstack.
-include mk/*.mk
