"""The Terraform builds exactly the resource catalogue the dev stack bootstraps (`speaktracker.catalogue`):
every table, key, index, TTL attribute, queue, dead-letter queue, redrive setting, bucket and the user pool.
Drift on either side fails here."""

from __future__ import annotations

import re

import pytest
from speaktracker import catalogue
from speaktracker.settings import Settings

from .support import ENVIRONMENTS, MODULES, blocks, locals_of, resources

TF = locals_of(MODULES / "catalogue")
ENV_DIRS = sorted(p for p in ENVIRONMENTS.iterdir() if p.is_dir())


def _key(key: catalogue.Key | None) -> dict[str, str] | None:
    return None if key is None else {"name": key.name, "type": key.type}


def _python_table(table: catalogue.Table) -> dict:
    return {
        "owner": table.owner,
        "hash_key": _key(table.hash_key),
        "range_key": _key(table.range_key),
        "indexes": {
            i.name: {"hash_key": _key(i.hash_key), "range_key": _key(i.range_key), "projection": i.projection}
            for i in table.indexes
        },
        "ttl_attribute": table.ttl_attribute,
        "stream": table.stream,
    }


def _terraform_table(body: dict) -> dict:
    # The data module's variable defaults: no range key, no indexes, no TTL, no stream, projection ALL.
    return {
        "owner": body["owner"],
        "hash_key": body["hash_key"],
        "range_key": body.get("range_key"),
        "indexes": {
            name: {"hash_key": i["hash_key"], "range_key": i.get("range_key"), "projection": i.get("projection", "ALL")}
            for name, i in body.get("indexes", {}).items()
        },
        "ttl_attribute": body.get("ttl_attribute"),
        "stream": body.get("stream", False),
    }


def test_the_same_tables_exist():
    assert sorted(TF["tables"]) == sorted(t.logical for t in catalogue.TABLES)


@pytest.mark.parametrize("table", catalogue.TABLES, ids=lambda t: t.logical)
def test_each_table_has_the_catalogue_keys_indexes_ttl_and_stream(table: catalogue.Table):
    assert _terraform_table(TF["tables"][table.logical]) == _python_table(table)


def test_the_same_queues_exist():
    assert sorted(TF["queues"]) == sorted(q.logical for q in catalogue.QUEUES)


@pytest.mark.parametrize("queue", catalogue.QUEUES, ids=lambda q: q.logical)
def test_each_queue_has_the_catalogue_settings_and_subscriptions(queue: catalogue.Queue):
    body = TF["queues"][queue.logical]
    assert {
        "consumer": body["consumer"],
        "visibility_timeout": body["visibility_timeout"],
        "max_receive_count": body["max_receive_count"],
        "retention_seconds": body.get("retention_seconds", 86400),
        "receive_wait_seconds": body.get("receive_wait_seconds", 20),
        "dlq_retention_seconds": body.get("dlq_retention_seconds", 1209600),
        "subscribes_to": sorted(body.get("subscribes_to", [])),
    } == {
        "consumer": queue.consumer,
        "visibility_timeout": queue.visibility_timeout,
        "max_receive_count": queue.max_receive_count,
        "retention_seconds": queue.retention_seconds,
        "receive_wait_seconds": queue.receive_wait_seconds,
        "dlq_retention_seconds": queue.dlq_retention_seconds,
        "subscribes_to": sorted(queue.subscribes_to),
    }


def test_messaging_names_queues_and_dead_letter_queues_like_the_settings_do():
    settings = Settings(stage="dev")
    built = resources(MODULES / "messaging")
    queue_name = built[("aws_sqs_queue", "this")]["name"]
    dlq_name = built[("aws_sqs_queue", "dlq")]["name"]
    for queue in catalogue.QUEUES:
        expanded = queue_name.replace("${var.name_prefix}", "speaktracker-dev").replace("${each.key}", queue.logical)
        assert expanded == settings.name(queue.logical)
        expanded_dlq = dlq_name.replace("${var.name_prefix}", "speaktracker-dev").replace("${each.key}", queue.logical)
        assert expanded_dlq == settings.name(queue.dlq_logical)


def test_every_queue_redrives_to_its_own_dead_letter_queue_after_max_receive_count():
    queue = resources(MODULES / "messaging")[("aws_sqs_queue", "this")]
    policy = re.sub(r"\s+", " ", queue["redrive_policy"])
    assert "deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn" in policy
    assert "maxReceiveCount = each.value.max_receive_count" in policy
    assert queue["visibility_timeout_seconds"] == "${each.value.visibility_timeout}"
    assert queue["receive_wait_time_seconds"] == "${each.value.receive_wait_seconds}"
    assert queue["message_retention_seconds"] == "${each.value.retention_seconds}"


def test_subscriptions_filter_on_the_type_attribute_with_raw_delivery():
    subscription = resources(MODULES / "messaging")[("aws_sns_topic_subscription", "this")]
    assert subscription["raw_message_delivery"] is True
    assert subscription["filter_policy_scope"] == "MessageAttributes"
    assert re.sub(r"\s+", "", subscription["filter_policy"]) == "${jsonencode({type=each.value.subscribes_to})}"


def test_the_events_topic_is_the_catalogue_one():
    assert TF["events_topic"] == catalogue.EVENTS_TOPIC


def test_the_same_buckets_with_versioning_browser_access_and_prefix_expiry():
    python = {
        b.logical: {"versioned": b.versioned, "browser_access": b.browser_access, "prefixes": dict(b.prefixes)}
        for b in catalogue.BUCKETS
    }
    terraform = {
        name: {
            "versioned": body.get("versioned", False),
            "browser_access": body.get("browser_access", False),
            "prefixes": {p: rule.get("expiration_days") for p, rule in body.get("prefixes", {}).items()},
        }
        for name, body in TF["buckets"].items()
    }
    assert terraform == python


def test_only_buckets_with_browser_access_get_a_cors_rule():
    cors = resources(MODULES / "storage")[("aws_s3_bucket_cors_configuration", "this")]
    assert cors["for_each"] == "${{for logical, b in var.buckets : logical => b if b.browser_access}}"


def test_the_user_pool_matches():
    pool = catalogue.USER_POOL
    assert TF["user_pool"] == {
        "logical": pool.logical,
        "client_logical": pool.client_logical,
        "groups": list(pool.groups),
        "password_min_length": pool.password_min_length,
        "access_token_hours": pool.access_token_hours,
        "id_token_hours": pool.id_token_hours,
        "refresh_token_days": pool.refresh_token_days,
        "mfa_configuration": pool.mfa_configuration,
        "auth_session_minutes": pool.auth_session_minutes,
    }


def test_the_platform_builds_the_catalogue_and_names_it_like_the_settings():
    platform = MODULES / "platform"
    modules = blocks(platform, "module")
    assert modules["data"]["tables"] == "${module.catalogue.tables}"
    assert modules["messaging"]["queues"] == "${module.catalogue.queues}"
    assert modules["messaging"]["events_topic"] == "${module.catalogue.events_topic}"
    assert modules["storage"]["buckets"] == "${module.catalogue.buckets}"
    assert modules["identity"]["user_pool"] == "${module.catalogue.user_pool}"
    # `{prefix}-{stage}-{logical}`, the default of Settings.name().
    assert locals_of(platform)["name_prefix"] == "${var.project}-${var.stage}"
    assert blocks(platform, "variable")["project"]["default"] == Settings().resource_prefix
    for module in ("data", "messaging", "storage", "identity"):
        assert modules[module]["name_prefix"] == "${local.name_prefix}"


@pytest.mark.parametrize("env", ENV_DIRS, ids=lambda p: p.name)
def test_each_stage_instantiates_the_platform_under_its_own_name(env):
    platform = blocks(env, "module")["platform"]
    assert platform["source"] == "../../modules/platform"
    assert locals_of(env)["stage"] == env.name and platform["stage"] == "${local.stage}"
    assert platform["project"] == "${var.project}"
    assert blocks(env, "variable")["project"]["default"] == Settings().resource_prefix
