"""The analytics archive's privacy in AWS: Firehose hands every record to a transformation Lambda (the shared
``speaktracker.analytics_archive.firehose_handler``, the dev sink's rules) before it partitions and writes, with
least privilege on both sides, and the function's package runs on Lambda's runtime as built."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from package_analytics_transform import DEFAULT_OUT, HANDLER, LAMBDA_PYTHON, package
from package_service import RUNTIME_PROVIDED
from speaktracker import catalogue
from speaktracker.events import UserRegistered
from speaktracker.privacy import platform_pseudonyms
from support.firehose import invocation, record_of

from .support import MODULES, REPO, TERRAFORM, blocks, load_hcl, locals_of, resources

ANALYTICS = MODULES / "analytics"
FUNCTION = "${aws_lambda_function.transform.arn}"


def policy(name: str) -> dict:
    [body] = [
        documents[name]
        for block in load_hcl(ANALYTICS / "main.tf").get("data", [])
        for kind, documents in block.items()
        if kind == "aws_iam_policy_document" and name in documents
    ]
    return body


def statements(document: dict) -> list[dict]:
    dynamic = [d["statement"]["content"][0] for d in document.get("dynamic", []) if "statement" in d]
    return [*document.get("statement", []), *dynamic]


def stream_processors() -> list[dict]:
    stream = resources(ANALYTICS)[("aws_kinesis_firehose_delivery_stream", "this")]
    return stream["extended_s3_configuration"][0]["processing_configuration"][0]["processors"]


def test_every_record_is_transformed_by_the_function_before_it_is_partitioned():
    processors = stream_processors()
    assert [p["type"] for p in processors][:2] == ["Lambda", "MetadataExtraction"]
    parameters = {p["parameter_name"]: p["parameter_value"] for p in processors[0]["parameters"]}
    assert parameters["LambdaArn"] == FUNCTION
    # Lambda's response limit is 6 MB; Firehose's buffer for the function is at most 3 MB.
    assert 0.2 <= float(parameters["BufferSizeInMBs"]) <= 3
    assert int(parameters["NumberOfRetries"]) >= 1
    # A record the function fails goes under errors/ (processing-failed), which expires after 30 days.
    s3 = resources(ANALYTICS)[("aws_kinesis_firehose_delivery_stream", "this")]["extended_s3_configuration"][0]
    assert s3["error_output_prefix"].startswith("errors/!{firehose:error-output-type}/")


def test_the_function_is_the_shared_handler_as_packaged():
    function = resources(ANALYTICS)[("aws_lambda_function", "transform")]
    assert function["handler"] == HANDLER
    module, attribute = HANDLER.rsplit(".", 1)
    assert callable(getattr(importlib.import_module(module), attribute))
    assert function["runtime"] == f"python{LAMBDA_PYTHON}" and function["architectures"] == ["x86_64"]
    assert function["filename"] == "${var.transform_package}"
    assert function["source_code_hash"] == "${filebase64sha256(var.transform_package)}"
    assert function["environment"][0]["variables"] == {"SPEAKTRACKER_PLATFORM_SECRET_ID": "${var.platform_secret_arn}"}
    assert function["function_name"] == "${local.transform_name}"
    assert locals_of(ANALYTICS)["transform_name"] == "${var.name_prefix}-analytics-transform"
    # Its log group is the one Lambda writes to, kept for a set time, encrypted.
    logs = resources(ANALYTICS)[("aws_cloudwatch_log_group", "transform")]
    assert logs["name"] == "/aws/lambda/${local.transform_name}"
    assert logs["retention_in_days"] == "${var.log_retention_days}" and logs["kms_key_id"]
    assert "${aws_cloudwatch_log_group.transform}" in function["depends_on"]


def test_firehose_may_invoke_exactly_that_function():
    lambda_statements = [
        s for s in statements(policy("firehose")) if any(a.startswith("lambda:") for a in s["actions"])
    ]
    assert lambda_statements == [
        {
            "sid": "TransformTheRecords",
            "actions": ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"],
            "resources": [FUNCTION],
        }
    ]


def test_the_function_may_read_only_the_platform_secret_and_write_only_its_logs():
    role = resources(ANALYTICS)[("aws_iam_role", "transform")]
    assert role["assume_role_policy"] == '${data.aws_iam_policy_document.trust["lambda"].json}'
    by_sid = {s["sid"]: s for s in statements(policy("transform"))}
    assert set(by_sid) == {"ReadThePlatformSecret", "DecryptThePlatformSecret", "WriteItsLogs", "Trace"}
    assert by_sid["ReadThePlatformSecret"]["actions"] == ["secretsmanager:GetSecretValue"]
    assert by_sid["ReadThePlatformSecret"]["resources"] == ["${var.platform_secret_arn}"]
    decrypt = by_sid["DecryptThePlatformSecret"]
    assert decrypt["actions"] == ["kms:Decrypt"] and decrypt["resources"] == ["${statement.value}"]
    assert decrypt["condition"][0]["variable"] == "kms:ViaService"
    assert by_sid["WriteItsLogs"]["resources"] == ["${aws_cloudwatch_log_group.transform.arn}:*"]
    # "*" only where the action has no resource to name (X-Ray).
    for sid, statement in by_sid.items():
        if "*" in statement["resources"]:
            assert all(a.startswith("xray:") for a in statement["actions"]), sid


def test_the_platform_gives_it_the_stages_platform_secret_and_the_built_package():
    analytics = blocks(MODULES / "platform", "module")["analytics"]
    assert analytics["platform_secret_arn"] == (
        f'${{module.secrets.secretsmanager_secret_arns["{catalogue.PLATFORM_SECRET}"]}}'
    )
    assert analytics["transform_package"] == "${var.analytics_transform_package}"
    [root] = [b for b in load_hcl(TERRAFORM / "stage" / "platform.tf")["module"] if "platform" in b]
    path = root["platform"]["analytics_transform_package"]
    assert path.startswith("${path.root}/")
    # The stage root runs in terraform/environments/<stage>/: the path is where the packaging writes the zip.
    stage_dir = TERRAFORM / "environments" / "dev"
    assert (stage_dir / path.removeprefix("${path.root}/")).resolve() == DEFAULT_OUT.resolve()
    makefile = (REPO / "mk" / "analytics.mk").read_text(encoding="utf-8")
    assert f"ANALYTICS_TRANSFORM_ZIP := {DEFAULT_OUT.relative_to(REPO)}" in makefile
    assert "deploy-infra destroy-infra: analytics-transform-package" in makefile


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    zip_path = package(tmp_path_factory.mktemp("transform") / "analytics-transform.zip")
    root = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root)
    return root


def runtime_provided(tmp: Path) -> Path:
    """What Lambda's Python runtime brings (boto3 and its dependencies), linked from this environment alone."""
    provided = tmp / "runtime"
    provided.mkdir()
    for name in (*RUNTIME_PROVIDED, "dateutil", "urllib3", "six"):
        module = importlib.import_module(name)
        source = Path(module.__file__)
        source = source.parent if source.name == "__init__.py" else source
        (provided / source.name).symlink_to(source)
    return provided


def test_the_package_runs_on_lambdas_runtime_with_nothing_else(unzipped: Path, tmp_path: Path):
    assert not any((unzipped / name).exists() for name in RUNTIME_PROVIDED)  # the runtime's own, left out
    assert list(unzipped.glob("pydantic_core/_pydantic_core.cpython-311-x86_64-linux-gnu.so"))
    if sys.version_info[:2] != tuple(int(n) for n in LAMBDA_PYTHON.split(".")):
        pytest.skip(f"the package's native wheels are for Python {LAMBDA_PYTHON}")
    secret = "stage-secret-0123456789abcdef0123456789abcdef"
    event = UserRegistered(email="kim@example.com", name="김학생", role="student").to_json()
    module, attribute = HANDLER.rsplit(".", 1)
    program = (
        "import json, sys\n"
        f"sys.path[:0] = [{str(unzipped)!r}, {str(runtime_provided(tmp_path))!r}]\n"
        f"from {module} import {attribute} as handler\n"
        "print(json.dumps(handler(json.loads(sys.stdin.read()), None)))\n"
    )
    # -I -S: no site-packages, no PYTHONPATH, no user site: only the standard library, the zip and the runtime's.
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", program],
        input=json.dumps(invocation(event)),
        text=True,
        capture_output=True,
        env={"SPEAKTRACKER_PLATFORM_SECRET": secret, "AWS_REGION": "ap-northeast-2"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [answer] = json.loads(result.stdout)["records"]
    archived = record_of(answer)
    assert answer["result"] == "Ok" and archived["email"] == platform_pseudonyms(secret).of("kim@example.com")
