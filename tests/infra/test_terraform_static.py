"""The Terraform under terraform/: formatted, modules in the house style, every reference resolvable, and
accepted by this Terraform (version constraints; a full `terraform validate` when a provider mirror is given)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .support import (
    ENVIRONMENTS,
    MODULE_FILES,
    MODULES,
    TERRAFORM,
    blocks,
    load_hcl,
    locals_of,
    module_output_references,
    plugin_dir,
    references,
    resources,
    source_text,
    terraform,
    terraform_binary,
)

MODULE_DIRS = sorted(p for p in MODULES.iterdir() if p.is_dir())
ENV_DIRS = sorted(p for p in ENVIRONMENTS.iterdir() if p.is_dir())
ROOTS = MODULE_DIRS + ENV_DIRS
needs_terraform = pytest.mark.skipif(terraform_binary() is None, reason="terraform is not installed")


def _id(path: Path) -> str:
    return str(path.relative_to(TERRAFORM))


def test_the_layout_has_every_module_and_the_three_stages():
    assert {p.name for p in MODULE_DIRS} >= {"catalogue", "data", "messaging", "storage", "identity", "cdn", "secrets"}
    assert {p.name for p in ENV_DIRS} == {"dev", "staging", "prod"}


@needs_terraform
def test_terraform_fmt_is_clean():
    result = terraform(["fmt", "-check", "-recursive", "-diff", "-no-color"], cwd=TERRAFORM)
    assert result.returncode == 0, f"terraform fmt would change:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("module", MODULE_DIRS, ids=_id)
def test_module_has_the_four_files_and_a_readme(module: Path):
    missing = [name for name in MODULE_FILES if not (module / name).is_file()]
    assert not missing, f"{module.name} lacks {missing}"


@pytest.mark.parametrize("root", ROOTS, ids=_id)
def test_variables_are_typed_and_described_and_never_any(root: Path):
    for name, body in blocks(root, "variable").items():
        assert body.get("description"), f"{_id(root)}: variable {name} has no description"
        assert "type" in body, f"{_id(root)}: variable {name} has no type"
        assert "any" not in str(body["type"]).replace("${", " ").replace("(", " ").split(), (
            f"{_id(root)}: variable {name} uses type any"
        )


@pytest.mark.parametrize("root", ROOTS, ids=_id)
def test_outputs_are_described(root: Path):
    for name, body in blocks(root, "output").items():
        assert body.get("description"), f"{_id(root)}: output {name} has no description"


# Composition modules (the catalogue's values, the social sign-in choice, the platform that wires the modules
# together) own no main resource of their own; every other module does.
RESOURCE_MODULES = [m for m in MODULE_DIRS if m.name not in ("catalogue", "social_login", "platform")]
# Every root or module that calls modules (the platform, and modules using the kms module).
COMPOSITIONS = ENV_DIRS + [m for m in MODULE_DIRS if blocks(m, "module")]


@pytest.mark.parametrize("module", RESOURCE_MODULES, ids=_id)
def test_a_module_names_its_main_resource_this(module: Path):
    names = {name for (_, name) in resources(module)}
    assert "this" in names, f"{module.name}: no resource is named `this` ({sorted(names)})"


@pytest.mark.parametrize("module", RESOURCE_MODULES, ids=_id)
def test_module_outputs_are_named_resource_then_attribute(module: Path):
    prefixes = {rtype.removeprefix("aws_") for (rtype, _) in resources(module)}
    for name in blocks(module, "output"):
        assert any(name.startswith(p + "_") for p in prefixes), (
            f"{module.name}: output {name} is not <resource>_<attribute> for any of {sorted(prefixes)}"
        )


@pytest.mark.parametrize("root", ROOTS, ids=_id)
def test_every_variable_used_is_declared_and_every_declared_one_used(root: Path):
    declared = set(blocks(root, "variable"))
    used = references(source_text(root), "var")
    assert used <= declared, f"{_id(root)} uses undeclared variables {sorted(used - declared)}"
    assert declared <= used, f"{_id(root)} declares unused variables {sorted(declared - used)}"


@pytest.mark.parametrize("root", ROOTS, ids=_id)
def test_every_local_used_is_defined(root: Path):
    used = references(source_text(root), "local")
    defined = set(locals_of(root))
    assert used <= defined, f"{_id(root)} uses undefined locals {sorted(used - defined)}"


@pytest.mark.parametrize("env", COMPOSITIONS, ids=_id)
def test_module_calls_pass_declared_inputs_and_read_existing_outputs(env: Path):
    calls = blocks(env, "module")
    meta_arguments = {"source", "version", "providers", "count", "for_each", "depends_on"}
    for name, call in calls.items():
        module_dir = (env / call["source"]).resolve()
        assert module_dir.parent == MODULES.resolve(), f"module {name} comes from outside terraform/modules"
        assert module_dir != env.resolve(), f"{_id(env)} calls itself"
        variables = blocks(module_dir, "variable")
        passed = set(call) - meta_arguments
        assert passed <= set(variables), f"module {name} is given unknown inputs {sorted(passed - set(variables))}"
        required = {v for v, body in variables.items() if "default" not in body}
        assert required <= passed, f"module {name} misses required inputs {sorted(required - passed)}"

    for module_name, output in module_output_references(source_text(env)):
        assert module_name in calls, f"{_id(env)} reads module.{module_name}, which it does not call"
        module_dir = (env / calls[module_name]["source"]).resolve()
        assert output in blocks(module_dir, "output"), (
            f"{_id(env)} reads module.{module_name}.{output}, which {module_dir.name} does not output"
        )


def test_dev_and_prod_are_thin_instantiations_of_the_platform():
    for env in ENV_DIRS:
        assert set(blocks(env, "module")) == {"platform"}, f"{env.name} composes modules itself"
        assert set(blocks(env, "output")) == {"platform"}
        assert not resources(env), f"{env.name} declares resources: write them once, in the platform module"
    # Each root's own file is main.tf, stage choices only; the rest is linked from terraform/stage/.
    for env in ENV_DIRS:
        own = [p.name for p in env.glob("*.tf") if not p.is_symlink()]
        assert own == ["main.tf"], f"{env.name} has its own {own}: write it once, in terraform/stage/"
        assert not load_hcl(env / "main.tf").keys() - {"locals"}, f"{env.name}/main.tf declares more than locals"
        for linked in env.glob("*.tf"):
            if linked.is_symlink():
                assert linked.resolve() == (TERRAFORM / "stage" / linked.name).resolve(), linked
    choices = {env.name: locals_of(env) for env in ENV_DIRS}
    assert choices["dev"]["protect"] is False and choices["prod"]["protect"] is True
    assert len({frozenset(c) for c in choices.values()}) == 1, "every stage makes the same choices"
    assert blocks(ENVIRONMENTS / "prod", "module")["platform"]["protect"] == "${local.protect}"


@pytest.fixture(scope="session")
def terraform_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """terraform/ copied away: `terraform init` writes lock files next to the configuration."""
    copy = tmp_path_factory.mktemp("tf") / "terraform"
    shutil.copytree(TERRAFORM, copy, ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl"))
    return copy


@needs_terraform
@pytest.mark.parametrize("root", ROOTS, ids=_id)
def test_terraform_accepts_the_configuration(
    root: Path, terraform_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """`terraform init` checks version constraints before it looks for providers; with a provider mirror
    (TF_PLUGIN_DIR) it installs them and `terraform validate` checks every argument against the schema."""
    root = terraform_copy / root.relative_to(TERRAFORM)
    monkeypatch.setenv("TF_DATA_DIR", str(tmp_path / ".terraform"))
    mirror = plugin_dir()
    init = ["init", "-backend=false", "-input=false", "-no-color"]
    if mirror:
        init.append(f"-plugin-dir={mirror}")
    result = terraform(init, cwd=root)
    output = result.stdout + result.stderr
    assert "Unsupported Terraform Core version" not in output, output
    assert "Invalid" not in output and "Unsupported argument" not in output, output
    if mirror:
        assert result.returncode == 0, output
        validate = terraform(["validate", "-no-color"], cwd=root)
        assert validate.returncode == 0, validate.stdout + validate.stderr
