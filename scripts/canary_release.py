"""Canary releases of a packaged service (used by package_service.py).

Every function publishes a version on each change and is invoked only through its alias ``live``: API Gateway
integrations, the REST API's permission, SQS event source mappings and schedules point at the alias. A new
version reaches ``live`` through CodeDeploy (10 % of invocations for 5 minutes, then all of them); the
function's error-rate alarm stops the deployment and rolls the alias back. Terraform creates the alias once
and then leaves its version to CodeDeploy (``ignore_changes``); ``terraform_data.<function>_release`` starts
the deployment (``shift_traffic.sh``) whenever a new version is published and waits for it to finish.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

ALIAS = "live"
DEPLOYMENT_CONFIG = "CodeDeployDefault.LambdaCanary10Percent5Minutes"
CODEDEPLOY_POLICY = (
    "arn:${data.aws_partition.chalice.partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"
)


def alias_ref(function: str, attribute: str) -> str:
    return f"${{aws_lambda_alias.{function}.{attribute}}}"


def route_through_aliases(doc: dict[str, Any]) -> None:
    """Functions publish versions; everything that invokes one calls its ``live`` alias instead."""
    resources = doc["resource"]
    functions = resources.get("aws_lambda_function", {})
    for function in functions.values():
        function["publish"] = True
    invokers = {kind: body for kind, body in doc.items() if kind != "resource"}
    invokers.update({kind: body for kind, body in resources.items() if kind != "aws_lambda_function"})
    text = json.dumps(invokers)
    for name in functions:
        text = text.replace(f"${{aws_lambda_function.{name}.invoke_arn}}", alias_ref(name, "invoke_arn"))
        text = text.replace(f"${{aws_lambda_function.{name}.arn}}", alias_ref(name, "arn"))
        # WebSocket integrations spell the function's ARN out by name: qualify it with the alias.
        by_name = f"${{aws_lambda_function.{name}.function_name}}/invocations"
        text = text.replace(
            by_name, f"${{aws_lambda_function.{name}.function_name}}:{alias_ref(name, 'name')}/invocations"
        )
    rewritten = json.loads(text)
    for permission in rewritten.get("aws_lambda_permission", {}).values():
        # A permission names the function and its qualifier (the alias): only the alias may be invoked.
        named = re.fullmatch(r"\$\{aws_lambda_(?:function|alias)\.([\w-]+)\.\w+\}", permission["function_name"])
        if named and named.group(1) in functions:
            permission["function_name"] = f"${{aws_lambda_function.{named.group(1)}.function_name}}"
            permission["qualifier"] = alias_ref(named.group(1), "name")
    for kind, body in rewritten.items():
        if kind in resources:
            resources[kind] = body
        else:
            doc[kind] = body


def release_resources(functions: dict[str, str], alarms: dict[str, str]) -> dict[str, Any]:
    """The aliases, the CodeDeploy application, its role and one deployment group and release per function.
    ``functions`` maps each resource name to its function name, ``alarms`` to its error-rate alarm resource."""
    application = os.path.commonprefix(list(functions.values())).rstrip("-_")
    return {
        "aws_lambda_alias": {
            name: {
                "name": ALIAS,
                "description": "What callers invoke; CodeDeploy moves it to each new version.",
                "function_name": f"${{aws_lambda_function.{name}.function_name}}",
                "function_version": f"${{aws_lambda_function.{name}.version}}",
                "lifecycle": {"ignore_changes": ["function_version", "routing_config"]},
            }
            for name in functions
        },
        "aws_codedeploy_app": {"service": {"name": application, "compute_platform": "Lambda"}},
        "aws_iam_role": {
            "codedeploy": {
                "name_prefix": f"{application[:24]}-deploy-",
                "assume_role_policy": json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "codedeploy.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    }
                ),
            }
        },
        "aws_iam_role_policy_attachment": {
            "codedeploy": {"role": "${aws_iam_role.codedeploy.name}", "policy_arn": CODEDEPLOY_POLICY}
        },
        "aws_codedeploy_deployment_group": {
            name: {
                "app_name": "${aws_codedeploy_app.service.name}",
                "deployment_group_name": function_name,
                "service_role_arn": "${aws_iam_role.codedeploy.arn}",
                "deployment_config_name": DEPLOYMENT_CONFIG,
                "deployment_style": {"deployment_option": "WITH_TRAFFIC_CONTROL", "deployment_type": "BLUE_GREEN"},
                "auto_rollback_configuration": {
                    "enabled": True,
                    "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
                },
                "alarm_configuration": {
                    "enabled": True,
                    "alarms": [f"${{aws_cloudwatch_metric_alarm.{alarms[name]}.alarm_name}}"],
                },
            }
            for name, function_name in functions.items()
        },
        "terraform_data": {
            f"{name}_release": {
                "triggers_replace": [f"${{aws_lambda_function.{name}.version}}"],
                "depends_on": [f"aws_codedeploy_deployment_group.{name}", "aws_iam_role_policy_attachment.codedeploy"],
                "provisioner": [
                    {
                        "local-exec": {
                            "command": "sh ${path.module}/shift_traffic.sh",
                            "environment": {
                                "AWS_REGION": "${data.aws_region.chalice.name}",
                                "APPLICATION": "${aws_codedeploy_app.service.name}",
                                "DEPLOYMENT_GROUP": (
                                    f"${{aws_codedeploy_deployment_group.{name}.deployment_group_name}}"
                                ),
                                "FUNCTION_NAME": f"${{aws_lambda_function.{name}.function_name}}",
                                "ALIAS": ALIAS,
                                "CURRENT_VERSION": alias_ref(name, "function_version"),
                                "TARGET_VERSION": f"${{aws_lambda_function.{name}.version}}",
                            },
                        }
                    }
                ],
            }
            for name in functions
        },
    }


SHIFT_TRAFFIC_SH = """\
#!/bin/sh
# Move one function's alias to its newly published version through CodeDeploy (run by
# terraform_data.<function>_release): 10 % of invocations for 5 minutes, then all; the function's error-rate
# alarm stops the deployment and CodeDeploy moves the alias back. Needs the AWS CLI and python3.
set -eu
if [ "$CURRENT_VERSION" = "$TARGET_VERSION" ]; then
  echo "$FUNCTION_NAME:$ALIAS already serves version $TARGET_VERSION"
  exit 0
fi
revision=$(python3 - <<'PY'
import json, os
spec = {"version": 0.0, "Resources": [{"function": {"Type": "AWS::Lambda::Function", "Properties": {
    "Name": os.environ["FUNCTION_NAME"], "Alias": os.environ["ALIAS"],
    "CurrentVersion": os.environ["CURRENT_VERSION"], "TargetVersion": os.environ["TARGET_VERSION"]}}}]}
print(json.dumps({"revisionType": "AppSpecContent", "appSpecContent": {"content": json.dumps(spec)}}))
PY
)
id=$(aws deploy create-deployment --region "$AWS_REGION" --application-name "$APPLICATION" \\
  --deployment-group-name "$DEPLOYMENT_GROUP" --revision "$revision" --query deploymentId --output text)
echo "CodeDeploy $id: $FUNCTION_NAME:$ALIAS $CURRENT_VERSION -> $TARGET_VERSION (canary 10 % for 5 minutes)"
aws deploy wait deployment-successful --region "$AWS_REGION" --deployment-id "$id"
"""
