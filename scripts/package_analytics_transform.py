"""Package the analytics delivery stream's transformation Lambda (docs/decisions.md, "Analytics privacy in AWS").

    python scripts/package_analytics_transform.py        # -> build/functions/analytics-transform.zip

The function is ``speaktracker.analytics_archive.firehose_handler``: the shared package's fresh wheel and the
Lambda wheels of what that module needs beyond the runtime's boto3 (pydantic for the settings, cryptography for
the platform secret's subkeys), at the versions uv.lock pins, the same steps ``package_service.py`` vendors a
service with. The zip is deterministic (sorted entries, fixed times), so Terraform's ``source_code_hash`` and
the function change only when the code does. ``make deploy-infra`` builds it before Terraform reads it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

from package_service import (
    REPO,
    UNZIPPED_LIMIT,
    PackagingError,
    build_shared_wheel,
    lambda_pip_args,
    prune_vendor,
    run,
)

# terraform/modules/analytics runs it on this runtime (tests/infra/test_analytics.py keeps the two equal).
LAMBDA_PYTHON = "3.11"
HANDLER = "speaktracker.analytics_archive.firehose_handler"
REQUIREMENTS = ("pydantic", "cryptography")
DEFAULT_OUT = REPO / "build" / "functions" / "analytics-transform.zip"
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def locked_versions(lock: Path = REPO / "uv.lock") -> dict[str, str]:
    """Every package uv.lock pins, by name: the function's dependencies resolve to exactly these."""
    packages = tomllib.loads(lock.read_text(encoding="utf-8")).get("package", [])
    return {p["name"]: p["version"] for p in packages if "version" in p}


def install(target: Path, scratch: Path) -> None:
    pins = locked_versions()
    missing = [name for name in REQUIREMENTS if name not in pins]
    if missing:
        raise PackagingError(f"uv.lock pins no version of {', '.join(missing)}")
    constraints = scratch / "constraints.txt"
    constraints.write_text("".join(f"{name}=={version}\n" for name, version in sorted(pins.items())))
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", str(target)]
    run([*pip, *lambda_pip_args(LAMBDA_PYTHON), "-c", str(constraints), *(f"{n}=={pins[n]}" for n in REQUIREMENTS)])
    run([*pip, "--no-deps", str(build_shared_wheel(scratch / "wheels"))])
    prune_vendor(target)
    for cache in target.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def write_zip(root: Path, out: Path) -> int:
    """Zips ``root`` deterministically into ``out``; returns the unzipped size in bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    partial = out.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), _ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = path.read_bytes()
            size += len(data)
            archive.writestr(info, data)
    partial.replace(out)  # Terraform never reads a half-written zip
    return size


def package(out: Path = DEFAULT_OUT) -> Path:
    with tempfile.TemporaryDirectory(prefix="analytics-transform-") as work:
        root, scratch = Path(work) / "package", Path(work) / "scratch"
        scratch.mkdir()
        install(root, scratch)
        module = root / Path(*HANDLER.split(".")[:-1]).with_suffix(".py")
        if not module.is_file():
            raise PackagingError(f"the package has no {module.relative_to(root)}")
        if write_zip(root, out) > UNZIPPED_LIMIT:
            raise PackagingError("the package is over Lambda's 250 MiB unzipped")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        out = package(args.out)
    except PackagingError as error:
        print(f"package analytics-transform: {error}", file=sys.stderr)
        return 1
    print(f"package analytics-transform: {out} ({out.stat().st_size / 2**20:.1f} MiB zip, handler {HANDLER})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
