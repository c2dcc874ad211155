# Infrastructure: Terraform roots, service packaging and deployment (docs/deploying.md).
.PHONY: test-infra

# Static checks of terraform/ and the packaged services; set TF_PLUGIN_DIR to a provider mirror for a full
# `terraform validate` offline.
test-infra:
	$(PY) -m pytest -q tests/infra

test: test-infra
