# Infrastructure: the Terraform roots, service packaging and deployment. See docs/deploying.md.
#
#   make package SERVICE=practice [STAGE=dev]             build/services/practice/dev/terraform
#   make deploy-infra STAGE=dev [TARGET=aws|localstack]   the shared root: tables, queues, topic, buckets, pool, CDN
#   make deploy SERVICE=practice STAGE=dev                 package, then init/plan/apply that service
#   make destroy [SERVICE=practice] STAGE=dev              one service, or every service and then the root
.PHONY: package deploy deploy-infra destroy destroy-service destroy-infra test-infra

STAGE ?= dev
TARGET ?= aws
BACKEND ?= local
CHECKOV_VERSION := 3.3.30
export CHECKOV ?= $(UV) tool run --from checkov==$(CHECKOV_VERSION) checkov

ifeq ($(TARGET),localstack)
TF ?= tflocal
else
TF ?= terraform
endif
STATE_DIR := $(CURDIR)/.state/$(TARGET)/$(STAGE)
# Saved plans are transient: under the git-ignored build/.
PLAN_DIR := $(CURDIR)/build/plans/$(TARGET)/$(STAGE)
INFRA_DIR := terraform/environments/$(STAGE)
SERVICE_DIR = build/services/$(SERVICE)/$(STAGE)/terraform
# State: local files under .state/<target>/<stage>/ by default. BACKEND=s3 keeps every state in the bucket
# STATE_BUCKET (versioned; S3 native locking), e.g. in CI: make deploy BACKEND=s3 STATE_BUCKET=... SERVICE=...
STATE_BUCKET ?=
STATE_REGION ?= ap-northeast-2
ifeq ($(BACKEND),s3)
TF_INIT_ARGS ?= -backend-config=bucket=$(STATE_BUCKET) -backend-config=key=speaktracker/$(STAGE)/$(1).tfstate \
  -backend-config=region=$(STATE_REGION) -backend-config=use_lockfile=true -backend-config=encrypt=true
else
TF_INIT_ARGS ?= -backend-config=path=$(STATE_DIR)/$(1).tfstate
endif
# The environment roots declare `backend "local" {}`; for S3 an override file is written for the length
# of one command and removed again.
ifeq ($(BACKEND),s3)
WITH_INFRA_BACKEND = trap 'rm -f backend_override.tf' EXIT; printf 'terraform {\n  backend "s3" {}\n}\n' > backend_override.tf;
else
WITH_INFRA_BACKEND =
endif
# How a service reads the root's outputs (terraform_remote_state); a JSON file overrides the default.
INFRA_STATE_VARS ?=

define require_service
	@case " $(SERVICES) " in *" $(SERVICE) "*) ;; *) echo "usage: make $@ SERVICE=<$(SERVICES)> STAGE=<$$(ls terraform/environments | paste -sd'|')>"; exit 2;; esac
endef
define require_stage
	@test -d $(INFRA_DIR) || { echo "STAGE must be one of: $$(ls terraform/environments)"; exit 2; }
endef

package: python-deps
	$(require_service)
	$(require_stage)
	UV=$(UV) $(PY) scripts/package_service.py $(SERVICE) --stage $(STAGE) --backend $(BACKEND) $(if $(STRICT),--strict)

# The root routes each deployed service's paths through CloudFront to its API stage and lists the WebSocket
# URL in config.json: both come from the services' states (scripts/service_origins.py), so after the first
# `make deploy SERVICE=...` of a stage, run `make deploy-infra` again to add its origin.
ORIGINS_FILE := $(CURDIR)/build/origins/$(TARGET)/$(STAGE).tfvars.json
ifeq ($(BACKEND),s3)
ORIGINS_SOURCE = --s3-bucket $(STATE_BUCKET) --s3-prefix speaktracker/$(STAGE) --region $(STATE_REGION)
else
ORIGINS_SOURCE = --state-dir $(STATE_DIR)
endif

deploy-infra: python-deps
	$(require_stage)
	@mkdir -p $(STATE_DIR) $(PLAN_DIR)
	$(PY) scripts/service_origins.py $(ORIGINS_SOURCE) --out $(ORIGINS_FILE)
	cd $(INFRA_DIR) && $(WITH_INFRA_BACKEND) $(TF) init -input=false -reconfigure $(call TF_INIT_ARGS,infra) \
	  && $(TF) plan -input=false -var-file=$(ORIGINS_FILE) -out=$(PLAN_DIR)/infra.tfplan \
	  && $(TF) apply -input=false $(PLAN_DIR)/infra.tfplan

deploy: package
	@mkdir -p $(STATE_DIR) $(PLAN_DIR)
	@test -f $(STATE_DIR)/infra.tfstate -o -n "$(INFRA_STATE_VARS)" -o "$(BACKEND)" = s3 || { \
	  echo "no infrastructure state for $(TARGET)/$(STAGE): run 'make deploy-infra STAGE=$(STAGE) TARGET=$(TARGET)' first"; exit 2; }
	$(infra_state_vars)
	cd $(SERVICE_DIR) && $(TF) init -input=false -reconfigure $(call TF_INIT_ARGS,$(SERVICE))
	cd $(SERVICE_DIR) && $(TF) plan -input=false -out=$(PLAN_DIR)/$(SERVICE).tfplan
	cd $(SERVICE_DIR) && $(TF) apply -input=false $(PLAN_DIR)/$(SERVICE).tfplan

# The services' Terraform reads the root's outputs from its state file (or from INFRA_STATE_VARS).
define infra_state_vars
	@if [ -n "$(INFRA_STATE_VARS)" ]; then cp $(INFRA_STATE_VARS) $(SERVICE_DIR)/infra_state.auto.tfvars.json; \
	elif [ "$(BACKEND)" = s3 ]; then printf '{"infra_state_backend": "s3", "infra_state_config": {"bucket": "%s", "key": "%s", "region": "%s"}}\n' \
	  "$(STATE_BUCKET)" "speaktracker/$(STAGE)/infra.tfstate" "$(STATE_REGION)" > $(SERVICE_DIR)/infra_state.auto.tfvars.json; \
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
	cd $(INFRA_DIR) && $(WITH_INFRA_BACKEND) $(TF) init -input=false -reconfigure $(call TF_INIT_ARGS,infra) \
	  && $(TF) destroy -input=false $(if $(AUTO_APPROVE),-auto-approve)

# Static checks of terraform/ and of every service packaged for every stage (terraform/environments/): formatting, drift against the
# catalogue, references, version constraints, least-privilege IAM, checkov. Set TF_PLUGIN_DIR to a provider
# mirror for a full `terraform validate` offline.
test-infra: python-deps
	$(PY) -m pytest -q tests/infra

test: test-infra
