"""The AWS emulator for integration tests: moto's server on a free loopback port, the resource catalogue
bootstrapped into it exactly as the dev stack does, real Cognito users and their real access tokens.

    with Emulator() as aws:            # or the ``emulator`` fixture in a conftest
        token = aws.user("kim@example.com", "student").access_token

The environment is pointed at the emulator (``AWS_ENDPOINT_URL``, pool and client ids) and the cached
settings are reset, so a service's ``get_settings()`` and wiring see it.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from typing import Any

import boto3
from moto.server import ThreadedMotoServer
from speaktracker.settings import Settings, reset_settings
from speaktracker_dev.users import create_signed_in_user

from .platform_secret import TEST_PLATFORM_SECRET

REGION = "ap-northeast-2"
PASSWORD = "Str0ng!Pass"
_FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


@dataclass(frozen=True)
class TestUser:
    email: str
    role: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}", "Content-Type": "application/json"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    def __init__(self, stage: str = "test") -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.stage = stage
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._saved_env: dict[str, str | None] = {}
        self.outputs: dict[str, Any] = {}

    def __enter__(self) -> Emulator:
        self._server.start()
        self._set_env(
            {
                **_FAKE_CREDENTIALS,
                "AWS_ENDPOINT_URL": self.endpoint,
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                "SPEAKTRACKER_STAGE": self.stage,
                # moto checks software-token (TOTP) codes only when asked to (against one fixed secret).
                "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP": "true",
            }
        )
        self.bootstrap()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.stop()
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        reset_settings()

    def bootstrap(self) -> None:
        from speaktracker_dev.bootstrap import bootstrap

        reset_settings()
        self.outputs = bootstrap(Settings())
        self._set_env(
            {
                "SPEAKTRACKER_COGNITO_USER_POOL_ID": self.outputs["user_pool_id"],
                "SPEAKTRACKER_COGNITO_CLIENT_ID": self.outputs["user_pool_client_id"],
                "SPEAKTRACKER_PLATFORM_SECRET_ID": self._platform_secret(),
            }
        )
        reset_settings()

    def _platform_secret(self) -> str:
        """The platform secret in the emulator's Secrets Manager, as Terraform makes it in AWS: the services read
        it by ARN."""
        client = boto3.client("secretsmanager", endpoint_url=self.endpoint, region_name=REGION)
        try:
            return str(client.create_secret(Name="platform-secret", SecretString=TEST_PLATFORM_SECRET)["ARN"])
        except client.exceptions.ResourceExistsException:  # bootstrapped again without a reset
            return str(client.describe_secret(SecretId="platform-secret")["ARN"])

    def reset(self) -> None:
        """Forget every resource and bootstrap afresh (between test modules)."""
        import requests

        requests.post(f"{self.endpoint}/moto-api/reset", timeout=10).raise_for_status()
        self.bootstrap()

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint)

    @property
    def settings(self) -> Settings:
        return Settings()

    def user(self, email: str | None = None, role: str = "student", password: str = PASSWORD) -> TestUser:
        """A confirmed Cognito user in the role's group, signed in with the web client."""
        email = (email or f"{role}-{uuid.uuid4().hex[:8]}@example.com").lower()
        auth = create_signed_in_user(
            self.client("cognito-idp"),
            self.outputs["user_pool_id"],
            self.outputs["user_pool_client_id"],
            email,
            role,
            password,
        )
        return TestUser(email, role, auth["AccessToken"], auth["RefreshToken"])

    def child(self, email: str | None = None) -> TestUser:
        """A signed-in student whose guardian has not consented yet (in the consent-pending group)."""
        user = self.user(email or f"child-{uuid.uuid4().hex[:8]}@example.com", "student")
        self._idp_group(user.email, "admin_add_user_to_group")
        return self.refreshed(user)

    def consent(self, user: TestUser) -> TestUser:
        """The guardian consented (identity takes the child out of the group); the refreshed token shows it."""
        self._idp_group(user.email, "admin_remove_user_from_group")
        return self.refreshed(user)

    def refreshed(self, user: TestUser) -> TestUser:
        auth = self.client("cognito-idp").initiate_auth(
            ClientId=self.outputs["user_pool_client_id"],
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": user.refresh_token},
        )["AuthenticationResult"]
        return TestUser(user.email, user.role, auth["AccessToken"], user.refresh_token)

    def _idp_group(self, email: str, action: str) -> None:
        from speaktracker.auth import CONSENT_PENDING_GROUP

        getattr(self.client("cognito-idp"), action)(
            UserPoolId=self.outputs["user_pool_id"], Username=email, GroupName=CONSENT_PENDING_GROUP
        )

    def _set_env(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            self._saved_env.setdefault(name, os.environ.get(name))
            os.environ[name] = value
