"""``config.json`` for the SPA on AWS, from the Terraform outputs: the region from the infrastructure root, each
service's REST URL (chalice's ``EndpointURL`` output) and the notifications WebSocket URL
(``WebsocketConnectEndpointURL``). ``make deploy-web`` uploads it beside the bundle; the SPA reads nothing else.

    python scripts/web_config.py --stage dev > web/dist/config.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("identity", "matching", "practice", "conversation", "notifications")


class MissingOutput(RuntimeError):
    pass


def terraform_outputs(directory: Path, terraform: str = "terraform") -> dict[str, Any]:
    """``terraform output -json`` of a root, as plain values."""
    done = subprocess.run([terraform, f"-chdir={directory}", "output", "-json"], capture_output=True, text=True)
    if done.returncode != 0:
        raise MissingOutput(f"terraform output in {directory} failed (deployed? initialised?):\n{done.stderr}")
    return {name: entry["value"] for name, entry in json.loads(done.stdout or "{}").items()}


def web_config(infra: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The document the SPA reads at start: the same shape the dev stack serves, without ``devMailbox``."""
    missing = [name for name in SERVICES if not services.get(name, {}).get("EndpointURL")]
    if missing:
        raise MissingOutput(f"no EndpointURL output for {', '.join(missing)}: run `make deploy SERVICE=<name>` first")
    websocket = services["notifications"].get("WebsocketConnectEndpointURL")
    if not websocket:
        raise MissingOutput("notifications has no WebsocketConnectEndpointURL output")
    return {
        "region": infra["region"],
        "services": {name: services[name]["EndpointURL"].rstrip("/") for name in SERVICES},
        "websocket": websocket.rstrip("/"),
    }


def main(argv: list[str] | None = None, outputs: Callable[[Path], dict[str, Any]] = terraform_outputs) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev")
    args = parser.parse_args(argv)
    infra = outputs(ROOT / "terraform" / "environments" / args.stage)
    services = {name: outputs(ROOT / "build" / "services" / name / args.stage / "terraform") for name in SERVICES}
    try:
        print(json.dumps(web_config(infra, services), indent=2))
    except MissingOutput as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
