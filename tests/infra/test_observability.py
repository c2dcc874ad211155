"""Alarms, the dashboard and tracing: every function alarms on an error rate over 5 %, every REST API on a
p95 latency over 2 s, every table on throttling, every dead-letter queue on any message, all on the stage's
alarm topic; functions and REST stages trace with X-Ray."""

from __future__ import annotations

import json
import re

import pytest
from speaktracker import catalogue

from .conftest import SERVICES, STAGES, Packaged
from .support import MODULES, blocks, load_hcl, resources

PLATFORM = MODULES / "platform"
TOPIC = "${data.terraform_remote_state.infra.outputs.platform.alarm_topic_arn}"
PAIRS = [(service, stage) for service in SERVICES for stage in STAGES]


@pytest.fixture(params=PAIRS, ids=lambda p: f"{p[0]}-{p[1]}")
def package(request, packages) -> Packaged:
    return packages[request.param]


def _alarms(package: Packaged) -> dict:
    return package.additions["resource"]["aws_cloudwatch_metric_alarm"]


def _check_error_rate_alarms(package: Packaged) -> None:
    functions = package.chalice["resource"]["aws_lambda_function"]
    alarms = _alarms(package)
    assert {n for n in alarms if n.endswith("_error_rate")} == {f"{f}_error_rate" for f in functions}
    for name in functions:
        alarm = alarms[f"{name}_error_rate"]
        assert alarm["threshold"] == 5 and alarm["comparison_operator"] == "GreaterThanThreshold"
        assert alarm["alarm_actions"] == [TOPIC]
        queries = {q["id"]: q for q in alarm["metric_query"]}
        [returned] = [q for q in queries.values() if q.get("return_data")]
        assert re.sub(r"\s", "", returned["expression"]) == "IF(invocations>0,100*errors/invocations,0)"
        for query, metric in (("errors", "Errors"), ("invocations", "Invocations")):
            assert queries[query]["metric"]["metric_name"] == metric
            assert queries[query]["metric"]["stat"] == "Sum"
            assert queries[query]["metric"]["dimensions"] == {
                "FunctionName": f"${{aws_lambda_function.{name}.function_name}}"
            }


def test_every_function_alarms_on_an_error_rate_over_five_percent(package: Packaged):
    _check_error_rate_alarms(package)


def test_an_image_function_alarms_like_a_zip_one(image_twin):
    for package in image_twin.values():
        _check_error_rate_alarms(package)


def test_the_rest_api_alarms_on_p95_latency_over_two_seconds(package: Packaged):
    alarm = _alarms(package)["api_latency"]
    assert alarm["namespace"] == "AWS/ApiGateway" and alarm["metric_name"] == "Latency"
    assert alarm["extended_statistic"] == "p95" and alarm["threshold"] == 2000
    assert alarm["comparison_operator"] == "GreaterThanThreshold"
    assert alarm["dimensions"] == {
        "ApiName": "${aws_api_gateway_rest_api.rest_api.name}",
        "Stage": "${aws_api_gateway_stage.rest_api.stage_name}",
    }
    assert alarm["alarm_actions"] == [TOPIC]


def test_rest_apis_are_regional_and_named_per_stage(package: Packaged):
    api = package.chalice["resource"]["aws_api_gateway_rest_api"]["rest_api"]
    assert api["name"] == f"speaktracker-{package.service}-{package.stage}"
    assert api["endpoint_configuration"] == {"types": ["REGIONAL"]}


def test_functions_and_the_rest_stage_trace_with_xray(package: Packaged):
    for name, function in package.chalice["resource"]["aws_lambda_function"].items():
        assert function["tracing_config"] == {"mode": "Active"}, name
    assert package.chalice["resource"]["aws_api_gateway_stage"]["rest_api"]["xray_tracing_enabled"] is True
    statements = package.additions["data"]["aws_iam_policy_document"]["service"]["statement"]
    assert any(st["actions"] == ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] for st in statements)


# --- the platform ------------------------------------------------------------------------------------


def test_every_dead_letter_queue_has_an_alarm_on_the_alarm_topic():
    alarm = resources(MODULES / "messaging")[("aws_cloudwatch_metric_alarm", "dlq")]
    assert alarm["for_each"] == "${var.queues}"
    assert alarm["dimensions"] == {"QueueName": "${aws_sqs_queue.dlq[each.key].name}"}
    assert alarm["metric_name"] == "ApproximateNumberOfMessagesVisible" and alarm["threshold"] == 0
    assert alarm["comparison_operator"] == "GreaterThanThreshold"
    messaging = blocks(PLATFORM, "module")["messaging"]
    assert messaging["queues"] == "${module.catalogue.queues}"  # every catalogue queue has a DLQ, so an alarm
    assert "module.observability.sns_topic_arn" in messaging["alarm_actions"]


def test_every_table_has_a_throttling_alarm_on_the_alarm_topic():
    observability = blocks(PLATFORM, "module")["observability"]
    assert observability["table_names"] == "${module.data.dynamodb_table_names}"
    assert blocks(PLATFORM, "module")["data"]["tables"] == "${module.catalogue.tables}"
    output = blocks(MODULES / "data", "output")["dynamodb_table_names"]["value"]
    assert output == "${{for logical, t in aws_dynamodb_table.this : logical => t.name}}"
    alarm = resources(MODULES / "observability")[("aws_cloudwatch_metric_alarm", "dynamodb_throttles")]
    assert alarm["for_each"] == "${var.table_names}"
    assert alarm["alarm_actions"] == ["${aws_sns_topic.this.arn}"] and alarm["threshold"] == 0
    metrics = {q["metric"][0]["metric_name"] for q in alarm["metric_query"] if "metric" in q}
    assert metrics == {"ReadThrottleEvents", "WriteThrottleEvents"}
    assert len(catalogue.TABLES) >= 1


def test_the_alarm_topic_is_encrypted_with_a_key_cloudwatch_and_eventbridge_may_use():
    built = resources(MODULES / "observability")
    assert built[("aws_sns_topic", "this")]["kms_master_key_id"] == "${module.key.kms_key_arn}"
    key = blocks(MODULES / "observability", "module")["key"]
    assert key["source"] == "../kms" and key["policy_documents"] == ["${data.aws_iam_policy_document.key.json}"]
    [statement] = next(
        b["aws_iam_policy_document"]["key"]
        for b in load_hcl(MODULES / "observability" / "main.tf")["data"]
        if "key" in b.get("aws_iam_policy_document", {})
    )["statement"]
    assert set(statement["principals"][0]["identifiers"]) == {"cloudwatch.amazonaws.com", "events.amazonaws.com"}
    assert set(statement["actions"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}


def test_every_customer_managed_key_rotates_and_keeps_the_account_in_control():
    key = resources(MODULES / "kms")[("aws_kms_key", "this")]
    assert key["enable_key_rotation"] is True and key["policy"] == "${data.aws_iam_policy_document.this.json}"
    for module in sorted(MODULES.iterdir()):
        if module.name != "kms" and module.is_dir():
            assert not any(rtype == "aws_kms_key" for rtype, _ in resources(module)), (
                f"{module.name} creates a key itself: use the kms module"
            )


def test_the_dashboard_shows_functions_apis_tables_queues_and_alarms():
    body = resources(MODULES / "observability")[("aws_cloudwatch_dashboard", "this")]["dashboard_body"]
    for needle in (
        'MetricName=\\"Errors\\"',
        'MetricName=\\"Latency\\"',
        "WriteThrottleEvents",
        "ApproximateNumberOfMessagesVisible",
        'type = "alarm"',
    ):
        assert needle in body, needle
    assert json.dumps(blocks(PLATFORM, "output")["cloudwatch_dashboard_name"]).count("observability") == 1


def test_the_services_own_metrics_are_charted_and_the_waits_alarm_under_the_names_the_code_emits():
    """The names the code records (speaktracker.observability) are the names Terraform charts and alarms on:
    a renamed metric would otherwise leave a silent alarm."""
    from speaktracker import observability as emitted

    main = (MODULES / "observability" / "main.tf").read_text(encoding="utf-8")
    assert f'custom_namespace = "{emitted.NAMESPACE}"' in main
    body = resources(MODULES / "observability")[("aws_cloudwatch_dashboard", "this")]["dashboard_body"]
    for name in (emitted.SENTENCES_PRACTISED, emitted.CONVERSATION_TURNS, emitted.SESSION_DURATION):
        assert f'"{name}"' in body, name
    for name in (emitted.AI_RESPONSE_TIME, emitted.ASSESSMENT_TIME):
        assert f'metric = "{name}"' in main, name
    alarm = resources(MODULES / "observability")[("aws_cloudwatch_metric_alarm", "slow_steps")]
    assert alarm["for_each"] == "${local.slow_steps}" and alarm["namespace"] == "${local.custom_namespace}"
    assert alarm["dimensions"] == {"service": "${each.value.service}", "stage": "${var.stage}"}
    assert alarm["extended_statistic"] == "p95" and alarm["alarm_actions"] == ["${aws_sns_topic.this.arn}"]
    assert "slow_steps" in body
