"""Canary releases (scripts/canary_release.py): every packaged function publishes versions and is invoked only
through its `live` alias, which CodeDeploy shifts 10 % for 5 minutes with the function's error-rate alarm as
the rollback trigger; and the workflow deploys dev on main, staging after approval, prod on a version tag."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml
from canary_release import ALIAS, DEPLOYMENT_CONFIG

from .conftest import SERVICES, STAGES, Packaged
from .support import REPO

PAIRS = [(service, stage) for service in SERVICES for stage in STAGES]
WORKFLOWS = REPO / ".github" / "workflows"


@pytest.fixture(params=PAIRS, ids=lambda p: f"{p[0]}-{p[1]}")
def package(request, packages) -> Packaged:
    return packages[request.param]


def test_every_function_publishes_and_has_a_live_alias_that_codedeploy_moves(package: Packaged):
    functions = package.chalice["resource"]["aws_lambda_function"]
    added = package.additions["resource"]
    assert set(added["aws_lambda_alias"]) == set(functions)
    for name, function in functions.items():
        assert function["publish"] is True
        alias = added["aws_lambda_alias"][name]
        assert alias["name"] == ALIAS == "live"
        assert alias["function_version"] == f"${{aws_lambda_function.{name}.version}}"
        assert set(alias["lifecycle"]["ignore_changes"]) == {"function_version", "routing_config"}


def test_each_function_deploys_as_a_ten_percent_canary_that_its_error_alarm_rolls_back(package: Packaged):
    functions = package.chalice["resource"]["aws_lambda_function"]
    added = package.additions["resource"]
    assert added["aws_codedeploy_app"]["service"]["compute_platform"] == "Lambda"
    assert DEPLOYMENT_CONFIG == "CodeDeployDefault.LambdaCanary10Percent5Minutes"
    for name in functions:
        group = added["aws_codedeploy_deployment_group"][name]
        assert group["deployment_config_name"] == DEPLOYMENT_CONFIG
        assert group["deployment_style"] == {
            "deployment_option": "WITH_TRAFFIC_CONTROL",
            "deployment_type": "BLUE_GREEN",
        }
        assert group["auto_rollback_configuration"]["enabled"] is True
        assert "DEPLOYMENT_STOP_ON_ALARM" in group["auto_rollback_configuration"]["events"]
        assert group["alarm_configuration"] == {
            "enabled": True,
            "alarms": [f"${{aws_cloudwatch_metric_alarm.{name}_error_rate.alarm_name}}"],
        }
        assert f"{name}_error_rate" in added["aws_cloudwatch_metric_alarm"]
        release = added["terraform_data"][f"{name}_release"]
        assert release["triggers_replace"] == [f"${{aws_lambda_function.{name}.version}}"]
        env = release["provisioner"][0]["local-exec"]["environment"]
        assert env["TARGET_VERSION"] == f"${{aws_lambda_function.{name}.version}}"
        assert env["CURRENT_VERSION"] == f"${{aws_lambda_alias.{name}.function_version}}"
    role = added["aws_iam_role"]["codedeploy"]
    assert json.loads(role["assume_role_policy"])["Statement"][0]["Principal"] == {
        "Service": "codedeploy.amazonaws.com"
    }
    assert added["aws_iam_role_policy_attachment"]["codedeploy"]["policy_arn"].endswith(
        ":iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"
    )


def test_nothing_invokes_an_unqualified_function(package: Packaged):
    """API Gateway, event source mappings, schedules and permissions all name the alias: traffic that
    bypassed it would skip the canary."""
    chalice = package.chalice
    text = json.dumps({k: v for k, v in chalice["resource"].items() if k != "aws_lambda_function"})
    text += json.dumps(chalice.get("locals", {}))
    assert not re.search(r"aws_lambda_function\.[\w-]+\.(arn|invoke_arn)\}", text)
    for mapping in chalice["resource"].get("aws_lambda_event_source_mapping", {}).values():
        assert mapping["function_name"].startswith("${aws_lambda_alias.")
    for permission in chalice["resource"].get("aws_lambda_permission", {}).values():
        assert permission["qualifier"].startswith("${aws_lambda_alias."), permission
    for integration in chalice["resource"].get("aws_apigatewayv2_integration", {}).values():
        assert ":${aws_lambda_alias." in integration["integration_uri"]
    swagger = chalice.get("locals", {}).get("chalice_api_swagger", "")
    if swagger:
        assert "aws_lambda_alias.api_handler.invoke_arn" in swagger


def test_the_traffic_shift_script_is_valid_shell_and_skips_an_unchanged_version(package: Packaged, tmp_path):
    script = package.directory / "shift_traffic.sh"
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0
    env = {
        "PATH": "/usr/bin:/bin",
        "FUNCTION_NAME": "f",
        "ALIAS": "live",
        "CURRENT_VERSION": "3",
        "TARGET_VERSION": "3",
    }
    done = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "already serves version 3" in done.stdout


def _workflow(name: str) -> dict:
    loaded = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    loaded["on"] = loaded.pop(True, loaded.get("on"))  # YAML 1.1 reads the key `on` as true
    return loaded


def test_the_workflow_deploys_dev_on_main_staging_after_approval_and_prod_on_a_version_tag():
    ci = _workflow("ci.yml")
    assert ci["on"]["push"]["tags"] == ["v*"]
    jobs = ci["jobs"]
    deploys = {name: job for name, job in jobs.items() if job.get("uses") == "./.github/workflows/deploy.yml"}
    assert {name: job["with"]["stage"] for name, job in deploys.items()} == {
        "dev": "dev",
        "staging": "staging",
        "prod": "prod",
        "by-hand": "${{ inputs.stage }}",
    }
    assert jobs["dev"]["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert jobs["staging"]["needs"] == "dev" and "if" not in jobs["staging"]
    assert jobs["prod"]["if"] == "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')"
    assert all(job["needs"] == "test" for name, job in deploys.items() if name != "staging")
    assert "prod" not in ci["on"]["workflow_dispatch"]["inputs"]["stage"]["options"]  # prod only from a tag
    # One approval per stage: only the approve job waits on the stage's environment, and everything after
    # it needs it.
    deploy = _workflow("deploy.yml")
    steps = deploy["jobs"]
    assert steps["approve"]["environment"] == "${{ inputs.stage }}"
    assert [n for n, job in steps.items() if "environment" in job] == ["approve"]
    assert steps["deploy-infra"]["needs"] == "approve"
    assert steps["deploy"]["needs"] == "deploy-infra" and steps["route-services"]["needs"] == "deploy"
    for stage in ("dev", "staging", "prod"):
        assert (REPO / "terraform" / "environments" / stage / "main.tf").is_file(), stage
