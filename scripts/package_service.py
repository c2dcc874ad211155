"""Package one service for deployment: `chalice package --pkg-format terraform`, made deployable.

    python scripts/package_service.py practice --stage dev --stage staging --stage prod
        # -> build/services/practice/{dev,staging,prod}/terraform/

Steps:
1. Stage a copy of the service (app.py, chalicelib/, .chalice/config.json) under build/, so the working tree
   is never touched and no stale `.chalice/deployments` zip cache is reused.
2. Vendor its requirements as Lambda wheels (manylinux for the runtime's glibc, pip's cache makes reruns
   fast) and the shared package's freshly built wheel into the staged `vendor/`. Chalice then only zips:
   its own dependency builder tries to compile sdists for anything without a Lambda wheel, which takes
   minutes and fails anyway.
3. Run `chalice package --pkg-format terraform`.
4. Rewrite chalice.tf.json for current Terraform and the AWS provider 5.100+/6: drop its `terraform {}` block
   (required_version < 1.4.0, aws < 5) and the deprecated `null_data_source`, give the REST API an explicit
   `aws_api_gateway_stage` (provider 6 removed `stage_name` from deployments), upload the package through
   S3 (Lambda refuses direct uploads over 50 MB), partial-batch reporting on every SQS event source mapping,
   queue ARNs and environment variables from the infrastructure root's outputs, consumer timeouts below
   their queue's visibility timeout, and the role policy replaced by a least-privilege one.
5. Add speaktracker.tf.json (the policy document, log groups with retention, API throttling, the package
   object, the infrastructure root's remote state) and versions.tf/variables.tf (HCL: checkov's JSON parser
   cannot read a `terraform {}` block).

Container images: a service in IMAGE_PACKAGED (one place, below) outgrows Lambda's 250 MiB zip limit, so
its functions become image functions instead (`package_type = "Image"`): packaging writes the image's build
context next to the Terraform (`image/`: the service's Dockerfile and requirements.txt, the shared wheel, the
app with chalice's runtime), an ECR repository (scan on push, immutable tags, KMS, a lifecycle policy) and a
`terraform_data` that builds and pushes the image with Docker (`push_image.sh`) before the functions are
created. Event sources, IAM, partial-batch mappings, log groups and throttling stay as for a zip.

Changes are made in chalice.tf.json itself rather than in `*_override.tf.json` files: checkov does not apply
Terraform's override merging, so it would scan chalice's original policy and half-resources separately.
The IAM policy is derived from `speaktracker.catalogue` (own tables, consumed and fed queues, the events
topic, bucket prefixes, AWS APIs) and the generated resources, never from a list per handler.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "shared"))

from canary_release import SHIFT_TRAFFIC_SH, release_resources, route_through_aliases  # noqa: E402
from speaktracker import catalogue  # noqa: E402
from speaktracker.settings import Settings  # noqa: E402

# The infrastructure root exports the platform module as one output, `platform`.
INFRA = "data.terraform_remote_state.infra.outputs.platform"
PARTITION = "${data.aws_partition.chalice.partition}"
REGION = "${data.aws_region.chalice.name}"
ACCOUNT = "${data.aws_caller_identity.chalice.account_id}"
# Lambda runtime glibc by Python version (python3.8-3.11 run on Amazon Linux 2, 3.12+ on AL2023).
RUNTIME_GLIBC = {"3.10": 26, "3.11": 26, "3.12": 34, "3.13": 34}
# The seed's Lambda table: request handlers 512 MB, speech and AI work 1024 MB.
MEMORY_MB = {"practice": 1024, "conversation": 1024}
DEFAULT_MEMORY_MB = 512
# The seed's alarms: a function failing more than 5 % of its invocations, an API slower than 2 s (p95).
ERROR_RATE_PERCENT, LATENCY_MS = 5, 2000
# The seed's API Gateway throttling (requests per second, burst).
THROTTLE_RATE, THROTTLE_BURST = 100, 200
UNZIPPED_LIMIT = 250 * 1024 * 1024
# Services deployed as container images (up to 10 GB) rather than zips: conversation carries a neural speech
# recogniser (ONNX Runtime and its model) on top of the speech engine; practice's speech engine with Powertools
# is 255 MiB unzipped. A service here needs a Dockerfile.
IMAGE_PACKAGED = frozenset({"conversation", "practice"})
# Tagged images an ECR repository keeps (the lifecycle policy expires older ones; untagged after a day).
IMAGE_KEEP_TAGGED = 10

TABLE_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
]
CONSUME_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
SEND_ACTIONS = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
XRAY_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
COGNITO_ACTIONS = [
    "cognito-idp:AdminAddUserToGroup",
    "cognito-idp:AdminConfirmSignUp",
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminDeleteUser",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminListGroupsForUser",
    "cognito-idp:AdminSetUserMFAPreference",
    "cognito-idp:AdminSetUserPassword",
    "cognito-idp:AdminUpdateUserAttributes",
    "cognito-idp:AdminUserGlobalSignOut",
]


class PackagingError(RuntimeError):
    pass


@dataclass
class Report:
    service: str
    stage: str
    runtime: str
    functions: list[str] = field(default_factory=list)
    consumed_queues: dict[str, str] = field(default_factory=dict)  # function -> queue logical name
    missing_lambda_wheels: list[str] = field(default_factory=list)
    zip_bytes: int = 0
    unzipped_bytes: int = 0
    websocket: bool = False
    package_type: str = "Zip"
    image_tag: str = ""
    image_context: list[str] = field(default_factory=list)  # files of the image's build context


# --- 1-3: stage, vendor, chalice package ------------------------------------------------------------


def run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, text=True, capture_output=True, **kwargs)
    if result.returncode != 0:
        raise PackagingError(f"{' '.join(cmd[:4])} ... failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result


def build_shared_wheel(out: Path) -> Path:
    """The shared package as a wheel, rebuilt every time (its version does not change with its code)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("speaktracker_shared-*.whl"):
        old.unlink()
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv:
        run([uv, "build", str(REPO / "shared"), "--wheel", "--out-dir", str(out), "--quiet"])
    else:
        run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO / "shared")])
    wheels = sorted(out.glob("speaktracker_shared-*.whl"))
    if not wheels:
        raise PackagingError("building the shared wheel produced nothing")
    return wheels[-1]


def chalice_stages(service_dir: Path) -> list[str]:
    """The stages a service's ``.chalice/config.json`` configures (every environment under terraform/ needs one)."""
    config = json.loads((service_dir / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return list(config.get("stages", {}))


def stage_sources(service_dir: Path, app_dir: Path) -> None:
    if app_dir.exists():
        shutil.rmtree(app_dir)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "deployments", "venv", "vendor")
    app_dir.mkdir(parents=True)
    shutil.copy2(service_dir / "app.py", app_dir / "app.py")
    shutil.copytree(service_dir / "chalicelib", app_dir / "chalicelib", ignore=ignore)
    shutil.copytree(service_dir / ".chalice", app_dir / ".chalice", ignore=ignore)
    # Chalice would resolve these again for Lambda, slowly; they are vendored below.
    (app_dir / "requirements.txt").write_text("", encoding="utf-8")


def lambda_pip_args(python_version: str) -> list[str]:
    glibc = RUNTIME_GLIBC.get(python_version, 17)
    platforms = ["manylinux2014_x86_64"] + [f"manylinux_2_{minor}_x86_64" for minor in range(17, glibc + 1)]
    abi = "cp" + python_version.replace(".", "")
    args = [
        "--only-binary=:all:",
        "--python-version",
        python_version,
        "--implementation",
        "cp",
        "--abi",
        abi,
        "--abi",
        "abi3",
        "--abi",
        "none",
    ]
    for platform in platforms:
        args += ["--platform", platform]
    return args


def requirement_lines(requirements: Path) -> list[str]:
    lines = []
    for raw in requirements.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def vendor_requirements(requirements: Path, vendor: Path, python_version: str, scratch: Path) -> list[str]:
    """Install the requirements as Lambda wheels into `vendor`; return those that have no Lambda wheel."""
    pip = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--target",
        str(vendor),
        "--upgrade",
        *lambda_pip_args(python_version),
    ]
    lines = requirement_lines(requirements)
    if not lines:
        return []
    if subprocess.run([*pip, *lines], text=True, capture_output=True).returncode == 0:
        return []
    # Find which requirements lack a wheel for the Lambda platform, then install the rest together.
    missing = []
    for line in lines:
        probe = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--disable-pip-version-check",
                "-d",
                str(scratch),
                *lambda_pip_args(python_version),
                line,
            ],
            text=True,
            capture_output=True,
        )
        if probe.returncode != 0:
            missing.append(line)
    rest = [line for line in lines if line not in missing]
    if vendor.exists():
        shutil.rmtree(vendor)
    if rest:
        run([*pip, *rest])
    return missing


def chalice_package(app_dir: Path, stage: str, out: Path, region: str) -> None:
    if out.exists():
        shutil.rmtree(out)
    chalice = Path(sys.executable).with_name("chalice")
    env = dict(os.environ, AWS_DEFAULT_REGION=region, PYTHONDONTWRITEBYTECODE="1")
    run([str(chalice), "package", "--pkg-format", "terraform", "--stage", stage, str(out)], cwd=app_dir, env=env)


# --- 4: make chalice's Terraform deployable ---------------------------------------------------------


def queue_logical_of(arn: str, settings: Settings) -> str:
    name = arn.rsplit(":", 1)[-1]
    for queue in catalogue.QUEUES:
        if settings.name(queue.logical) == name:
            return queue.logical
    raise PackagingError(f"event source {arn!r} is not a queue of the catalogue")


def normalise(doc: dict[str, Any], service: str, stage: str, report: Report) -> dict[str, Any]:
    """chalice.tf.json, rewritten in place (see the module docstring)."""
    settings = Settings(stage=stage)
    access = catalogue.access_of(service)
    doc.pop("terraform", None)
    data = doc.get("data", {})
    data.pop("null_data_source", None)
    if "null_data_source" in json.dumps(doc):
        raise PackagingError("chalice.tf.json still refers to null_data_source")
    resources = doc.setdefault("resource", {})

    # REST API: an explicit stage instead of the deployment's stage_name (removed in AWS provider 6).
    deployment = resources.get("aws_api_gateway_deployment", {}).get("rest_api")
    if deployment is not None:
        stage_name = deployment.pop("stage_name")
        deployment.pop("stage_description", None)
        deployment["triggers"] = {"redeployment": "${md5(local.chalice_api_swagger)}"}
        resources.setdefault("aws_api_gateway_stage", {})["rest_api"] = {
            "rest_api_id": "${aws_api_gateway_rest_api.rest_api.id}",
            "deployment_id": "${aws_api_gateway_deployment.rest_api.id}",
            "stage_name": stage_name,
            "xray_tracing_enabled": True,
        }
        rest_api = resources["aws_api_gateway_rest_api"]["rest_api"]
        rest_api["lifecycle"] = {"create_before_destroy": True}
        # The platform's CloudFront fronts the API: a regional endpoint, not a second, hidden edge one.
        rest_api["endpoint_configuration"] = {"types": ["REGIONAL"]}
        # Named per stage, so the API Gateway metrics (dimension ApiName) of dev and prod never mix.
        rest_api["name"] = f"{rest_api['name']}-{stage}"
        text = json.dumps(doc)
        for attribute in ("invoke_url", "execution_arn", "stage_name"):
            text = text.replace(
                f"aws_api_gateway_deployment.rest_api.{attribute}", f"aws_api_gateway_stage.rest_api.{attribute}"
            )
        doc.clear()
        doc.update(json.loads(text))
        resources = doc["resource"]

    websocket = "websocket_api" in resources.get("aws_apigatewayv2_api", {})
    report.websocket = websocket
    if websocket:
        ws_stage = resources["aws_apigatewayv2_stage"]["websocket_api_stage"]
        ws_stage["default_route_settings"] = {
            "throttling_burst_limit": THROTTLE_BURST,
            "throttling_rate_limit": THROTTLE_RATE,
        }

    # SQS event sources: the queue ARN from the infrastructure root, partial-batch responses.
    consumer_timeouts: dict[str, int] = {}
    for mapping in resources.get("aws_lambda_event_source_mapping", {}).values():
        arn = mapping["event_source_arn"]
        if ":sqs:" not in arn:
            continue
        logical = queue_logical_of(arn, settings)
        queue = catalogue.queue(logical)
        if queue.consumer != service:
            raise PackagingError(f"{service} consumes {logical}, which the catalogue gives to {queue.consumer}")
        mapping["event_source_arn"] = f'${{{INFRA}.sqs_queue_arns["{logical}"]}}'
        mapping["function_response_types"] = ["ReportBatchItemFailures"]
        function = re.fullmatch(r"\$\{aws_lambda_function\.([\w-]+)\.arn\}", mapping["function_name"]).group(1)
        report.consumed_queues[function] = logical
        # The seed: a queue's visibility timeout is twice its consumer's timeout.
        consumer_timeouts[function] = queue.visibility_timeout // 2

    ws_stage_name = resources["aws_apigatewayv2_stage"]["websocket_api_stage"]["name"] if websocket else None
    environment = service_environment(access, ws_stage_name)
    memory = MEMORY_MB.get(service, DEFAULT_MEMORY_MB)
    for name, function in resources.get("aws_lambda_function", {}).items():
        report.functions.append(name)
        report.runtime = function["runtime"]
        function.pop("filename")
        function["s3_bucket"] = "${aws_s3_object.deployment.bucket}"
        function["s3_key"] = "${aws_s3_object.deployment.key}"
        variables = function.setdefault("environment", {}).setdefault("variables", {})
        variables.update(environment)
        if function.get("memory_size", 128) == 128:  # chalice's default: the config did not choose
            function["memory_size"] = memory
        if name in consumer_timeouts:
            function["timeout"] = min(function.get("timeout", 60), consumer_timeouts[name])
        function["depends_on"] = sorted(set(function.get("depends_on", [])) | {f"aws_cloudwatch_log_group.{name}"})
        function["tracing_config"] = {"mode": "Active"}  # X-Ray, as the REST stage

    for policy in resources.get("aws_iam_role_policy", {}).values():
        policy["policy"] = "${data.aws_iam_policy_document.service.json}"
    route_through_aliases(doc)  # canary releases: callers invoke each function's `live` alias
    return doc


def service_environment(access: catalogue.ServiceAccess, websocket_stage: str | None) -> dict[str, str]:
    env = {
        "SPEAKTRACKER_RESOURCE_NAMES": f"${{jsonencode({INFRA}.resource_names)}}",
        "SPEAKTRACKER_COGNITO_USER_POOL_ID": f"${{{INFRA}.cognito_user_pool_id}}",
        "SPEAKTRACKER_COGNITO_CLIENT_ID": f"${{{INFRA}.cognito_user_pool_client_id}}",
    }
    if access.publishes_events:
        env["SPEAKTRACKER_EVENTS_TOPIC_ARN"] = f"${{{INFRA}.sns_topic_arn}}"
    if "secretsmanager" in access.aws_apis:
        env["SPEAKTRACKER_ANTHROPIC_SECRET_ID"] = _secret_arn("anthropic-api-key")
    if access.platform_secret:
        env["SPEAKTRACKER_PLATFORM_SECRET_ID"] = _secret_arn(catalogue.PLATFORM_SECRET)
    if access.context == "practice":
        # Native-voice audio through the distribution's /tts/* behaviour (cached for good), not presigned links.
        env["SPEAKTRACKER_AUDIO_BASE_URL"] = f"https://${{{INFRA}.cloudfront_distribution_domain_name}}"
    if websocket_stage:
        # The stage's name, not a reference to it: the stage depends on the functions through its routes.
        env["SPEAKTRACKER_WEBSOCKET_MANAGEMENT_URL"] = (
            f"https://${{aws_apigatewayv2_api.websocket_api.id}}.execute-api.{REGION}.amazonaws.com/{websocket_stage}"
        )
    return env


# --- 5: what the service adds ------------------------------------------------------------------------


def statement(sid: str, actions: list[str], resources: list[str], **extra: Any) -> dict[str, Any]:
    return {"sid": sid, "effect": "Allow", "actions": actions, "resources": resources, **extra}


def policy_statements(service: str, functions: list[str], websocket: bool) -> list[dict[str, Any]]:
    """Least privilege from the catalogue: what this context owns, consumes, feeds and calls."""
    access = catalogue.access_of(service)
    out = [
        statement(
            "OwnLogs",
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [f"${{aws_cloudwatch_log_group.{f}.arn}}:*" for f in sorted(functions)],
        ),
        # X-Ray has no resource-level permissions: these two actions only write trace segments.
        statement("Tracing", XRAY_ACTIONS, ["*"]),
    ]
    tables = [t.logical for t in catalogue.tables_of(service)]
    if tables:
        arns = [f'${{{INFRA}.dynamodb_table_arns["{t}"]}}' for t in tables]
        out.append(statement("OwnTables", TABLE_ACTIONS, arns + [f"{a}/index/*" for a in arns]))
    shared = {t.logical for t in catalogue.shared_tables()}
    if catalogue.RATE_LIMITS_TABLE in shared:  # the rate limit's counters: one conditional UpdateItem a request
        out.append(
            statement(
                "SharedCounters",
                ["dynamodb:UpdateItem"],
                [f'${{{INFRA}.dynamodb_table_arns["{catalogue.RATE_LIMITS_TABLE}"]}}'],
            )
        )
    if catalogue.REVOCATIONS_TABLE in shared:  # deleted accounts' tombstones: read on every token check
        actions = ["dynamodb:GetItem"] + (["dynamodb:PutItem"] if access.revokes_tokens else [])
        out.append(
            statement("Revocations", actions, [f'${{{INFRA}.dynamodb_table_arns["{catalogue.REVOCATIONS_TABLE}"]}}'])
        )
    consumed = [q.logical for q in catalogue.queues_consumed_by(service)]
    if consumed:
        out.append(
            statement("ConsumedQueues", CONSUME_ACTIONS, [f'${{{INFRA}.sqs_queue_arns["{q}"]}}' for q in consumed])
        )
    if access.sends_to:
        out.append(
            statement("FedQueues", SEND_ACTIONS, [f'${{{INFRA}.sqs_queue_arns["{q}"]}}' for q in access.sends_to])
        )
    if access.publishes_events:
        out.append(statement("EventsTopic", ["sns:Publish"], [f"${{{INFRA}.sns_topic_arn}}"]))
    if access.bucket_prefixes:
        bucket = f'${{{INFRA}.s3_bucket_arns["user-content"]}}'
        out.append(statement("ContentPrefixes", OBJECT_ACTIONS, [f"{bucket}/{p}*" for p in access.bucket_prefixes]))
        out.append(
            statement(
                "ListContentPrefixes",
                ["s3:ListBucket"],
                [bucket],
                condition=[
                    {"test": "StringLike", "variable": "s3:prefix", "values": [f"{p}*" for p in access.bucket_prefixes]}
                ],
            )
        )
    if access.platform_secret:  # the one secret its page cursors' key is derived from
        out.append(
            statement("PlatformSecret", ["secretsmanager:GetSecretValue"], [_secret_arn(catalogue.PLATFORM_SECRET)])
        )
    for api in access.aws_apis:
        out += api_statements(api, websocket)
    return out


def _secret_arn(logical: str) -> str:
    return f'${{{INFRA}.secretsmanager_secret_arns["{logical}"]}}'


def api_statements(api: str, websocket: bool) -> list[dict[str, Any]]:
    def scope(service: str) -> str:
        return f"arn:{PARTITION}:{service}:{REGION}:{ACCOUNT}"

    if api == "cognito-idp":
        return [statement("UserPool", COGNITO_ACTIONS, [f"${{{INFRA}.cognito_user_pool_arn}}"])]
    if api == "ses":
        return [statement("SendMail", ["ses:SendEmail", "ses:SendRawEmail"], [scope("ses") + ":identity/*"])]
    if api == "polly":
        return [statement("Speech", ["polly:SynthesizeSpeech"], [scope("polly") + ":lexicon/*"])]
    if api == "transcribe":
        return [
            statement(
                "Transcription",
                [
                    "transcribe:StartTranscriptionJob",
                    "transcribe:GetTranscriptionJob",
                    "transcribe:DeleteTranscriptionJob",
                ],
                [scope("transcribe") + ":transcription-job/*"],
            )
        ]
    if api == "secretsmanager":
        return [statement("AnthropicKey", ["secretsmanager:GetSecretValue"], [_secret_arn("anthropic-api-key")])]
    if api == "bedrock":
        # One foundation model, in the region that serves it: foundation-model ARNs carry no account.
        model = f"arn:{PARTITION}:bedrock:{catalogue.IMAGE_MODEL_REGION}::foundation-model/{catalogue.IMAGE_MODEL_ID}"
        return [statement("ImageModel", ["bedrock:InvokeModel"], [model])]
    if api == "execute-api":
        if not websocket:
            return []  # no WebSocket API in this app (yet): nothing to push to
        return [
            statement(
                "PushToConnections",
                ["execute-api:ManageConnections"],
                ["${aws_apigatewayv2_api.websocket_api.execution_arn}/*/*/@connections/*"],
            )
        ]
    raise PackagingError(f"no IAM mapping for AWS API {api!r}: add one to scripts/package_service.py")


def _alarm(name: str, description: str, threshold: int) -> dict[str, Any]:
    topic = [f"${{{INFRA}.alarm_topic_arn}}"]
    return {
        "alarm_name": name,
        "alarm_description": description,
        "comparison_operator": "GreaterThanThreshold",
        "threshold": threshold,
        "evaluation_periods": 1,
        "treat_missing_data": "notBreaching",
        "alarm_actions": topic,
        "ok_actions": topic,
    }


def error_rate_alarm(function: str) -> dict[str, Any]:
    def metric(name: str) -> dict[str, Any]:
        return {
            "id": name.lower(),
            "metric": {
                "namespace": "AWS/Lambda",
                "metric_name": name,
                "stat": "Sum",
                "period": 300,
                "dimensions": {"FunctionName": f"${{aws_lambda_function.{function}.function_name}}"},
            },
        }

    return {
        **_alarm(
            f"${{aws_lambda_function.{function}.function_name}}-error-rate",
            f"More than {ERROR_RATE_PERCENT} % of the invocations failed in 5 minutes.",
            ERROR_RATE_PERCENT,
        ),
        "metric_query": [
            {
                "id": "rate",
                "expression": "IF(invocations > 0, 100 * errors / invocations, 0)",
                "label": "Error rate (%)",
                "return_data": True,
            },
            metric("Errors"),
            metric("Invocations"),
        ],
    }


def latency_alarm() -> dict[str, Any]:
    return {
        **_alarm(
            "${aws_api_gateway_rest_api.rest_api.name}-latency",
            f"The API's p95 latency was over {LATENCY_MS / 1000:g} s for 5 minutes.",
            LATENCY_MS,
        ),
        "namespace": "AWS/ApiGateway",
        "metric_name": "Latency",
        "extended_statistic": "p95",
        "period": 300,
        "dimensions": {
            "ApiName": "${aws_api_gateway_rest_api.rest_api.name}",
            "Stage": "${aws_api_gateway_stage.rest_api.stage_name}",
        },
    }


def additions(service: str, stage: str, report: Report, doc: dict[str, Any]) -> dict[str, Any]:
    names = [f["function_name"] for f in doc["resource"]["aws_lambda_function"].values()]
    code = (
        image_resources(service, report.image_tag, names)
        if report.package_type == "Image"
        else {
            "aws_s3_object": {
                "deployment": {
                    "bucket": f"${{{INFRA}.lambda_artifacts_bucket_name}}",
                    "key": f'lambda/{service}/{stage}/${{filemd5("${{path.module}}/deployment.zip")}}.zip',
                    "source": "${path.module}/deployment.zip",
                    "source_hash": '${filemd5("${path.module}/deployment.zip")}',
                }
            }
        }
    )
    resources: dict[str, Any] = {
        **code,
        "aws_cloudwatch_log_group": {
            name: {
                "name": f"/aws/lambda/{function['function_name']}",
                "retention_in_days": f"${{{INFRA}.lambda_log_retention_days}}",
            }
            for name, function in doc["resource"]["aws_lambda_function"].items()
        },
    }
    resources["aws_cloudwatch_metric_alarm"] = {
        f"{name}_error_rate": error_rate_alarm(name) for name in doc["resource"]["aws_lambda_function"]
    }
    functions = {name: f["function_name"] for name, f in doc["resource"]["aws_lambda_function"].items()}
    for kind, blocks in release_resources(functions, {name: f"{name}_error_rate" for name in functions}).items():
        resources.setdefault(kind, {}).update(blocks)
    if "rest_api" in doc["resource"].get("aws_api_gateway_stage", {}):
        resources["aws_cloudwatch_metric_alarm"]["api_latency"] = latency_alarm()
        resources["aws_api_gateway_method_settings"] = {
            "rest_api": {
                "rest_api_id": "${aws_api_gateway_rest_api.rest_api.id}",
                "stage_name": "${aws_api_gateway_stage.rest_api.stage_name}",
                "method_path": "*/*",
                "settings": {"throttling_rate_limit": THROTTLE_RATE, "throttling_burst_limit": THROTTLE_BURST},
            }
        }
        # The platform's REGIONAL WAF web ACL (managed rule groups, rate limit per IP) guards the stage too,
        # for callers that skip CloudFront and go to execute-api directly.
        resources["aws_wafv2_web_acl_association"] = {
            "rest_api": {
                "resource_arn": "${aws_api_gateway_stage.rest_api.arn}",
                "web_acl_arn": f"${{{INFRA}.wafv2_api_web_acl_arn}}",
            }
        }
    data: dict[str, Any] = {
        # ARNs built here use chalice's data sources; declare them when chalice did not.
        kind: {"chalice": {}}
        for kind in ("aws_caller_identity", "aws_partition", "aws_region")
        if "chalice" not in doc.get("data", {}).get(kind, {})
    }
    return {
        "data": {
            **data,
            "terraform_remote_state": {
                "infra": {
                    "backend": "${var.infra_state_backend}",
                    "config": "${var.infra_state_config}",
                }
            },
            "aws_iam_policy_document": {
                "service": {
                    "statement": policy_statements(service, report.functions, report.websocket),
                }
            },
        },
        "resource": resources,
        "output": {
            "FunctionNames": {"value": {n: f"${{aws_lambda_function.{n}.function_name}}" for n in report.functions}},
            **(
                {"ImageUri": {"value": f"${{aws_ecr_repository.service.repository_url}}:{report.image_tag}"}}
                if report.package_type == "Image"
                else {}
            ),
        },
    }


# --- container images (IMAGE_PACKAGED) ----------------------------------------------------------------

CHALICE_RUNTIME = "chalice/"  # chalice's runtime inside its deployment.zip: what `app.py` imports


def build_image_context(service_dir: Path, app_dir: Path, tf_dir: Path, wheel: Path, dockerfile: Path) -> list[str]:
    """`image/` beside the Terraform: the Dockerfile, requirements.txt, the shared wheel and the app (app.py,
    chalicelib/, chalice's runtime from the zip chalice built). Returns the context's files."""
    if not dockerfile.is_file():
        raise PackagingError(f"{service_dir.name} is image-packaged but has no Dockerfile")
    context = tf_dir / "image"
    if context.exists():
        shutil.rmtree(context)
    (context / "wheels").mkdir(parents=True)
    shutil.copy2(dockerfile, context / "Dockerfile")
    shutil.copy2(service_dir / "requirements.txt", context / "requirements.txt")
    shutil.copy2(wheel, context / "wheels" / wheel.name)
    (context / "app").mkdir()
    shutil.copy2(app_dir / "app.py", context / "app" / "app.py")
    shutil.copytree(app_dir / "chalicelib", context / "app" / "chalicelib")
    with zipfile.ZipFile(tf_dir / "deployment.zip") as archive:
        runtime = [n for n in archive.namelist() if n.startswith(CHALICE_RUNTIME) and not n.endswith("/")]
        if not runtime:
            raise PackagingError("chalice's deployment.zip holds no chalice runtime")
        for name in runtime:
            archive.extract(name, context / "app")
    return sorted(str(p.relative_to(context)) for p in context.rglob("*") if p.is_file())


def content_tag(context: Path, files: list[str]) -> str:
    """The image tag: a hash of the build context, so a tag (immutable in ECR) always means one content. A
    wheel counts by its members, not its bytes: a rebuild of the same code (new timestamps) keeps the tag."""
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0")
        if name.endswith(".whl"):
            with zipfile.ZipFile(context / name) as wheel:
                for member in sorted(wheel.namelist()):
                    digest.update(member.encode() + b"\0" + wheel.read(member) + b"\0")
        else:
            digest.update((context / name).read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def to_image_functions(doc: dict[str, Any], tag: str) -> None:
    """Every function of chalice.tf.json runs the image; chalice's handler becomes the image's command."""
    for function in doc["resource"]["aws_lambda_function"].values():
        handler = function.pop("handler")
        for attribute in ("runtime", "s3_bucket", "s3_key", "source_code_hash", "layers", "filename"):
            function.pop(attribute, None)
        function["package_type"] = "Image"
        function["image_uri"] = f"${{aws_ecr_repository.service.repository_url}}:{tag}"
        function["image_config"] = {"command": [handler]}
        function["depends_on"] = sorted(set(function["depends_on"]) | {"terraform_data.image"})
    if "deployment.zip" in json.dumps(doc):
        raise PackagingError("an image-packaged chalice.tf.json still refers to deployment.zip")


def image_resources(service: str, tag: str, function_names: list[str]) -> dict[str, Any]:
    repository = "${aws_ecr_repository.service"
    # Only this service's functions may pull (Lambda would otherwise add the grant itself, if the deployer
    # may set repository policies, and outside Terraform).
    functions = f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:{os.path.commonprefix(function_names)}*"
    pull = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "LambdaPulls",
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Condition": {"StringLike": {"aws:sourceArn": functions}},
            }
        ],
    }
    lifecycle = {
        "rules": [
            {
                "rulePriority": 1,
                "description": "Untagged layers of replaced pushes go after a day.",
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": 1,
                },
                "action": {"type": "expire"},
            },
            {
                "rulePriority": 2,
                "description": f"Keep the last {IMAGE_KEEP_TAGGED} images (rollbacks).",
                "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": IMAGE_KEEP_TAGGED},
                "action": {"type": "expire"},
            },
        ]
    }
    return {
        "aws_ecr_repository": {
            "service": {
                "name": f"${{{INFRA}.name_prefix}}-{service}",
                "image_tag_mutability": "IMMUTABLE",
                "image_scanning_configuration": {"scan_on_push": True},
                # The AWS managed key aws/ecr: Lambda pulls without a grant on a customer managed key.
                "encryption_configuration": {"encryption_type": "KMS"},
                # Images are rebuilt from git; a destroy should not stop at them.
                "force_delete": True,
            }
        },
        "aws_ecr_lifecycle_policy": {
            "service": {
                "repository": f"{repository}.name}}",
                "policy": json.dumps(lifecycle),
            }
        },
        "aws_ecr_repository_policy": {
            "service": {
                "repository": f"{repository}.name}}",
                "policy": json.dumps(pull),
            }
        },
        # Docker builds and pushes the image once per content (the tag); the functions wait for it.
        "terraform_data": {
            "image": {
                "triggers_replace": [f"{repository}.repository_url}}:{tag}"],
                "provisioner": [
                    {
                        "local-exec": {
                            "command": "sh ${path.module}/push_image.sh",
                            "environment": {
                                "REPOSITORY_URL": f"{repository}.repository_url}}",
                                "REPOSITORY_NAME": f"{repository}.name}}",
                                "IMAGE_TAG": tag,
                                "AWS_REGION": REGION,
                            },
                        }
                    }
                ],
            }
        },
    }


PUSH_IMAGE_SH = """\
#!/bin/sh
# Build the service's image from image/ and push it to its ECR repository (run by terraform_data.image).
# Needs Docker (with buildx) and the AWS CLI; the tag is the context's hash, so an existing tag is final.
set -eu
cd "$(dirname "$0")/image"
if aws ecr describe-images --region "$AWS_REGION" --repository-name "$REPOSITORY_NAME" \\
    --image-ids imageTag="$IMAGE_TAG" >/dev/null 2>&1; then
  echo "$REPOSITORY_URL:$IMAGE_TAG is already pushed"
  exit 0
fi
aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "${REPOSITORY_URL%%/*}"
# Lambda takes a single-platform Docker v2 manifest: no buildx attestations (provenance).
docker build --platform linux/amd64 --provenance=false --tag "$REPOSITORY_URL:$IMAGE_TAG" .
docker push "$REPOSITORY_URL:$IMAGE_TAG"
"""


VERSIONS_TF = """\
terraform {{
  required_version = ">= 1.5.0"

  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }}
  }}

  backend "{backend}" {{}}
}}

provider "aws" {{
  region = var.region

  default_tags {{
    tags = {{
      Project   = "speaktracker"
      Stage     = "{stage}"
      Service   = "{service}"
      ManagedBy = "terraform"
    }}
  }}
}}
"""

VARIABLES_TF = """\
variable "region" {
  description = "AWS region; the same as the infrastructure root's."
  type        = string
  default     = "ap-northeast-2"
}

variable "infra_state_backend" {
  description = "Backend type of the infrastructure root's state (local or s3), read for its outputs."
  type        = string
  default     = "local"
}

variable "infra_state_config" {
  description = "Backend settings of the root's state: {path = ...} for local, {bucket, key, region} for s3."
  type        = map(string)
}
"""


# The python3.11 Lambda runtime ships the AWS SDK; bundling our pin too would push practice (numpy, PyAV's
# ffmpeg, pocketsphinx's model) past Lambda's 250 MiB unzipped limit. Our code uses only long-stable APIs.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath")
# Parts of wheels the product never loads: hama's G2P and P2G models (the engine uses only its phone
# recogniser, asr_waveform.hama with g2p_vocab.json) and its native library for other platforms (~20 MiB).
UNUSED_IN_LAMBDA = (
    "hama/assets/p2g.hama",
    "hama/assets/p2g_vocab.json",
    "hama/assets/encoder.hama",
    "hama/assets/decoder_step.hama",
    "hama/_libs/darwin-arm64",
    "hama/_libs/darwin-x86_64",
    "hama/_libs/linux-aarch64",
)


def prune_vendor(vendor: Path) -> None:
    """Drop what the runtime provides, the test suites that wheels carry and the unused parts of wheels:
    none of it runs in Lambda."""
    for entry in list(vendor.iterdir()):
        top = entry.name.split("-", 1)[0].lower()
        if top in RUNTIME_PROVIDED and entry.is_dir():
            shutil.rmtree(entry)
    for tests in sorted(vendor.glob("*/**/tests"), key=lambda d: len(d.parts)):
        if tests.is_dir():  # a parent may already have taken it
            shutil.rmtree(tests)
    for unused in (vendor / part for part in UNUSED_IN_LAMBDA):
        if unused.is_dir():
            shutil.rmtree(unused)
        elif unused.exists():
            unused.unlink()


def measure(zip_path: Path, report: Report) -> None:
    report.zip_bytes = zip_path.stat().st_size
    with zipfile.ZipFile(zip_path) as archive:
        report.unzipped_bytes = sum(info.file_size for info in archive.infolist())


def package(
    service: str,
    stages: list[str],
    out_root: Path,
    python_version: str,
    region: str,
    backend: str,
    image: bool | None = None,
    dockerfile: Path | None = None,
) -> list[Report]:
    """Vendor once, then one Terraform directory per stage: build/services/<service>/<stage>/terraform.
    `image` overrides IMAGE_PACKAGED (the tests package a queue consumer both ways to compare), `dockerfile`
    the service's own Dockerfile."""
    image = service in IMAGE_PACKAGED if image is None else image
    service_dir = REPO / "services" / service
    if not (service_dir / "app.py").is_file():
        raise PackagingError(f"no service named {service!r}")
    catalogue.access_of(service)  # an unknown context has no IAM to derive
    missing_stages = sorted(set(stages) - set(chalice_stages(service_dir)))
    if missing_stages:  # chalice would package it silently with no stage settings (SPEAKTRACKER_STAGE unset)
        raise PackagingError(
            f"services/{service}/.chalice/config.json has no stage {', '.join(missing_stages)} "
            f"(it has {', '.join(chalice_stages(service_dir))})"
        )
    work = out_root / service
    app_dir, scratch = work / "app", work / "scratch"
    stage_sources(service_dir, app_dir)
    # An image installs its requirements itself (docker build, on Lambda's own base image).
    missing = (
        []
        if image
        else vendor_requirements(service_dir / "requirements.txt", app_dir / "vendor", python_version, scratch)
    )
    wheel = build_shared_wheel(work / "wheels")  # per service: packagings may run side by side
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--target",
            str(app_dir / "vendor"),
            "--upgrade",
            str(wheel),
        ]
    )
    prune_vendor(app_dir / "vendor")
    shutil.rmtree(scratch, ignore_errors=True)
    reports = []
    for stage in stages:
        report = Report(service, stage, runtime=f"python{python_version}", missing_lambda_wheels=missing)
        tf_dir = work / stage / "terraform"
        chalice_package(app_dir, stage, tf_dir, region)
        chalice_json = tf_dir / "chalice.tf.json"
        doc = normalise(json.loads(chalice_json.read_text(encoding="utf-8")), service, stage, report)
        if image:
            report.package_type = "Image"
            report.image_context = build_image_context(
                service_dir, app_dir, tf_dir, wheel, dockerfile or service_dir / "Dockerfile"
            )
            report.image_tag = content_tag(tf_dir / "image", report.image_context)
            to_image_functions(doc, report.image_tag)
            (tf_dir / "deployment.zip").unlink()
            (tf_dir / "push_image.sh").write_text(PUSH_IMAGE_SH, encoding="utf-8")
        else:
            measure(tf_dir / "deployment.zip", report)
        chalice_json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        (tf_dir / "speaktracker.tf.json").write_text(
            json.dumps(additions(service, stage, report, doc), indent=2) + "\n", encoding="utf-8"
        )
        (tf_dir / "versions.tf").write_text(
            VERSIONS_TF.format(backend=backend, stage=stage, service=service), encoding="utf-8"
        )
        (tf_dir / "variables.tf").write_text(VARIABLES_TF, encoding="utf-8")
        (tf_dir / "shift_traffic.sh").write_text(SHIFT_TRAFFIC_SH, encoding="utf-8")
        (work / stage / "report.json").write_text(json.dumps(report.__dict__, indent=2) + "\n", encoding="utf-8")
        reports.append(report)
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("service", choices=[s.context for s in catalogue.SERVICES])
    parser.add_argument("--stage", action="append", dest="stages", help="stage to package (repeatable; default dev)")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "services")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "ap-northeast-2"))
    parser.add_argument(
        "--backend",
        default="local",
        choices=["local", "s3"],
        help="backend of the service's own state (settings are given to terraform init)",
    )
    parser.add_argument(
        "--package-type",
        choices=["zip", "image"],
        help="override IMAGE_PACKAGED for this run (default: image for the services listed there)",
    )
    parser.add_argument("--dockerfile", type=Path, help="build the image from this Dockerfile instead of the service's")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail when a requirement has no Lambda wheel or the package is over Lambda's limit",
    )
    args = parser.parse_args(argv)
    python_version = f"{sys.version_info.major}.{sys.version_info.minor}"
    try:
        image = None if args.package_type is None else args.package_type == "image"
        reports = package(
            args.service,
            args.stages or ["dev"],
            args.out,
            python_version,
            args.region,
            args.backend,
            image,
            args.dockerfile,
        )
    except PackagingError as error:
        print(f"package {args.service}: {error}", file=sys.stderr)
        return 1
    failed = False
    for report in reports:
        problems = []
        if report.missing_lambda_wheels:
            problems.append(
                f"no wheel for the {report.runtime} Lambda runtime "
                f"(glibc 2.{RUNTIME_GLIBC.get(python_version)}) for: "
                f"{', '.join(report.missing_lambda_wheels)}; they are NOT in the package"
            )
        if report.unzipped_bytes > UNZIPPED_LIMIT:
            problems.append(f"unzipped package is {report.unzipped_bytes / 2**20:.0f} MiB, over Lambda's 250 MiB")
        for problem in problems:
            print(f"package {args.service}: WARNING: {problem}", file=sys.stderr)
        failed |= bool(problems)
        size = (
            f"image {report.image_tag}, {len(report.image_context)} context files"
            if report.image_tag
            else f"{report.zip_bytes / 2**20:.1f} MiB zip"
        )
        print(
            f"package {args.service} ({report.stage}): {args.out / args.service / report.stage / 'terraform'} "
            f"({size}, {len(report.functions)} functions)"
        )
    return 1 if (failed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
