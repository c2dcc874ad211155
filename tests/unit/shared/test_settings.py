"""Settings come from the environment: every field's variable, its default, its validation and its errors."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from speaktracker.settings import Settings, get_settings, reset_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch):
    import os

    for name in list(os.environ):
        if name.upper().startswith("SPEAKTRACKER_") or name.upper() in (
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_ENDPOINT_URL",
        ):
            monkeypatch.delenv(name)
    reset_settings()
    yield
    reset_settings()


def test_defaults_without_any_variable():
    settings = Settings()
    assert (settings.stage, settings.resource_prefix, settings.resource_names) == ("dev", "speaktracker", {})
    assert settings.region == "ap-northeast-2" and settings.aws_endpoint_url is None
    assert settings.jwks_cache_seconds == 3600 and settings.gateway_authorizer is False
    assert settings.speech_engine == "local" and settings.anthropic_timeout_seconds == 20.0
    assert settings.max_audio_body_bytes == 14 * 1024 * 1024
    assert settings.name("tts") == "speaktracker-dev-tts"


def test_every_field_reads_its_prefixed_variable(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SPEAKTRACKER_STAGE", "prod")
    monkeypatch.setenv("SPEAKTRACKER_RESOURCE_PREFIX", "st")
    monkeypatch.setenv("SPEAKTRACKER_RATE_LIMIT_PER_USER", "7")
    monkeypatch.setenv("SPEAKTRACKER_GATEWAY_AUTHORIZER", "true")
    monkeypatch.setenv("SPEAKTRACKER_ANTHROPIC_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("SPEAKTRACKER_LLM_ENGINE", "anthropic")
    monkeypatch.setenv("SPEAKTRACKER_COGNITO_ISSUER", "https://issuer.example")
    settings = Settings()
    assert settings.name("tts") == "st-prod-tts"
    assert settings.rate_limit_per_user == 7 and settings.gateway_authorizer is True
    assert settings.anthropic_timeout_seconds == 2.5 and settings.llm_engine == "anthropic"
    assert settings.issuer == "https://issuer.example"


def test_names_are_case_insensitive(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("speaktracker_stage", "lower")
    assert Settings().stage == "lower"


def test_resource_names_are_json(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SPEAKTRACKER_RESOURCE_NAMES", '{"tts": "queue-from-terraform"}')
    settings = Settings()
    assert settings.name("tts") == "queue-from-terraform" and settings.name("users") == "speaktracker-dev-users"


def test_resource_names_that_are_not_json_name_the_field(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SPEAKTRACKER_RESOURCE_NAMES", "tts=queue")
    with pytest.raises(ValueError, match='error parsing value for field "resource_names"'):
        Settings()


def test_region_prefers_our_variable_then_aws_then_the_default_region(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert Settings().region == "eu-west-1"
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    assert Settings().region == "us-east-1"
    monkeypatch.setenv("SPEAKTRACKER_REGION", "ap-northeast-1")
    assert Settings().region == "ap-northeast-1"


def test_endpoint_is_the_aws_variable_only(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SPEAKTRACKER_AWS_ENDPOINT_URL", "http://ignored:1")
    assert Settings().aws_endpoint_url is None
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/")
    monkeypatch.setenv("SPEAKTRACKER_COGNITO_USER_POOL_ID", "pool")
    settings = Settings()
    assert settings.jwks_url == "http://127.0.0.1:4566/pool/.well-known/jwks.json"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SPEAKTRACKER_STAGE", "prod")
    monkeypatch.setenv("SPEAKTRACKER_LOG_LEVEL", "DEBUG")
    settings = Settings(stage="dev", speech_engine="aws")
    assert (settings.stage, settings.speech_engine, settings.log_level) == ("dev", "aws", "DEBUG")


def test_bad_values_are_validation_errors_naming_the_field(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SPEAKTRACKER_JWKS_CACHE_SECONDS", "an hour")
    monkeypatch.setenv("SPEAKTRACKER_SPEECH_ENGINE", "cloud")
    with pytest.raises(ValidationError) as caught:
        Settings()
    errors = {e["loc"]: e["type"] for e in caught.value.errors()}
    assert errors == {("jwks_cache_seconds",): "int_parsing", ("speech_engine",): "literal_error"}
    assert caught.value.title == "Settings"


def test_unknown_variables_are_ignored_and_settings_are_frozen(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SPEAKTRACKER_NO_SUCH_SETTING", "x")
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.stage = "prod"


def test_read_once_until_reset(monkeypatch: pytest.MonkeyPatch):
    first = get_settings()
    monkeypatch.setenv("SPEAKTRACKER_STAGE", "prod")
    assert get_settings() is first
    reset_settings()
    assert get_settings().stage == "prod"
