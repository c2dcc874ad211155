"""One settings class, read once from environment variables, on first use.

The same code runs against AWS, LocalStack and the embedded emulator; only endpoints differ
(``AWS_ENDPOINT_URL``). Resource names follow ``{prefix}-{stage}-{logical}`` unless Terraform passes an
explicit map in ``SPEAKTRACKER_RESOURCE_NAMES`` (JSON: logical name -> physical name).

Each field ``x`` is read from ``SPEAKTRACKER_X`` (any case), except those in ``ENV_NAMES``; values given as
arguments win over the environment. A plain pydantic model does the validation (and names the field in its
errors): pydantic-settings did the same reading but cost every cold start 25-40 ms of imports (asyncio,
argparse, python-dotenv) for features we do not use.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import catalogue

ENV_PREFIX = "SPEAKTRACKER_"
# Fields read from other variables than SPEAKTRACKER_<NAME>, the first one set winning.
ENV_NAMES = {
    "region": ("SPEAKTRACKER_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"),
    "aws_endpoint_url": ("AWS_ENDPOINT_URL",),
}


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    stage: str = "dev"
    resource_prefix: str = "speaktracker"
    resource_names: dict[str, str] = Field(default_factory=dict)

    region: str = "ap-northeast-2"  # SPEAKTRACKER_REGION, AWS_REGION or AWS_DEFAULT_REGION
    # AWS_ENDPOINT_URL: unset in AWS; http://127.0.0.1:4566 for the embedded emulator or LocalStack.
    aws_endpoint_url: str | None = None

    # Cognito. The issuer and JWKS URL are derived from the pool id unless given (the emulator serves the
    # JWKS on its own endpoint, while tokens still name the AWS issuer).
    cognito_user_pool_id: str = ""
    cognito_client_id: str = ""
    cognito_issuer: str | None = None
    cognito_jwks_url: str | None = None
    jwks_cache_seconds: int = 3600
    # Attach the Chalice JWT authorizer to protected routes (API Gateway in AWS). The apps verify tokens
    # themselves in every environment; this adds the same check at the gateway.
    gateway_authorizer: bool = False

    mail_sender: str = "no-reply@speaktracker.app"
    verification_code_ttl_seconds: int = 15 * 60
    verification_code_attempts: int = 5
    # Children's accounts: under this age a guardian consents (PIPA: 14); the consent link's lifetime, the
    # withdrawal link's, and the web app's address the links open.
    consent_age: int = 14
    consent_link_ttl_seconds: int = 7 * 24 * 3600
    withdraw_link_ttl_seconds: int = 365 * 24 * 3600
    web_app_url: str = "http://127.0.0.1:8080"

    # Where browsers fetch native-voice audio (tts/...) by its content-addressed key: the CloudFront
    # distribution in AWS, which caches it for good. Unset (the dev stack), practice hands out presigned links.
    audio_base_url: str | None = None

    # WebSocket management API (API Gateway's @connections); the local gateway in the dev stack.
    websocket_management_url: str | None = None

    # Engines behind the AI ports: a real local engine offline, the AWS / Anthropic one in the cloud.
    speech_engine: Literal["local", "aws"] = "local"
    # Pronunciation assessments in this many worker processes (speaktracker.speech.pool): for a host serving many
    # requests at once (the dev stack sets the CPU count). 0, as in AWS (a Lambda invocation per request): in-process.
    assessment_workers: int = Field(default=0, ge=0)
    llm_engine: Literal["local", "anthropic"] = "local"
    anthropic_secret_id: str | None = None
    anthropic_api_key: str | None = None  # tests and local experiments only; AWS reads the secret
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-sonnet-5-5"
    anthropic_timeout_seconds: float = 20.0
    # Scenario pictures: an emoji illustration offline, Amazon Nova Canvas on Bedrock in AWS (in a region that
    # serves it; the catalogue's IAM grants exactly that model there). The endpoint is for tests' local fake.
    image_engine: Literal["local", "bedrock"] = "local"
    image_model_id: str = catalogue.IMAGE_MODEL_ID
    image_region: str = catalogue.IMAGE_MODEL_REGION
    bedrock_endpoint_url: str | None = None

    # The events topic's ARN (a Terraform output); derived from the caller's account when unset.
    events_topic_arn: str | None = None

    # Abuse limits (seed 002: 100 requests a minute per user). Anonymous routes (sign-up, login, reset ...)
    # count per source IP (a school's classroom may share one) and per email named in the body.
    rate_limit_window_seconds: int = 60
    rate_limit_per_user: int = 100
    rate_limit_per_ip: int = 600
    rate_limit_per_email: int = 20
    # Request bodies: JSON routes, and the routes that carry a recording (10 MB of audio, base64 or multipart).
    max_json_body_bytes: int = 64 * 1024
    max_audio_body_bytes: int = 14 * 1024 * 1024

    # The platform secret every key of the platform's own is derived from (speaktracker.platform_secret): the
    # Secrets Manager ARN in AWS; the value itself only in the dev stack and tests.
    platform_secret_id: str | None = None
    platform_secret: str | None = None

    presigned_url_seconds: int = 900
    # Practice's daily schedule that makes the bank's audio ahead and renews what is about to expire: on in the
    # AWS stages' chalice config; off in the dev stack, whose schedules run at most a minute apart.
    sentence_audio_warming: bool = False
    # How long generate waits for a set's first audio when the library lacks it, making it itself (practice's
    # README, "Text-to-speech"); past it, or at 0, the sentence goes through the TTS queue like the rest.
    first_audio_budget_ms: int = Field(600, ge=0, le=5000)
    # ... and then the set's other sentences wait this long on the queue before a worker sees them: the student is
    # listening to the first meanwhile, and on a shared machine (the dev stack, whose workers share the service's
    # process) the first gets the CPU instead of competing with the rest.
    first_audio_head_start_seconds: int = Field(2, ge=0, le=900)
    log_level: str = "INFO"

    @model_validator(mode="before")
    @classmethod
    def _read_environment(cls, given: Any) -> Any:
        if not isinstance(given, Mapping):
            return given
        return {**environment_values(os.environ), **given}

    def name(self, logical: str) -> str:
        """Physical name of a catalogue resource (table, queue, topic, bucket, pool)."""
        return self.resource_names.get(logical) or f"{self.resource_prefix}-{self.stage}-{logical}"

    @property
    def issuer(self) -> str:
        return self.cognito_issuer or (f"https://cognito-idp.{self.region}.amazonaws.com/{self.cognito_user_pool_id}")

    @property
    def jwks_url(self) -> str:
        if self.cognito_jwks_url:
            return self.cognito_jwks_url
        if self.aws_endpoint_url:
            return f"{self.aws_endpoint_url.rstrip('/')}/{self.cognito_user_pool_id}/.well-known/jwks.json"
        return f"{self.issuer}/.well-known/jwks.json"


def environment_values(environ: Mapping[str, str]) -> dict[str, Any]:
    """The fields set in ``environ``, by field name; dict and list fields are JSON."""
    found = {name.lower(): value for name, value in environ.items()}
    values: dict[str, Any] = {}
    for field_name, field in Settings.model_fields.items():
        for variable in ENV_NAMES.get(field_name, (ENV_PREFIX + field_name,)):
            if variable.lower() not in found:
                continue
            value = found[variable.lower()]
            if get_origin(field.annotation) in (dict, list):
                try:
                    value = json.loads(value)
                except ValueError as error:
                    raise ValueError(f'error parsing value for field "{field_name}" from the environment') from error
            values[field_name] = value
            break
    return values


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between apps)."""
    get_settings.cache_clear()
