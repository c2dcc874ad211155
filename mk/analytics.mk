# Learning analytics (docs/analytics.md): DuckDB over the archived events, printed and drawn as PNG charts.
.PHONY: analytics test-analytics

ANALYTICS_EVENTS ?= .dev/analytics
ANALYTICS_OUT ?= build/analytics

analytics: python-deps
	$(PY) -m speaktracker_analytics --events $(ANALYTICS_EVENTS) --out $(ANALYTICS_OUT)

test-analytics:
	$(PY) -m pytest -q tests/unit/analytics tests/integration/analytics

test: test-analytics

# The analytics delivery stream's transformation Lambda (pseudonyms, as the dev stack's sink): Terraform reads its
# zip, so the infrastructure root's deploy and destroy build it first.
ANALYTICS_TRANSFORM_ZIP := build/functions/analytics-transform.zip
.PHONY: analytics-transform-package

analytics-transform-package: python-deps
	UV=$(UV) $(PY) scripts/package_analytics_transform.py --out $(ANALYTICS_TRANSFORM_ZIP)

deploy-infra destroy-infra: analytics-transform-package

# What one Firehose batch (1 MB of events) costs the transformation Lambda (docs/benchmarks.md).
.PHONY: bench-analytics-transform

bench-analytics-transform: python-deps
	$(PY) scripts/bench_analytics_transform.py --repeat 20 --megabytes 1

bench: bench-analytics-transform
