# The dev stack (scripts/speaktracker_dev): bootstrap, queue pollers, WebSocket gateway, web server.
.PHONY: test-devstack

test-devstack:
	$(PY) -m pytest -q tests/unit/devstack

test: test-devstack
