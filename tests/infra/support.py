"""Reading Terraform without Terraform: python-hcl2 for HCL, json for the packaged `*.tf.json`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import hcl2

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "terraform"
MODULES = TERRAFORM / "modules"
ENVIRONMENTS = TERRAFORM / "environments"
MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")

_META_KEYS = {"__is_block__", "__comments__", "__start_line__", "__end_line__"}


def plain(value: Any) -> Any:
    """python-hcl2 8 keeps string literals quoted (`'"users"'`) and adds block markers; drop both."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items() if k not in _META_KEYS}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


@cache
def load_hcl(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return plain(hcl2.load(handle))


def tf_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.tf"))


def blocks(directory: Path, kind: str) -> dict[str, dict[str, Any]]:
    """Labelled blocks of one kind (variable, output, module) across a directory, by label."""
    found: dict[str, dict[str, Any]] = {}
    for path in tf_files(directory):
        for block in load_hcl(path).get(kind, []):
            for label, body in block.items():
                assert label not in found, f"{kind} {label!r} declared twice in {directory}"
                found[label] = body
    return found


def resources(directory: Path) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in tf_files(directory):
        for block in load_hcl(path).get("resource", []):
            for rtype, named in block.items():
                for name, body in named.items():
                    found[(rtype, name)] = body
    return found


def locals_of(directory: Path) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in tf_files(directory):
        for block in load_hcl(path).get("locals", []):
            merged.update(block)
    return merged


def source_text(directory: Path, pattern: str = "*.tf") -> str:
    """The directory's Terraform with comments removed, for reference scans."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(directory.glob(pattern)))
    return re.sub(r"(?m)^\s*#.*$", "", text)


def references(text: str, prefix: str) -> set[str]:
    """Names after `prefix.` in expressions: references(text, "var") -> {"name_prefix", ...}."""
    return set(re.findall(rf"(?<![\w.]){re.escape(prefix)}\.([A-Za-z_][\w-]*)", text))


def module_output_references(text: str) -> set[tuple[str, str]]:
    return set(re.findall(r"(?<![\w.])module\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)", text))


def terraform_binary() -> str | None:
    return shutil.which("terraform")


def terraform(args: list[str], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    return subprocess.run(["terraform", *args], cwd=cwd, env=env, text=True, capture_output=True, timeout=timeout)


def plugin_dir() -> Path | None:
    """A local provider mirror (`TF_PLUGIN_DIR`) lets `terraform init` work offline and the tests run a full
    `terraform validate`; without one they stop at the checks Terraform makes before needing providers."""
    value = os.environ.get("TF_PLUGIN_DIR")
    return Path(value) if value and Path(value).is_dir() else None
