# Cost model (docs/cost-model.md): the table is computed from docs/cost-model.json.
.PHONY: cost-model

cost-model:
	$(PY) scripts/cost_model.py --write
