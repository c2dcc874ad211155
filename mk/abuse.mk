# Abuse limits, privacy and cold start (issue 13): the rate limit and body limits are tested in tests/unit/shared
# and tests/integration/identity, the security headers in tests/unit/devstack and tests/infra, the log scan in
# tests/e2e, all by `make test`.
#
#   make bench-imports   each service's `import app` time as a ratio to `import boto3` alone (median of 7;
#                        exits 1 above the 1.5x target)
.PHONY: bench-imports

bench-imports: python-deps
	$(PY) scripts/bench_imports.py --repeat 7 --target 1.5

bench: bench-imports
