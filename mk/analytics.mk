# Learning analytics (docs/analytics.md): DuckDB over the archived events, printed and drawn as PNG charts.
.PHONY: analytics test-analytics

ANALYTICS_EVENTS ?= .dev/analytics
ANALYTICS_OUT ?= build/analytics

analytics: python-deps
	$(PY) -m speaktracker_analytics --events $(ANALYTICS_EVENTS) --out $(ANALYTICS_OUT)

test-analytics:
	$(PY) -m pytest -q tests/unit/analytics

test: test-analytics
