"""Collect the deployed services' API URLs for the infrastructure root: the one-origin CloudFront routes each
service's paths to its API Gateway stage, and config.json names the WebSocket URL.

    python scripts/service_origins.py --state-dir .state/aws/dev --out build/origins/aws/dev.tfvars.json
    python scripts/service_origins.py --s3-bucket my-tfstate --s3-prefix speaktracker/dev --out ...

Reads each service's Terraform state (`<service>.tfstate`, local or in the state bucket) for the outputs its
packaged Terraform declares (`EndpointURL`, notifications' `WebsocketConnectEndpointURL`) and writes a tfvars
file with `service_api_urls` and `websocket_url`. A service not deployed yet is left out: its paths then
fall to the SPA bucket until the root is applied again after it (`make deploy-infra`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "shared"))

from speaktracker import catalogue  # noqa: E402

WEBSOCKET_SERVICE = "notifications"


def outputs_of(state: dict[str, Any]) -> dict[str, Any]:
    return {name: output.get("value") for name, output in state.get("outputs", {}).items()}


def collect(read_state: Callable[[str], dict[str, Any] | None]) -> dict[str, Any]:
    """tfvars from each service's state (None for a service that has none)."""
    urls: dict[str, str] = {}
    websocket = None
    for service in (s.context for s in catalogue.SERVICES):
        state = read_state(service)
        if state is None:
            continue
        outputs = outputs_of(state)
        if outputs.get("EndpointURL"):
            urls[service] = outputs["EndpointURL"].rstrip("/")
        if service == WEBSOCKET_SERVICE and outputs.get("WebsocketConnectEndpointURL"):
            websocket = outputs["WebsocketConnectEndpointURL"].rstrip("/")
    return {"service_api_urls": urls, "websocket_url": websocket}


def local_reader(state_dir: Path) -> Callable[[str], dict[str, Any] | None]:
    def read(service: str) -> dict[str, Any] | None:
        path = state_dir / f"{service}.tfstate"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    return read


def s3_reader(bucket: str, prefix: str, region: str) -> Callable[[str], dict[str, Any] | None]:
    import boto3
    from botocore.exceptions import ClientError

    s3 = boto3.client("s3", region_name=region)

    def read(service: str) -> dict[str, Any] | None:
        try:
            body = s3.get_object(Bucket=bucket, Key=f"{prefix.rstrip('/')}/{service}.tfstate")["Body"].read()
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return None
            raise
        return json.loads(body)

    return read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--state-dir", type=Path, help="directory of the local state files")
    parser.add_argument("--s3-bucket", help="state bucket (BACKEND=s3)")
    parser.add_argument("--s3-prefix", default="", help="key prefix of the stage's states, e.g. speaktracker/dev")
    parser.add_argument("--region", default="ap-northeast-2", help="region of the state bucket")
    parser.add_argument("--out", type=Path, required=True, help="tfvars JSON file to write")
    args = parser.parse_args(argv)
    if bool(args.state_dir) == bool(args.s3_bucket):
        parser.error("give exactly one of --state-dir and --s3-bucket")
    reader = local_reader(args.state_dir) if args.state_dir else s3_reader(args.s3_bucket, args.s3_prefix, args.region)
    tfvars = collect(reader)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(tfvars, indent=2) + "\n", encoding="utf-8")
    found = ", ".join(sorted(tfvars["service_api_urls"])) or "none yet"
    print(f"service origins: {found} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
