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
# service (every service has a package named chalicelib), and the whole shared package, so a new shared module is
# checked without being listed. MYPY_SHARED_EXCLUDE keeps modules out while someone else rewrites them (a regex
# for mypy --exclude); it is empty now: settings.py passes, and its rewrite (cold start) must pass too.
# MYPY_SERVICES / MYPY_SHARED narrow it (tests/unit/static checks a file with a type error through it).
MYPY := $(CURDIR)/$(VENV)/bin/mypy --config-file $(CURDIR)/pyproject.toml
MYPY_SERVICES ?= identity matching practice conversation
MYPY_SHARED ?= speaktracker
MYPY_SHARED_EXCLUDE ?=

typecheck-python:
	@set -e; for s in $(MYPY_SERVICES); do \
	  (cd services/$$s && MYPYPATH=$(CURDIR)/shared $(MYPY) --explicit-package-bases \
	    $$(ls -d chalicelib/domain.py chalicelib/domain 2>/dev/null)); \
	done
	cd shared && $(MYPY) $(if $(MYPY_SHARED_EXCLUDE),--exclude '$(MYPY_SHARED_EXCLUDE)') $(MYPY_SHARED)

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
