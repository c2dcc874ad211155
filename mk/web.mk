# The web app (web/): React + TypeScript + Vite, its types generated from docs/api/*.json.
#
#   make openapi      write each service's OpenAPI document to docs/api/<service>.json
#   make web          npm ci (when the lock changed) and build web/dist (served by `make dev` at :8080)
#   make test-web     type check against docs/api, Vitest, then Playwright in Debian's Chromium on a fresh stack
#   make bench-web    the initial JavaScript's gzipped size and the time from load to a usable practice screen
#   make deploy-web STAGE=dev   build, sync to the frontend bucket, invalidate CloudFront (needs AWS)
.PHONY: openapi web web-deps test-web test-web-unit test-web-e2e bench-web deploy-web

NPM ?= npm
WEB := web

openapi: python-deps
	$(PY) scripts/write_openapi.py

web/node_modules/.package-lock.json: web/package-lock.json
	cd $(WEB) && $(NPM) ci --no-audit --no-fund --loglevel=error

web-deps: system-deps web/node_modules/.package-lock.json

web: web-deps
	cd $(WEB) && $(NPM) run build

# Types from docs/api (a route change that breaks the SPA fails here), then the component and hook tests.
test-web-unit: web-deps
	cd $(WEB) && $(NPM) run -s typecheck && $(NPM) run -s test

# The browser suite starts its own dev stack on free ports (web/e2e/support/global-setup.ts).
test-web-e2e: web python-deps
	cd $(WEB) && $(NPM) run -s e2e

test-web: test-web-unit test-web-e2e

test: test-web

# `make dev` serves the built bundle (web/dist) at :8080.
dev: web
