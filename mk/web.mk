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
test-web-unit: web-deps python-deps
	cd $(WEB) && $(NPM) run -s typecheck && $(NPM) run -s test
	$(PY) -m pytest -q tests/unit/web

# The browser suite starts its own dev stack on free ports (web/e2e/support/global-setup.ts).
test-web-e2e: web python-deps
	cd $(WEB) && $(NPM) run -s e2e

test-web: test-web-unit test-web-e2e

test: test-web

# `make dev` serves the built bundle (web/dist) at :8080.
dev: web

# The initial JavaScript's gzipped size (budget 200 KB; exits 1 above it), then page load to a usable practice
# screen on a dev stack of its own, in Chromium.
bench-web: web python-deps
	cd $(WEB) && node scripts/bundle-size.mjs
	cd $(WEB) && $(NPM) run -s bench

bench: bench-web

# Build, put config.json (from the Terraform outputs of the root and every deployed service) beside the bundle,
# sync to the frontend bucket (hashed assets cached for a year, index.html and config.json never), and
# invalidate CloudFront. Needs AWS credentials, `make deploy-infra` and `make deploy SERVICE=...` first.
deploy-web: web python-deps
	$(require_stage)
	$(PY) scripts/web_config.py --stage $(STAGE) > $(WEB)/dist/config.json
	@set -euo pipefail; \
	outputs="$$($(TF) -chdir=$(INFRA_DIR) output -json)"; \
	bucket="$$(printf '%s' "$$outputs" | $(PY) -c 'import json,sys; print(json.load(sys.stdin)["s3_bucket_names"]["value"]["frontend"])')"; \
	distribution="$$(printf '%s' "$$outputs" | $(PY) -c 'import json,sys; print(json.load(sys.stdin)["cloudfront_distribution_id"]["value"])')"; \
	aws s3 sync $(WEB)/dist/assets "s3://$$bucket/assets" --delete --cache-control "public, max-age=31536000, immutable"; \
	aws s3 sync $(WEB)/dist "s3://$$bucket" --delete --exclude "assets/*" --exclude ".vite/*" --cache-control "no-cache"; \
	aws cloudfront create-invalidation --distribution-id "$$distribution" --paths / /index.html /config.json
