# Infrastructure: the Terraform roots, service packaging and deployment. See docs/deploying.md.
#
#   make package SERVICE=practice [STAGE=dev]             build/services/practice/dev/terraform
#   make deploy-infra STAGE=dev [TARGET=aws|localstack]   the shared root: tables, queues, topic, buckets, pool, CDN
#   make deploy SERVICE=practice STAGE=dev                 package, then init/plan/apply that service
#   make destroy [SERVICE=practice] STAGE=dev              one service, or every service and then the root
.PHONY: package deploy deploy-infra destroy destroy-service destroy-infra test-infra

STAGE ?= dev
TARGET ?= aws
# Backend of the services' own state: local (default) or s3 (give its settings in TF_INIT_ARGS).
BACKEND ?= local
CHECKOV_VERSION := 3.3.30
export CHECKOV ?= $(UV) tool run --from checkov==$(CHECKOV_VERSION) checkov

ifeq ($(TARGET),localstack)
TF ?= tflocal
else
TF ?= terraform
endif
STATE_DIR := $(CURDIR)/.state/$(TARGET)/$(STAGE)
INFRA_DIR := terraform/environments/$(STAGE)
SERVICE_DIR = build/services/$(SERVICE)/$(STAGE)/terraform
# Extra `terraform init` arguments, e.g. -backend-config=... for an S3 backend (replaces the local path).
TF_INIT_ARGS ?= -backend-config=path=$(STATE_DIR)/$(1).tfstate
# How a service reads the root's outputs (terraform_remote_state); a file overrides the local default.
INFRA_STATE_VARS ?=

define require_service
	@case " $(SERVICES) " in *" $(SERVICE) "*) ;; *) echo "usage: make $@ SERVICE=<$(SERVICES)> STAGE=<dev|prod>"; exit 2;; esac
endef
define require_stage
	@test -d $(INFRA_DIR) || { echo "STAGE must be one of: $$(ls terraform/environments)"; exit 2; }
endef

package: python-deps
	$(require_service)
	$(require_stage)
	UV=$(UV) $(PY) scripts/package_service.py $(SERVICE) --stage $(STAGE) --backend $(BACKEND) $(if $(STRICT),--strict)

deploy-infra:
	$(require_stage)
	@mkdir -p $(STATE_DIR)
	cd $(INFRA_DIR) && $(TF) init -input=false -reconfigure $(call TF_INIT_ARGS,infra)
	cd $(INFRA_DIR) && $(TF) plan -input=false -out=$(STATE_DIR)/infra.tfplan
	cd $(INFRA_DIR) && $(TF) apply -input=false $(STATE_DIR)/infra.tfplan

deploy: package
	@test -f $(STATE_DIR)/infra.tfstate -o -n "$(INFRA_STATE_VARS)" || { \
	  echo "no infrastructure state for $(TARGET)/$(STAGE): run 'make deploy-infra STAGE=$(STAGE) TARGET=$(TARGET)' first"; exit 2; }
	$(infra_state_vars)
	cd $(SERVICE_DIR) && $(TF) init -input=false -reconfigure $(call TF_INIT_ARGS,$(SERVICE))
	cd $(SERVICE_DIR) && $(TF) plan -input=false -out=$(STATE_DIR)/$(SERVICE).tfplan
	cd $(SERVICE_DIR) && $(TF) apply -input=false $(STATE_DIR)/$(SERVICE).tfplan

# The services' Terraform reads the root's outputs from its state file (or from INFRA_STATE_VARS).
define infra_state_vars
	@if [ -n "$(INFRA_STATE_VARS)" ]; then cp $(INFRA_STATE_VARS) $(SERVICE_DIR)/infra_state.auto.tfvars.json; \
	else printf '{"infra_state_backend": "local", "infra_state_config": {"path": "%s"}}\n' \
	  "$(STATE_DIR)/infra.tfstate" > $(SERVICE_DIR)/infra_state.auto.tfvars.json; fi
endef

# With SERVICE: that service. Without: every deployed service, then the shared root.
destroy:
	$(require_stage)
	@if [ -n "$(SERVICE)" ]; then $(MAKE) --no-print-directory destroy-service SERVICE=$(SERVICE); else \
	  for s in $(SERVICES); do \
	    if [ -f $(STATE_DIR)/$$s.tfstate ]; then $(MAKE) --no-print-directory destroy-service SERVICE=$$s || exit 1; fi; \
	  done; $(MAKE) --no-print-directory destroy-infra; fi

destroy-service: package
	$(infra_state_vars)
	cd $(SERVICE_DIR) && $(TF) init -input=false -reconfigure $(call TF_INIT_ARGS,$(SERVICE))
	cd $(SERVICE_DIR) && $(TF) destroy -input=false $(if $(AUTO_APPROVE),-auto-approve)

destroy-infra:
	cd $(INFRA_DIR) && $(TF) init -input=false -reconfigure $(call TF_INIT_ARGS,infra)
	cd $(INFRA_DIR) && $(TF) destroy -input=false $(if $(AUTO_APPROVE),-auto-approve)

# Static checks of terraform/ and of every service packaged for dev and prod: formatting, drift against the
# catalogue, references, version constraints, least-privilege IAM, checkov. Set TF_PLUGIN_DIR to a provider
# mirror for a full `terraform validate` offline.
test-infra: python-deps
	$(PY) -m pytest -q tests/infra

test: test-infra
