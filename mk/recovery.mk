# Recovery (docs/recovery.md): the offline restore drill — back up a table, wipe it, restore it, compare every row.
#   make restore-drill TABLES="speaktracker-dev-users"   against the running dev stack's emulator (.dev/stack.env)
.PHONY: test-restore-drill restore-drill

RESTORE_DRILL_ENDPOINT ?= http://127.0.0.1:4566
TABLES ?= speaktracker-dev-users

test-restore-drill:
	$(PY) -m pytest -q tests/integration/recovery

restore-drill: python-deps
	$(PY) scripts/restore_drill.py --endpoint $(RESTORE_DRILL_ENDPOINT) $(foreach t,$(TABLES),--table $(t))

test: test-restore-drill
