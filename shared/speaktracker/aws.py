"""The one factory for AWS clients: same code for AWS, LocalStack and the embedded emulator."""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config

from .settings import Settings

_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},
    connect_timeout=3,
    read_timeout=10,
    signature_version=None,
    # A Lambda serves one request at a time, but a long-running host (the dev stack's chalice local, a worker
    # process) shares each client across its request threads: with botocore's default of 10, the eleventh
    # concurrent call opens a connection and throws it away afterwards, a TCP handshake per call under load.
    max_pool_connections=64,
)


class AwsClients:
    """Lazily creates and caches one client per service; boto3 clients are thread-safe once made."""

    def __init__(self, settings: Settings, session: boto3.session.Session | None = None) -> None:
        self.settings = settings
        self._session = session or boto3.session.Session(region_name=settings.region)
        self._clients: dict[str, Any] = {}
        self._account: str | None = None
        self._lock = threading.Lock()

    def client(self, service: str) -> Any:
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self._session.client(
                    service,
                    region_name=self.settings.region,
                    endpoint_url=self.settings.aws_endpoint_url,
                    config=_s3_config() if service == "s3" else _CONFIG,
                )
            return self._clients[service]

    def account_id(self) -> str:
        if self._account is None:
            self._account = self.client("sts").get_caller_identity()["Account"]
        return self._account

    def topic_arn(self, logical: str) -> str:
        configured = self.settings.events_topic_arn if logical == "events" else None
        return configured or f"arn:aws:sns:{self.settings.region}:{self.account_id()}:{self.settings.name(logical)}"

    @property
    def session(self) -> boto3.session.Session:
        return self._session


def _s3_config() -> Config:
    # Path-style addressing works against every emulator and keeps presigned URLs on one host.
    return _CONFIG.merge(Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
