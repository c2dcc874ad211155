"""Container-image functions (scripts/package_service.py IMAGE_PACKAGED): the services marked there become
image functions on an ECR repository, with a build context that holds what the image needs, and they keep
everything a zip function has (event sources, IAM, partial batches, log groups, throttling)."""

from __future__ import annotations

import ast
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from package_service import IMAGE_PACKAGED, content_tag

from .conftest import IMAGE_TWIN, SERVICES, STAGES, Packaged
from .support import REPO
from .test_checkov import failures, run_checkov, summary_total

IMAGE_PAIRS = [(service, stage) for service in sorted(IMAGE_PACKAGED) for stage in STAGES]
CODE_ATTRIBUTES = {
    "runtime",
    "handler",
    "s3_bucket",
    "s3_key",
    "source_code_hash",
    "package_type",
    "image_uri",
    "image_config",
    "depends_on",
}


@pytest.fixture(params=IMAGE_PAIRS, ids=lambda p: f"{p[0]}-{p[1]}")
def image(request, packages) -> Packaged:
    return packages[request.param]


def _functions(package: Packaged) -> dict:
    return package.chalice["resource"]["aws_lambda_function"]


def _module_names(path: Path) -> set[str]:
    """Top-level names a module binds (functions and assignments): what a handler `app.<name>` can be."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def _dockerfile_copies(dockerfile: Path) -> list[str]:
    sources = []
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and parts[0] == "COPY" and not any(p.startswith("--from") for p in parts):
            sources += parts[1:-1]
    return sources


def test_conversation_is_image_packaged_and_every_image_service_has_a_dockerfile():
    assert "conversation" in IMAGE_PACKAGED
    assert set(SERVICES) >= IMAGE_PACKAGED
    for service in IMAGE_PACKAGED:
        assert (REPO / "services" / service / "Dockerfile").is_file(), service


def test_only_image_services_are_packaged_as_images(packages):
    for (service, stage), package in packages.items():
        expected = "Image" if service in IMAGE_PACKAGED else "Zip"
        assert package.report["package_type"] == expected, f"{service}-{stage}"
        assert (package.directory / "deployment.zip").exists() == (expected == "Zip")


def test_every_function_runs_the_tagged_image(image: Packaged):
    tag = image.report["image_tag"]
    for name, function in _functions(image).items():
        assert function["package_type"] == "Image", name
        assert function["image_uri"] == f"${{aws_ecr_repository.service.repository_url}}:{tag}", name
        assert not {"runtime", "handler", "s3_bucket", "s3_key", "source_code_hash"} & set(function), name
        assert len(function["image_config"]["command"]) == 1, name
        assert "terraform_data.image" in function["depends_on"], f"{name} may be created before its image"
    assert "aws_s3_object" not in image.additions["resource"]


# Lambda resolves a handler `app.<name>` as a top-level name of app.py (chalice writes `app.` + the function's
# name whatever module defined it): handlers registered inside helper functions (the `register_*` helpers, the
# API Gateway authorizer of speaktracker.http) must be bound in app.py under their own names.
KNOWN_UNRESOLVED_HANDLERS: dict[str, set[str]] = {}
KNOWN_UNRESOLVED_AUTHORIZER: dict[str, set[str]] = {}


@pytest.mark.parametrize("pair", [(s, st) for s in SERVICES for st in STAGES], ids=lambda p: f"{p[0]}-{p[1]}")
def test_every_handler_is_a_top_level_name_of_app_py(pair, packages):
    package = packages[pair]
    app_py = (
        (package.directory / "image" / "app" / "app.py")
        if package.report["package_type"] == "Image"
        else REPO / "services" / package.service / "app.py"
    )
    defined = _module_names(app_py)
    handlers = {
        function["image_config"]["command"][0] if "image_config" in function else function["handler"]
        for function in _functions(package).values()
    }
    unresolved = {h for h in handlers if h.split(".")[0] != "app" or h.split(".")[1] not in defined}
    known = KNOWN_UNRESOLVED_HANDLERS.get(package.service, set()) | KNOWN_UNRESOLVED_AUTHORIZER.get(
        package.stage, set()
    )
    assert unresolved == known & handlers, f"{package.service}: Lambda cannot find {sorted(unresolved)} in app.py"


def test_the_repository_scans_on_push_keeps_tags_immutable_is_kms_encrypted_and_expires_old_images(image: Packaged):
    resources = image.additions["resource"]
    repository = resources["aws_ecr_repository"]["service"]
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert repository["image_scanning_configuration"] == {"scan_on_push": True}
    assert repository["encryption_configuration"]["encryption_type"] == "KMS"
    assert repository["name"].endswith(f"-{image.service}")
    rules = json.loads(resources["aws_ecr_lifecycle_policy"]["service"]["policy"])["rules"]
    selections = {r["selection"]["tagStatus"]: r["selection"] for r in rules}
    assert selections["untagged"]["countType"] == "sinceImagePushed"
    assert selections["any"]["countType"] == "imageCountMoreThan" and selections["any"]["countNumber"] >= 2
    assert all(r["action"]["type"] == "expire" for r in rules)
    # ECR requires the `any` rule to be evaluated last.
    assert max(rules, key=lambda r: r["rulePriority"])["selection"]["tagStatus"] == "any"
    # Only Lambda, for this service's functions of this stage, may pull.
    [pull] = json.loads(resources["aws_ecr_repository_policy"]["service"]["policy"])["Statement"]
    assert pull["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert sorted(pull["Action"]) == ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    source = pull["Condition"]["StringLike"]["aws:sourceArn"]
    assert source.endswith(f":function:speaktracker-{image.service}-{image.stage}*"), source


def test_the_image_is_pushed_once_per_content(image: Packaged):
    push = image.additions["resource"]["terraform_data"]["image"]
    tag = image.report["image_tag"]
    assert push["triggers_replace"] == [f"${{aws_ecr_repository.service.repository_url}}:{tag}"]
    exec_ = push["provisioner"][0]["local-exec"]
    assert exec_["environment"]["IMAGE_TAG"] == tag
    script = (image.directory / exec_["command"].split("/")[-1]).read_text(encoding="utf-8")
    assert "docker build" in script and "docker push" in script and "--provenance=false" in script
    assert "describe-images" in script  # an immutable tag that exists is not pushed again


def test_the_build_context_holds_what_the_image_needs(image: Packaged):
    context = image.directory / "image"
    files = image.report["image_context"]
    assert sorted(str(p.relative_to(context)) for p in context.rglob("*") if p.is_file()) == files
    service = REPO / "services" / image.service
    assert (context / "Dockerfile").read_bytes() == (service / "Dockerfile").read_bytes()
    assert not (image.directory / "deployment.zip").exists()
    assert (context / "requirements.txt").read_bytes() == (service / "requirements.txt").read_bytes()
    assert any(re.fullmatch(r"wheels/speaktracker_shared-[\w.]+-py3-none-any\.whl", f) for f in files)
    assert {"app/app.py", "app/chalice/__init__.py", "app/chalice/app.py"} <= set(files)
    for source in sorted((service / "chalicelib").rglob("*.py")):
        copied = context / "app" / "chalicelib" / source.relative_to(service / "chalicelib")
        assert copied.read_bytes() == source.read_bytes(), f"{copied} differs from the service's"
    for source in _dockerfile_copies(context / "Dockerfile"):
        assert (context / source).exists(), f"the Dockerfile copies {source}, which the context lacks"


def test_the_tag_follows_the_content_and_ignores_when_a_wheel_was_built(image: Packaged, tmp_path: Path):
    files = image.report["image_context"]
    context = tmp_path / "image"
    shutil.copytree(image.directory / "image", context)
    assert content_tag(context, files) == image.report["image_tag"]
    # The same wheel rebuilt later (other timestamps, other member order): the same tag.
    [wheel] = [context / f for f in files if f.endswith(".whl")]
    with zipfile.ZipFile(wheel) as original:
        members = [(info.filename, original.read(info)) for info in original.infolist()]
    with zipfile.ZipFile(wheel, "w") as rebuilt:
        for member, data in reversed(members):
            rebuilt.writestr(zipfile.ZipInfo(member, date_time=(2030, 1, 1, 0, 0, 0)), data)
    assert content_tag(context, files) == image.report["image_tag"]
    # Any change of the code: another tag.
    app = context / "app" / "app.py"
    app.write_text(app.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert content_tag(context, files) != image.report["image_tag"]


def test_the_dockerfile_builds_on_the_lambda_base_image_of_the_zip_runtime(image: Packaged):
    text = (image.directory / "image" / "Dockerfile").read_text(encoding="utf-8")
    version = image.report["runtime"].removeprefix("python")
    assert re.search(rf"^FROM public\.ecr\.aws/lambda/python:{re.escape(version)}\s*$", text, re.M), text
    assert re.search(r'--target "\$\{LAMBDA_TASK_ROOT\}"', text)
    assert "requirements.txt" in text and "wheels/" in text


# --- an image function keeps what its zip twin has ----------------------------------------------------


def _without_code(resources: dict) -> dict:
    out = json.loads(json.dumps(resources))
    for function in out["aws_lambda_function"].values():
        for attribute in CODE_ATTRIBUTES:
            function.pop(attribute, None)
    return out


@pytest.mark.parametrize("stage", STAGES)
def test_an_image_function_keeps_its_event_sources_iam_logs_and_throttling(stage, packages, image_twin):
    zip_, image = packages[(IMAGE_TWIN, stage)], image_twin[stage]
    zip_resources, image_resources = zip_.chalice["resource"], image.chalice["resource"]
    assert image_resources["aws_lambda_event_source_mapping"], "the twin must consume a queue"
    assert image_resources["aws_lambda_event_source_mapping"] == zip_resources["aws_lambda_event_source_mapping"]
    for mapping in image_resources["aws_lambda_event_source_mapping"].values():
        assert mapping["function_response_types"] == ["ReportBatchItemFailures"]
    assert _without_code(image_resources) == _without_code(zip_resources)
    for kind in ("aws_cloudwatch_log_group", "aws_api_gateway_method_settings"):
        assert image.additions["resource"][kind] == zip_.additions["resource"][kind], kind
    assert image.additions["data"]["aws_iam_policy_document"] == zip_.additions["data"]["aws_iam_policy_document"]
    assert image.report["consumed_queues"] == zip_.report["consumed_queues"]


# --- checkov -----------------------------------------------------------------------------------------


def test_checkov_passes_on_the_image_twin_and_checks_the_repository(image_twin):
    args = ["--config-file", str(REPO / "terraform" / "checkov" / "services.yaml")]
    for package in image_twin.values():
        args += ["--directory", str(package.directory)]
    reports = run_checkov(args)
    assert not failures(reports), "\n".join(failures(reports))
    # ECR: immutable tags, scan on push, KMS encryption; each really evaluated on each repository.
    ecr = ["CKV_AWS_51", "CKV_AWS_163", "CKV_AWS_136"]
    args = ["--framework", "terraform_json", "--skip-download", "--check", ",".join(ecr)]
    for package in image_twin.values():
        args += ["--directory", str(package.directory)]
    reports = run_checkov(args)
    passed = [c for r in reports for c in r.get("results", {}).get("passed_checks", [])]
    assert not failures(reports), failures(reports)
    assert {c["check_id"] for c in passed} == set(ecr), passed
    assert {c["file_path"].rsplit("/", 1)[-1] for c in passed} == {"speaktracker.tf.json"}


def test_checkov_passes_on_every_dockerfile():
    dockerfiles = sorted((REPO / "services").glob("*/Dockerfile"))
    assert dockerfiles
    args = ["--framework", "dockerfile", "--skip-download", "--compact", "--quiet"]
    for dockerfile in dockerfiles:
        args += ["--file", str(dockerfile)]
    reports = run_checkov(args)
    assert not failures(reports), "\n".join(failures(reports))
    assert summary_total(reports, "passed") >= 10 * len(dockerfiles)
