"""The dev stack's parts against the embedded emulator (moto's server with the dev mailbox), in this process."""

from __future__ import annotations

import os
import threading

import boto3
import pytest
from speaktracker.settings import Settings, reset_settings
from speaktracker_dev.bootstrap import bootstrap
from speaktracker_dev.emulator import make_emulator_server
from support.emulator import REGION, free_port

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
    "SPEAKTRACKER_STAGE": "devstack",
}


class RunningEmulator:
    def __init__(self, endpoint: str, outputs: dict) -> None:
        self.endpoint, self.outputs = endpoint, outputs

    def client(self, service: str):
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint)

    @property
    def settings(self) -> Settings:
        return Settings()


@pytest.fixture(scope="session")
def emulator():
    saved = {
        name: os.environ.get(name)
        for name in [
            *ENVIRONMENT,
            "AWS_ENDPOINT_URL",
            "SPEAKTRACKER_COGNITO_USER_POOL_ID",
            "SPEAKTRACKER_COGNITO_CLIENT_ID",
        ]
    }
    port = free_port()
    server = make_emulator_server("127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ.update({**ENVIRONMENT, "AWS_ENDPOINT_URL": endpoint})
    reset_settings()
    outputs = bootstrap(Settings())
    os.environ.update(
        {
            "SPEAKTRACKER_COGNITO_USER_POOL_ID": outputs["user_pool_id"],
            "SPEAKTRACKER_COGNITO_CLIENT_ID": outputs["user_pool_client_id"],
        }
    )
    reset_settings()
    yield RunningEmulator(endpoint, outputs)
    server.shutdown()
    server.server_close()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    reset_settings()
