"""Every stage Terraform has (terraform/environments/<stage>) is a stage of every service's Chalice config, named
as itself, so `make deploy SERVICE=x STAGE=<stage>` packages that stage's settings; staging is configured as
prod is (the last check before a release), and packaging refuses a stage a service does not configure."""

import json

import pytest
from package_service import PackagingError, chalice_stages, package

from .conftest import SERVICES, STAGES
from .support import ENVIRONMENTS, REPO


def chalice_config(service: str) -> dict:
    return json.loads((REPO / "services" / service / ".chalice" / "config.json").read_text(encoding="utf-8"))


def test_the_stages_are_terraforms_environments():
    assert set(STAGES) == {p.name for p in ENVIRONMENTS.iterdir() if p.is_dir()} >= {"dev", "staging", "prod"}


@pytest.mark.parametrize("service", SERVICES)
def test_every_environment_is_a_stage_of_the_service_named_as_itself(service):
    stages = chalice_config(service)["stages"]
    assert set(STAGES) <= set(chalice_stages(REPO / "services" / service)), f"{service} lacks a stage"
    for stage in STAGES:
        assert stages[stage]["environment_variables"]["SPEAKTRACKER_STAGE"] == stage, (service, stage)
        assert stages[stage]["api_gateway_stage"] == "api"


@pytest.mark.parametrize("service", SERVICES)
def test_staging_runs_as_prod_does(service):
    stages = chalice_config(service)["stages"]
    staging, prod = stages["staging"], stages["prod"]
    assert {**staging["environment_variables"], "SPEAKTRACKER_STAGE": "prod"} == prod["environment_variables"]
    assert {k: v for k, v in staging.items() if k != "environment_variables"} == {
        k: v for k, v in prod.items() if k != "environment_variables"
    }


def test_the_bank_audio_is_warmed_on_every_aws_stage():
    stages = chalice_config("practice")["stages"]
    for stage in STAGES:
        assert stages[stage]["environment_variables"]["SPEAKTRACKER_SENTENCE_AUDIO_WARMING"] == "true", stage
        assert stages[stage]["lambda_functions"]["warm_bank_audio"]["lambda_timeout"] == 300, stage


def test_packaging_refuses_a_stage_the_service_does_not_configure(tmp_path):
    with pytest.raises(PackagingError, match="has no stage qa"):
        package("identity", ["dev", "qa"], tmp_path, "3.11", "ap-northeast-2", "local")
    assert not any(tmp_path.iterdir())  # refused before anything was staged
