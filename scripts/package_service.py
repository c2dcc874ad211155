"""Package one service for deployment: `chalice package --pkg-format terraform`, made deployable.

    python scripts/package_service.py practice --stage dev --stage prod
        # -> build/services/practice/{dev,prod}/terraform/

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

Changes are made in chalice.tf.json itself rather than in `*_override.tf.json` files: checkov does not apply
Terraform's override merging, so it would scan chalice's original policy and half-resources separately.
The IAM policy is derived from `speaktracker.catalogue` (own tables, consumed and fed queues, the events
topic, bucket prefixes, AWS APIs) and the generated resources, never from a list per handler.
"""

from __future__ import annotations

import argparse
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

from speaktracker import catalogue  # noqa: E402
from speaktracker.settings import Settings  # noqa: E402

INFRA = "data.terraform_remote_state.infra.outputs"
PARTITION = "${data.aws_partition.chalice.partition}"
REGION = "${data.aws_region.chalice.name}"
ACCOUNT = "${data.aws_caller_identity.chalice.account_id}"
# Lambda runtime glibc by Python version (python3.8-3.11 run on Amazon Linux 2, 3.12+ on AL2023).
RUNTIME_GLIBC = {"3.10": 26, "3.11": 26, "3.12": 34, "3.13": 34}
# The seed's Lambda table: request handlers 512 MB, speech and AI work 1024 MB.
MEMORY_MB = {"practice": 1024, "conversation": 1024}
DEFAULT_MEMORY_MB = 512
# The seed's API Gateway throttling (requests per second, burst).
THROTTLE_RATE, THROTTLE_BURST = 100, 200
UNZIPPED_LIMIT = 250 * 1024 * 1024

TABLE_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                 "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem",
                 "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable"]
CONSUME_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                   "sqs:GetQueueAttributes"]
SEND_ACTIONS = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
COGNITO_ACTIONS = ["cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminConfirmSignUp",
                   "cognito-idp:AdminCreateUser", "cognito-idp:AdminDeleteUser", "cognito-idp:AdminGetUser",
                   "cognito-idp:AdminListGroupsForUser", "cognito-idp:AdminSetUserPassword",
                   "cognito-idp:AdminUpdateUserAttributes", "cognito-idp:AdminUserGlobalSignOut"]


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
    args = ["--only-binary=:all:", "--python-version", python_version, "--implementation", "cp",
            "--abi", abi, "--abi", "abi3", "--abi", "none"]
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
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target",
           str(vendor), "--upgrade", *lambda_pip_args(python_version)]
    lines = requirement_lines(requirements)
    if not lines:
        return []
    if subprocess.run([*pip, *lines], text=True, capture_output=True).returncode == 0:
        return []
    # Find which requirements lack a wheel for the Lambda platform, then install the rest together.
    missing = []
    for line in lines:
        probe = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                                "--disable-pip-version-check", "-d", str(scratch), *lambda_pip_args(python_version),
                                line], text=True, capture_output=True)
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
        resources["aws_api_gateway_rest_api"]["rest_api"]["lifecycle"] = {"create_before_destroy": True}
        text = json.dumps(doc)
        for attribute in ("invoke_url", "execution_arn", "stage_name"):
            text = text.replace(f"aws_api_gateway_deployment.rest_api.{attribute}",
                                f"aws_api_gateway_stage.rest_api.{attribute}")
        doc.clear()
        doc.update(json.loads(text))
        resources = doc["resource"]

    websocket = "websocket_api" in resources.get("aws_apigatewayv2_api", {})
    report.websocket = websocket
    if websocket:
        ws_stage = resources["aws_apigatewayv2_stage"]["websocket_api_stage"]
        ws_stage["default_route_settings"] = {"throttling_burst_limit": THROTTLE_BURST,
                                              "throttling_rate_limit": THROTTLE_RATE}

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

    for policy in resources.get("aws_iam_role_policy", {}).values():
        policy["policy"] = "${data.aws_iam_policy_document.service.json}"
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
        env["SPEAKTRACKER_ANTHROPIC_SECRET_ID"] = f'${{{INFRA}.secretsmanager_secret_arns["anthropic-api-key"]}}'
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
    out = [statement("OwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"],
                     [f"${{aws_cloudwatch_log_group.{f}.arn}}:*" for f in sorted(functions)])]
    tables = [t.logical for t in catalogue.tables_of(service)]
    if tables:
        arns = [f'${{{INFRA}.dynamodb_table_arns["{t}"]}}' for t in tables]
        out.append(statement("OwnTables", TABLE_ACTIONS, arns + [f"{a}/index/*" for a in arns]))
    consumed = [q.logical for q in catalogue.queues_consumed_by(service)]
    if consumed:
        out.append(statement("ConsumedQueues", CONSUME_ACTIONS,
                             [f'${{{INFRA}.sqs_queue_arns["{q}"]}}' for q in consumed]))
    if access.sends_to:
        out.append(statement("FedQueues", SEND_ACTIONS,
                             [f'${{{INFRA}.sqs_queue_arns["{q}"]}}' for q in access.sends_to]))
    if access.publishes_events:
        out.append(statement("EventsTopic", ["sns:Publish"], [f"${{{INFRA}.sns_topic_arn}}"]))
    if access.bucket_prefixes:
        bucket = f'${{{INFRA}.s3_bucket_arns["user-content"]}}'
        out.append(statement("ContentPrefixes", OBJECT_ACTIONS, [f"{bucket}/{p}*" for p in access.bucket_prefixes]))
        out.append(statement("ListContentPrefixes", ["s3:ListBucket"], [bucket], condition=[{
            "test": "StringLike", "variable": "s3:prefix", "values": [f"{p}*" for p in access.bucket_prefixes]}]))
    for api in access.aws_apis:
        out += api_statements(api, websocket)
    return out


def api_statements(api: str, websocket: bool) -> list[dict[str, Any]]:
    def scope(service: str) -> str:
        return f"arn:{PARTITION}:{service}:{REGION}:{ACCOUNT}"

    if api == "cognito-idp":
        return [statement("UserPool", COGNITO_ACTIONS, [f"${{{INFRA}.cognito_user_pool_arn}}"])]
    if api == "ses":
        return [statement("SendMail", ["ses:SendEmail", "ses:SendRawEmail"],
                          [scope("ses") + ":identity/*"])]
    if api == "polly":
        return [statement("Speech", ["polly:SynthesizeSpeech"], [scope("polly") + ":lexicon/*"])]
    if api == "transcribe":
        return [statement("Transcription", ["transcribe:StartTranscriptionJob", "transcribe:GetTranscriptionJob",
                                            "transcribe:DeleteTranscriptionJob"],
                          [scope("transcribe") + ":transcription-job/*"])]
    if api == "secretsmanager":
        return [statement("AnthropicKey", ["secretsmanager:GetSecretValue"],
                          [f'${{{INFRA}.secretsmanager_secret_arns["anthropic-api-key"]}}'])]
    if api == "execute-api":
        if not websocket:
            return []  # no WebSocket API in this app (yet): nothing to push to
        return [statement("PushToConnections", ["execute-api:ManageConnections"],
                          ["${aws_apigatewayv2_api.websocket_api.execution_arn}/*/*/@connections/*"])]
    raise PackagingError(f"no IAM mapping for AWS API {api!r}: add one to scripts/package_service.py")


def additions(service: str, stage: str, report: Report, doc: dict[str, Any]) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "aws_s3_object": {"deployment": {
            "bucket": f"${{{INFRA}.lambda_artifacts_bucket_name}}",
            "key": f'lambda/{service}/{stage}/${{filemd5("${{path.module}}/deployment.zip")}}.zip',
            "source": "${path.module}/deployment.zip",
            "source_hash": '${filemd5("${path.module}/deployment.zip")}',
        }},
        "aws_cloudwatch_log_group": {
            name: {"name": f"/aws/lambda/{function['function_name']}",
                   "retention_in_days": f"${{{INFRA}.lambda_log_retention_days}}"}
            for name, function in doc["resource"]["aws_lambda_function"].items()
        },
    }
    if "rest_api" in doc["resource"].get("aws_api_gateway_stage", {}):
        resources["aws_api_gateway_method_settings"] = {"rest_api": {
            "rest_api_id": "${aws_api_gateway_rest_api.rest_api.id}",
            "stage_name": "${aws_api_gateway_stage.rest_api.stage_name}",
            "method_path": "*/*",
            "settings": {"throttling_rate_limit": THROTTLE_RATE, "throttling_burst_limit": THROTTLE_BURST},
        }}
    data: dict[str, Any] = {
        # ARNs built here use chalice's data sources; declare them when chalice did not.
        kind: {"chalice": {}} for kind in ("aws_caller_identity", "aws_partition", "aws_region")
        if "chalice" not in doc.get("data", {}).get(kind, {})
    }
    return {
        "data": {
            **data,
            "terraform_remote_state": {"infra": {
                "backend": "${var.infra_state_backend}",
                "config": "${var.infra_state_config}",
            }},
            "aws_iam_policy_document": {"service": {
                "statement": policy_statements(service, report.functions, report.websocket),
            }},
        },
        "resource": resources,
        "output": {"FunctionNames": {"value": {
            n: f"${{aws_lambda_function.{n}.function_name}}" for n in report.functions}}},
    }


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
  description = "Backend settings of the infrastructure root's state: {path = ...} for local, {bucket, key, region} for s3."
  type        = map(string)
}
"""


# The python3.11 Lambda runtime ships the AWS SDK; bundling our pin too would push practice (numpy, PyAV's
# ffmpeg, pocketsphinx's model) past Lambda's 250 MiB unzipped limit. Our code uses only long-stable APIs.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath")
# Parts of wheels the product never loads: hama's G2P and P2G models (the engine uses only its phone
# recogniser, asr_waveform.hama with g2p_vocab.json) and its native library for other platforms (~20 MiB).
UNUSED_IN_LAMBDA = (
    "hama/assets/p2g.hama", "hama/assets/p2g_vocab.json", "hama/assets/encoder.hama",
    "hama/assets/decoder_step.hama", "hama/_libs/darwin-arm64", "hama/_libs/darwin-x86_64",
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


def package(service: str, stages: list[str], out_root: Path, python_version: str, region: str,
            backend: str) -> list[Report]:
    """Vendor once, then one Terraform directory per stage: build/services/<service>/<stage>/terraform."""
    service_dir = REPO / "services" / service
    if not (service_dir / "app.py").is_file():
        raise PackagingError(f"no service named {service!r}")
    catalogue.access_of(service)  # an unknown context has no IAM to derive
    work = out_root / service
    app_dir, scratch = work / "app", work / "scratch"
    stage_sources(service_dir, app_dir)
    missing = vendor_requirements(service_dir / "requirements.txt", app_dir / "vendor", python_version, scratch)
    wheel = build_shared_wheel(out_root / "wheels")
    run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--target", str(app_dir / "vendor"), "--upgrade", str(wheel)])
    prune_vendor(app_dir / "vendor")
    shutil.rmtree(scratch, ignore_errors=True)
    reports = []
    for stage in stages:
        report = Report(service, stage, runtime=f"python{python_version}", missing_lambda_wheels=missing)
        tf_dir = work / stage / "terraform"
        chalice_package(app_dir, stage, tf_dir, region)
        chalice_json = tf_dir / "chalice.tf.json"
        doc = normalise(json.loads(chalice_json.read_text(encoding="utf-8")), service, stage, report)
        chalice_json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        (tf_dir / "speaktracker.tf.json").write_text(
            json.dumps(additions(service, stage, report, doc), indent=2) + "\n", encoding="utf-8")
        (tf_dir / "versions.tf").write_text(VERSIONS_TF.format(backend=backend, stage=stage, service=service),
                                            encoding="utf-8")
        (tf_dir / "variables.tf").write_text(VARIABLES_TF, encoding="utf-8")
        measure(tf_dir / "deployment.zip", report)
        (work / stage / "report.json").write_text(json.dumps(report.__dict__, indent=2) + "\n", encoding="utf-8")
        reports.append(report)
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("service", choices=[s.context for s in catalogue.SERVICES])
    parser.add_argument("--stage", action="append", dest="stages",
                        help="stage to package (repeatable; default dev)")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "services")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "ap-northeast-2"))
    parser.add_argument("--backend", default="local", choices=["local", "s3"],
                        help="backend of the service's own state (settings are given to terraform init)")
    parser.add_argument("--strict", action="store_true",
                        help="fail when a requirement has no Lambda wheel or the package is over Lambda's limit")
    args = parser.parse_args(argv)
    python_version = f"{sys.version_info.major}.{sys.version_info.minor}"
    try:
        reports = package(args.service, args.stages or ["dev"], args.out, python_version, args.region,
                          args.backend)
    except PackagingError as error:
        print(f"package {args.service}: {error}", file=sys.stderr)
        return 1
    failed = False
    for report in reports:
        problems = []
        if report.missing_lambda_wheels:
            problems.append(f"no wheel for the {report.runtime} Lambda runtime "
                            f"(glibc 2.{RUNTIME_GLIBC.get(python_version)}) for: "
                            f"{', '.join(report.missing_lambda_wheels)}; they are NOT in the package")
        if report.unzipped_bytes > UNZIPPED_LIMIT:
            problems.append(f"unzipped package is {report.unzipped_bytes / 2**20:.0f} MiB, over Lambda's 250 MiB")
        for problem in problems:
            print(f"package {args.service}: WARNING: {problem}", file=sys.stderr)
        failed |= bool(problems)
        print(f"package {args.service} ({report.stage}): {args.out / args.service / report.stage / 'terraform'} "
              f"({report.zip_bytes / 2**20:.1f} MiB zip, {len(report.functions)} functions)")
    return 1 if (failed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
