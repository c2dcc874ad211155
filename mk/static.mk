# Static checks (issue 13): Python lint and format (ruff, pyproject.toml [tool.ruff]); part of `make test`.
# STATIC_PATHS narrows the check (tests/unit/static runs these commands on a bad file to prove they fail).
.PHONY: test-static lint-python typecheck-python lint-web test-static-checks audit

RUFF := $(VENV)/bin/ruff
STATIC_PATHS ?= .

lint-python:
	$(RUFF) check --quiet --config pyproject.toml $(STATIC_PATHS)
	$(RUFF) format --check --quiet --config pyproject.toml $(STATIC_PATHS)

# That each check above can fail: a file with a lint error and one badly formatted, through the same targets.
test-static-checks:
	$(PY) -m pytest -q tests/unit/static

# mypy --strict (pyproject.toml [tool.mypy], pydantic plugin): each service's domain modules from inside the
# service (every service has a package named chalicelib), and the shared modules that are typed so far (imports
# of the others are followed silently). Still to type: speech/ (scorer, ctc, audio, assessment, adapters),
# http.py, dynamo.py, catalogue.py, events.py, storage.py, aws.py, ratelimit.py, openapi.py, auth.py.
# MYPY_SERVICES / MYPY_SHARED narrow it (tests/unit/static checks a file with a type error through it).
MYPY := $(CURDIR)/$(VENV)/bin/mypy --config-file $(CURDIR)/pyproject.toml
MYPY_SERVICES ?= identity matching practice conversation
MYPY_SHARED ?= speaktracker/__init__.py \
  speaktracker/errors.py \
  speaktracker/llm.py \
  speaktracker/logging.py \
  speaktracker/settings.py \
  speaktracker/speech/__init__.py \
  speaktracker/speech/__main__.py \
  speaktracker/speech/adapters/__init__.py \
  speaktracker/speech/adapters/polly.py \
  speaktracker/speech/errors.py \
  speaktracker/speech/evidence.py \
  speaktracker/speech/factory.py \
  speaktracker/speech/feedback.py \
  speaktracker/speech/lexicon.py \
  speaktracker/speech/numbers.py \
  speaktracker/speech/phonemes.py \
  speaktracker/speech/ports.py \
  speaktracker/speech/result.py \
  speaktracker/speech/scoring.py \
  speaktracker/speech/sound_tips.py \
  speaktracker/speech/text.py \
  speaktracker/speech_errors.py \
  speaktracker/sqs.py

typecheck-python:
	@set -e; for s in $(MYPY_SERVICES); do \
	  (cd services/$$s && MYPYPATH=$(CURDIR)/shared $(MYPY) --explicit-package-bases \
	    $$(ls -d chalicelib/domain.py chalicelib/domain 2>/dev/null)); \
	done
	cd shared && $(MYPY) --follow-imports=silent $(MYPY_SHARED)

# The web app: ESLint (web/eslint.config.js: typescript-eslint, react-hooks), no warnings allowed. tsc --noEmit
# runs in test-web-unit (mk/web.mk). ESLINT_ARGS narrows it (the static tests lint a bad file from stdin).
ESLINT_ARGS ?= .

lint-web: web-deps
	cd web && $(NPM) run -s lint -- $(ESLINT_ARGS)

# Known vulnerabilities (scripts/audit.sh): pip-audit on uv export and services/*/requirements.txt, npm audit
# --audit-level=high on web/. With AUDIT_REQUIRED=1 (the GitHub Actions workflow, which reaches the advisory
# databases) an unreachable database fails; elsewhere (a registry mirror without the audit APIs) it warns.
AUDIT_REQUIRED ?=

audit: python-deps
	AUDIT_REQUIRED=$(AUDIT_REQUIRED) UV=$(UV) NPM=$(NPM) scripts/audit.sh

test-static: python-deps lint-python typecheck-python lint-web audit test-static-checks

test: test-static
