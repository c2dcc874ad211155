# Static checks (issue 13): Python lint and format (ruff, pyproject.toml [tool.ruff]); part of `make test`.
# STATIC_PATHS narrows the check (tests/unit/static runs these commands on a bad file to prove they fail).
.PHONY: test-static lint-python lint-web test-static-checks audit

RUFF := $(VENV)/bin/ruff
STATIC_PATHS ?= .

lint-python:
	$(RUFF) check --quiet --config pyproject.toml $(STATIC_PATHS)
	$(RUFF) format --check --quiet --config pyproject.toml $(STATIC_PATHS)

# That each check above can fail: a file with a lint error and one badly formatted, through the same targets.
test-static-checks:
	$(PY) -m pytest -q tests/unit/static

# The web app: ESLint (web/eslint.config.js: typescript-eslint, react-hooks), no warnings allowed. tsc --noEmit
# runs in test-web-unit (mk/web.mk). ESLINT_ARGS narrows it (the static tests lint a bad file from stdin).
ESLINT_ARGS ?= .

lint-web: web-deps
	cd web && $(NPM) run -s lint -- $(ESLINT_ARGS)

# Known vulnerabilities (scripts/audit.sh): pip-audit on uv export and services/*/requirements.txt, npm audit
# --audit-level=high on web/. In CI (CI set) an unreachable advisory database fails; elsewhere it warns.
AUDIT_REQUIRED ?= $(if $(CI),1,)

audit: python-deps
	AUDIT_REQUIRED=$(AUDIT_REQUIRED) UV=$(UV) NPM=$(NPM) scripts/audit.sh

test-static: python-deps lint-python lint-web audit test-static-checks

test: test-static
