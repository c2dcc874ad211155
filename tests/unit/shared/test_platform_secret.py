"""The platform secret: subkeys per use, read from Secrets Manager once per process, never a fallback key."""

import boto3
import pytest
from moto import mock_aws
from speaktracker.platform_secret import (
    ANALYTICS_PSEUDONYMS,
    PAGE_CURSORS,
    PlatformSecretMissing,
    derive_key,
    platform_key,
)
from speaktracker.settings import Settings

SECRET = "a-stage-secret-0123456789abcdef0123456789abcdef"


class CountingClients:
    """AwsClients' one method, over moto's Secrets Manager, counting the reads."""

    def __init__(self, client):
        self._client, self.reads = client, 0

    def client(self, service):
        assert service == "secretsmanager"
        self.reads += 1
        return self._client


def test_each_use_has_its_own_subkey_of_the_one_secret():
    cursors, pseudonyms = derive_key(SECRET, PAGE_CURSORS), derive_key(SECRET, ANALYTICS_PSEUDONYMS)
    assert len(cursors) == len(pseudonyms) == 32 and cursors != pseudonyms
    assert derive_key(SECRET, PAGE_CURSORS) == cursors != derive_key(SECRET + "x", PAGE_CURSORS)


@mock_aws
def test_in_aws_the_secret_is_read_by_arn_once_per_process():
    client = boto3.client("secretsmanager", region_name="ap-northeast-2")
    arn = client.create_secret(Name="speaktracker-test/platform", SecretString=SECRET)["ARN"]
    settings = Settings(platform_secret_id=arn, platform_secret=None)
    clients = CountingClients(client)
    assert platform_key(PAGE_CURSORS, settings, clients) == derive_key(SECRET, PAGE_CURSORS)
    assert platform_key(ANALYTICS_PSEUDONYMS, settings, clients) == derive_key(SECRET, ANALYTICS_PSEUDONYMS)
    assert platform_key(PAGE_CURSORS, settings, clients) == derive_key(SECRET, PAGE_CURSORS)
    assert clients.reads == 1


@mock_aws
def test_a_missing_or_empty_secret_is_a_clear_error_not_a_fallback_key():
    client = boto3.client("secretsmanager", region_name="ap-northeast-2")
    with pytest.raises(PlatformSecretMissing, match="SPEAKTRACKER_PLATFORM_SECRET_ID is not set"):
        platform_key(PAGE_CURSORS, Settings(platform_secret=None, platform_secret_id=None), CountingClients(client))
    gone = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:speaktracker-test/none-AbCdEf"
    with pytest.raises(PlatformSecretMissing, match="cannot be read"):
        platform_key(PAGE_CURSORS, Settings(platform_secret=None, platform_secret_id=gone), CountingClients(client))
    with pytest.raises(PlatformSecretMissing, match="at least 32"):
        platform_key(PAGE_CURSORS, Settings(platform_secret="short", platform_secret_id=None))
