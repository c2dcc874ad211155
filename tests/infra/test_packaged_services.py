"""What `make package` produces for each service and stage: Terraform that current Terraform accepts, SQS
mappings with partial-batch responses, settings wired from the infrastructure root, and an IAM policy that
names only the service's own resources (read from the packaged JSON)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from speaktracker import catalogue

from .conftest import SERVICES, STAGES, Packaged
from .support import ENVIRONMENTS, MODULES, blocks, plugin_dir, terraform, terraform_binary

PAIRS = [(service, stage) for service in SERVICES for stage in STAGES]
INFRA = "data.terraform_remote_state.infra.outputs.platform"
INFRA_REF = re.compile(r"data\.terraform_remote_state\.infra\.outputs\.platform\.(\w+)(?:\[\"([^\"]+)\"\])?")
# Requirements known to have no wheel for the python3.11 Lambda runtime (Amazon Linux 2, glibc 2.26). The speech
# pins (numpy 2.2, PyAV 13) are chosen to have one, so none is expected; a new one fails here.
KNOWN_MISSING_WHEELS: dict[str, set[str]] = {}
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024


@pytest.fixture(params=PAIRS, ids=lambda p: f"{p[0]}-{p[1]}")
def package(request, packages) -> Packaged:
    return packages[request.param]


def _functions(package: Packaged) -> dict:
    return package.chalice["resource"]["aws_lambda_function"]


def _statements(package: Packaged) -> list[dict]:
    return package.additions["data"]["aws_iam_policy_document"]["service"]["statement"]


# --- Terraform accepts it ----------------------------------------------------------------------------


def test_chalice_version_pins_and_null_data_source_are_gone(package: Packaged):
    doc = package.chalice
    assert "terraform" not in doc
    assert "null_data_source" not in json.dumps(doc)
    assert "stage_name" not in doc["resource"].get("aws_api_gateway_deployment", {}).get("rest_api", {})
    assert 'required_version = ">= 1.5.0"' in (package.directory / "versions.tf").read_text()


@pytest.mark.skipif(terraform_binary() is None, reason="terraform is not installed")
def test_terraform_accepts_the_packaged_directory(package: Packaged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fmt = terraform(["fmt", "-check", "-no-color"], cwd=package.directory)
    assert fmt.returncode == 0, f"generated HCL is not formatted: {fmt.stdout}"
    monkeypatch.setenv("TF_DATA_DIR", str(tmp_path / ".terraform"))
    mirror = plugin_dir()
    init = ["init", "-backend=false", "-input=false", "-no-color"] + ([f"-plugin-dir={mirror}"] if mirror else [])
    result = terraform(init, cwd=package.directory)
    output = result.stdout + result.stderr
    assert "Unsupported Terraform Core version" not in output, output
    assert "Invalid" not in output, output
    if mirror:
        assert result.returncode == 0, output
        validate = terraform(["validate", "-no-color"], cwd=package.directory)
        assert validate.returncode == 0, validate.stdout + validate.stderr


def test_the_root_exports_the_platform_the_services_read(package: Packaged):
    root = ENVIRONMENTS / package.stage
    assert blocks(root, "output")["platform"]["value"] == "${module.platform}"
    assert blocks(root, "module")["platform"]["source"] == "../../modules/platform"


def test_every_root_output_the_service_reads_exists(package: Packaged):
    outputs = blocks(MODULES / "platform", "output")
    keys = {
        "dynamodb_table_arns": {t.logical for t in catalogue.TABLES},
        "sqs_queue_arns": {q.logical for q in catalogue.QUEUES},
        "s3_bucket_arns": {b.logical for b in catalogue.BUCKETS},
        "secretsmanager_secret_arns": set(blocks(MODULES / "secrets", "variable")["secrets"]["default"])
        | set(blocks(MODULES / "secrets", "variable")["generated_secrets"]["default"]),
    }
    text = json.dumps(package.chalice) + json.dumps(package.additions)
    used = INFRA_REF.findall(text)
    assert used, "the service reads nothing from the infrastructure root"
    for output, key in used:
        assert output in outputs, f"{package.service} reads {output}, which the platform does not output"
        if key:
            assert key in keys[output], f"{package.service} reads {output}[{key!r}], which does not exist"


# --- SQS ---------------------------------------------------------------------------------------------


def test_sqs_mappings_report_partial_batches_and_outlive_no_visibility_timeout(package: Packaged):
    functions = _functions(package)
    mappings = package.chalice["resource"].get("aws_lambda_event_source_mapping", {})
    for name, mapping in mappings.items():
        match = re.fullmatch(rf'\$\{{{re.escape(INFRA)}\.sqs_queue_arns\["([\w-]+)"\]\}}', mapping["event_source_arn"])
        assert match, f"{name}: queue ARN not from the infrastructure root: {mapping['event_source_arn']}"
        queue = catalogue.queue(match.group(1))
        assert queue.consumer == package.service, f"{package.service} consumes {queue.logical}"
        assert mapping["function_response_types"] == ["ReportBatchItemFailures"]
        assert mapping["batch_size"] == queue.batch_size, f"{name}: batch size differs from the catalogue"
        function = re.fullmatch(r"\$\{aws_lambda_alias\.([\w-]+)\.arn\}", mapping["function_name"]).group(1)
        assert functions[function]["timeout"] < queue.visibility_timeout, (
            f"{function} may run {functions[function]['timeout']} s; {queue.logical} shows it again after "
            f"{queue.visibility_timeout} s"
        )
    assert len(mappings) == len(package.report["consumed_queues"])


def test_services_with_queue_handlers_have_their_mappings(packages):
    # The matching app registers its events consumer today; if this fails, the mapping was lost.
    assert packages[("matching", "dev")].report["consumed_queues"] == {"project_identity_events": "matching-events"}


# --- settings ----------------------------------------------------------------------------------------


def test_every_function_gets_its_settings_from_the_root_outputs(package: Packaged):
    access = catalogue.access_of(package.service)
    for name, function in _functions(package).items():
        env = function["environment"]["variables"]
        assert env["SPEAKTRACKER_STAGE"] == package.stage
        assert env["SPEAKTRACKER_RESOURCE_NAMES"] == f"${{jsonencode({INFRA}.resource_names)}}"
        assert env["SPEAKTRACKER_COGNITO_USER_POOL_ID"] == f"${{{INFRA}.cognito_user_pool_id}}"
        assert env["SPEAKTRACKER_COGNITO_CLIENT_ID"] == f"${{{INFRA}.cognito_user_pool_client_id}}"
        assert ("SPEAKTRACKER_EVENTS_TOPIC_ARN" in env) == access.publishes_events, name
        assert ("SPEAKTRACKER_ANTHROPIC_SECRET_ID" in env) == ("secretsmanager" in access.aws_apis), name
        platform_secret = f'${{{INFRA}.secretsmanager_secret_arns["{catalogue.PLATFORM_SECRET}"]}}'
        assert env.get("SPEAKTRACKER_PLATFORM_SECRET_ID") == (platform_secret if access.platform_secret else None)
        assert "SPEAKTRACKER_PLATFORM_SECRET" not in env, name  # the value stays in Secrets Manager
        assert "SPEAKTRACKER_ANTHROPIC_API_KEY" not in env and not any("sk-ant" in v for v in env.values())
        if package.service == "practice":  # native-voice audio through CloudFront's /tts/* behaviour
            assert env["SPEAKTRACKER_AUDIO_BASE_URL"] == f"https://${{{INFRA}.cloudfront_distribution_domain_name}}"
        else:
            assert "SPEAKTRACKER_AUDIO_BASE_URL" not in env, name
        if package.report["websocket"]:
            assert env["SPEAKTRACKER_WEBSOCKET_MANAGEMENT_URL"].startswith(
                "https://${aws_apigatewayv2_api.websocket_api.id}.execute-api."
            )


def test_code_is_uploaded_through_s3_and_fits_lambda(package: Packaged):
    if package.report["package_type"] == "Image":
        pytest.skip("an image function's code is its ECR image (test_image_packaging.py)")
    for name, function in _functions(package).items():
        assert "filename" not in function
        assert function["s3_bucket"] == "${aws_s3_object.deployment.bucket}", name
    assert (
        package.additions["resource"]["aws_s3_object"]["deployment"]["bucket"]
        == f"${{{INFRA}.lambda_artifacts_bucket_name}}"
    )
    assert package.report["unzipped_bytes"] <= LAMBDA_UNZIPPED_LIMIT


def test_every_requirement_has_a_lambda_wheel_except_the_known_ones(package: Packaged):
    missing = set(package.report["missing_lambda_wheels"])
    assert missing <= KNOWN_MISSING_WHEELS.get(package.service, set()), (
        f"{package.service}: no Lambda wheel for {sorted(missing)}"
    )


def test_every_function_has_a_log_group_with_the_root_retention(package: Packaged):
    groups = package.additions["resource"]["aws_cloudwatch_log_group"]
    for name, function in _functions(package).items():
        assert groups[name]["name"] == f"/aws/lambda/{function['function_name']}"
        assert groups[name]["retention_in_days"] == f"${{{INFRA}.lambda_log_retention_days}}"
        assert f"aws_cloudwatch_log_group.{name}" in function["depends_on"]


def test_the_rest_api_is_throttled(package: Packaged):
    settings = package.additions["resource"]["aws_api_gateway_method_settings"]["rest_api"]
    assert settings["method_path"] == "*/*"
    assert settings["settings"] == {"throttling_rate_limit": 100, "throttling_burst_limit": 200}
    assert package.chalice["resource"]["aws_api_gateway_stage"]["rest_api"]["stage_name"] == settings[
        "stage_name"
    ].replace("${aws_api_gateway_stage.rest_api.stage_name}", "api")


# --- least privilege ---------------------------------------------------------------------------------


def test_the_role_uses_only_the_derived_policy(package: Packaged):
    resources = package.chalice["resource"]
    policies = resources["aws_iam_role_policy"]
    assert policies and all(p["policy"] == "${data.aws_iam_policy_document.service.json}" for p in policies.values())
    assert "aws_iam_role_policy_attachment" not in resources
    assert all("managed_policy_arns" not in role for role in resources["aws_iam_role"].values())


def _owner_of(resource: str, package: Packaged) -> tuple[str, str]:
    """(kind, name) of the resource an ARN expression points at."""
    patterns = [
        (r"\$\{aws_cloudwatch_log_group\.([\w-]+)\.arn\}:\*", "log"),
        (rf'\$\{{{re.escape(INFRA)}\.dynamodb_table_arns\["([\w-]+)"\]\}}(?:/index/\*)?', "table"),
        (rf'\$\{{{re.escape(INFRA)}\.sqs_queue_arns\["([\w-]+)"\]\}}', "queue"),
        (rf"\$\{{{re.escape(INFRA)}\.(sns_topic_arn)\}}", "topic"),
        (rf'\$\{{{re.escape(INFRA)}\.s3_bucket_arns\["user-content"\]\}}/([\w-]+/)\*', "prefix"),
        (rf'\$\{{{re.escape(INFRA)}\.s3_bucket_arns\["(user-content)"\]\}}', "bucket"),
        (rf"\$\{{{re.escape(INFRA)}\.(cognito_user_pool_arn)\}}", "cognito-idp"),
        (rf'\$\{{{re.escape(INFRA)}\.secretsmanager_secret_arns\["(anthropic-api-key)"\]\}}', "secretsmanager"),
        (rf'\$\{{{re.escape(INFRA)}\.secretsmanager_secret_arns\["(platform-secret)"\]\}}', "platform-secret"),
        (r"\$\{aws_apigatewayv2_api\.(websocket_api)\.execution_arn\}/\*/\*/@connections/\*", "execute-api"),
        (r"arn:\$\{data\.aws_partition\.chalice\.partition\}:bedrock:[a-z0-9-]+::foundation-model/(.+)", "bedrock"),
        (
            r"arn:\$\{data\.aws_partition\.chalice\.partition\}:(ses|polly|transcribe):"
            r"\$\{data\.aws_region\.chalice\.name\}:\$\{data\.aws_caller_identity\.chalice\.account_id\}:"
            r"(?:identity|lexicon|transcription-job)/\*",
            "api",
        ),
    ]
    for pattern, kind in patterns:
        match = re.fullmatch(pattern, resource)
        if match:
            return kind, match.group(1)
    raise AssertionError(f"{package.service}: policy names an unknown resource {resource!r}")


def test_only_conversation_may_invoke_a_model_and_only_nova_canvas_in_its_region(package: Packaged):
    model = [st for st in _statements(package) if any(a.startswith("bedrock:") for a in st["actions"])]
    if package.service != "conversation":
        assert model == []
        return
    arn = (
        "arn:${data.aws_partition.chalice.partition}:bedrock:"
        f"{catalogue.IMAGE_MODEL_REGION}::foundation-model/{catalogue.IMAGE_MODEL_ID}"
    )
    assert [(st["actions"], st["resources"]) for st in model] == [(["bedrock:InvokeModel"], [arn])]


def test_the_policy_names_only_the_services_own_resources(package: Packaged):
    access = catalogue.access_of(package.service)
    own_tables = {t.logical for t in catalogue.tables_of(package.service) + catalogue.shared_tables()}
    consumed = {q.logical for q in catalogue.queues_consumed_by(package.service)}
    allowed = {
        "log": set(package.report["functions"]),
        "table": own_tables,
        "queue": consumed | set(access.sends_to),
        "topic": {"sns_topic_arn"} if access.publishes_events else set(),
        "prefix": set(access.bucket_prefixes),
        "bucket": {"user-content"} if access.bucket_prefixes else set(),
        "cognito-idp": {"cognito_user_pool_arn"} if "cognito-idp" in access.aws_apis else set(),
        "secretsmanager": {"anthropic-api-key"} if "secretsmanager" in access.aws_apis else set(),
        "platform-secret": {catalogue.PLATFORM_SECRET} if access.platform_secret else set(),
        "execute-api": {"websocket_api"} if "execute-api" in access.aws_apis else set(),
        "bedrock": {catalogue.IMAGE_MODEL_ID} if "bedrock" in access.aws_apis else set(),
        "api": {a for a in access.aws_apis if a in ("ses", "polly", "transcribe")},
    }
    seen: dict[str, set[str]] = {kind: set() for kind in allowed}
    for st in _statements(package):
        assert st["effect"] == "Allow"
        for action in st["actions"]:
            assert "*" not in action, f"wildcard action {action}"
        if st["resources"] == ["*"]:
            # X-Ray alone has no resource-level permissions; it only writes trace segments.
            assert st["actions"] == ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], st["sid"]
            continue
        for resource in st["resources"]:
            assert resource != "*", f"{st['sid']} grants on every resource"
            kind, name = _owner_of(resource, package)
            assert name in allowed[kind], f"{package.service} may touch {kind} {name!r}, which is not its own"
            seen[kind].add(name)
            if kind == "queue":
                sqs = {a for a in st["actions"]}
                if name not in consumed:
                    assert not sqs & {"sqs:ReceiveMessage", "sqs:DeleteMessage"}, f"{name}: may consume"
                if name not in access.sends_to:
                    assert "sqs:SendMessage" not in sqs, f"{name}: may send"
            if kind == "bucket":
                assert st["actions"] == ["s3:ListBucket"] and st["condition"][0]["variable"] == "s3:prefix"
    # And it can do its job: every own table, consumed queue, fed queue and its log groups are there.
    assert seen["table"] == own_tables
    assert seen["queue"] == consumed | set(access.sends_to)
    assert seen["log"] == set(package.report["functions"])
    assert seen["prefix"] == set(access.bucket_prefixes)
    assert seen["platform-secret"] == allowed["platform-secret"]  # it can open its page cursors
