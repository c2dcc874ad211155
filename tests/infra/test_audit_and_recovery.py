"""Audit, threat detection, backups and replication (issue #15, the AWS-only parts): CloudTrail over every
region with validated, KMS-encrypted log files in its own bucket, GuardDuty, access logs of the user
content, a daily 35-day AWS Backup of every table on top of PITR, and optional cross-region replication."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from speaktracker import catalogue

from .support import ENVIRONMENTS, MODULES, blocks, load_hcl, locals_of, resources

PLATFORM = MODULES / "platform"
AUDIT = MODULES / "audit"
ENV_DIRS = sorted(p for p in ENVIRONMENTS.iterdir() if p.is_dir())


def _statements(module: Path, document: str) -> dict[str, dict]:
    found = {}
    for block in load_hcl(module / "main.tf").get("data", []):
        body = block.get("aws_iam_policy_document", {}).get(document)
        if body:
            for statement in body["statement"]:
                found[statement["sid"]] = statement
    assert found, f"no policy document {document} in {module.name}"
    return found


def _principal(statement: dict) -> list[str]:
    return [i for p in statement["principals"] for i in p["identifiers"]]


# --- CloudTrail ----------------------------------------------------------------------------------------


def test_the_trail_covers_every_region_validates_its_files_and_encrypts_them():
    trail = resources(AUDIT)[("aws_cloudtrail", "this")]
    assert trail["is_multi_region_trail"] is True
    assert trail["include_global_service_events"] is True
    assert trail["enable_log_file_validation"] is True
    assert trail["kms_key_id"] == "${module.key.kms_key_arn}"
    assert trail["s3_bucket_name"] == "${local.names[local.trail_bucket]}", "the trail writes to its own bucket"
    assert locals_of(AUDIT)["names"] == "${module.buckets.s3_bucket_names}"
    assert locals_of(AUDIT)["trail_bucket"] != locals_of(AUDIT)["access_bucket"]
    [selector] = trail["event_selector"]
    assert selector["include_management_events"] is True
    assert selector["data_resource"][0]["type"] == "AWS::S3::Object"
    key = blocks(AUDIT, "module")["key"]
    assert key["source"] == "../kms" and key["policy_documents"] == ["${data.aws_iam_policy_document.key.json}"]


def test_only_the_trail_may_use_the_key_and_write_to_the_bucket():
    key = _statements(AUDIT, "key")["CloudTrailEncrypts"]
    assert _principal(key) == ["cloudtrail.amazonaws.com"]
    assert {c["variable"] for c in key["condition"]} == {"aws:SourceArn", "kms:EncryptionContext:aws:cloudtrail:arn"}
    bucket = _statements(AUDIT, "trail_bucket")
    assert set(bucket) == {"CloudTrailChecksTheBucket", "CloudTrailWrites"}, "only the trail writes its bucket"
    writes = bucket["CloudTrailWrites"]
    assert _principal(writes) == ["cloudtrail.amazonaws.com"] and writes["actions"] == ["s3:PutObject"]
    assert writes["resources"] == ["${local.arns[local.trail_bucket]}/AWSLogs/${local.account}/*"]
    conditions = {c["variable"]: c["values"] for c in writes["condition"]}
    assert conditions == {"aws:SourceArn": ["${local.trail_arn}"], "s3:x-amz-acl": ["bucket-owner-full-control"]}
    assert blocks(AUDIT, "module")["buckets"]["policy_documents"] == {
        "${(local.trail_bucket)}": "${data.aws_iam_policy_document.trail_bucket.json}",
        "${(local.access_bucket)}": "${data.aws_iam_policy_document.access_bucket.json}",
    }


def test_the_log_buckets_are_hardened_storage_buckets_kept_at_least_90_days():
    buckets = blocks(AUDIT, "module")["buckets"]
    assert buckets["source"] == "../storage"
    trail = buckets["buckets"]["${(local.trail_bucket)}"]
    assert trail["versioned"] is True
    assert trail["prefixes"] == {"AWSLogs/": {"expiration_days": "${var.log_retention_days}"}}
    access = buckets["buckets"]["${(local.access_bucket)}"]
    assert access["versioned"] is True and "var.log_retention_days" in access["prefixes"]
    retention = blocks(AUDIT, "variable")["log_retention_days"]
    assert retention["default"] >= 365 and "var.log_retention_days >= 90" in retention["validation"][0]["condition"]
    # What the storage module gives every bucket: private, TLS only, and the caller's statements merged in.
    storage = resources(MODULES / "storage")
    block = storage[("aws_s3_bucket_public_access_block", "this")]
    assert all(
        block[k] is True
        for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    )
    policy = next(b["aws_iam_policy_document"]["this"] for b in load_hcl(MODULES / "storage" / "main.tf")["data"])
    assert "var.policy_documents[each.key]" in policy["source_policy_documents"]
    assert policy["statement"][0]["sid"] == "DenyInsecureTransport"


# --- access logs of the user content --------------------------------------------------------------------


def test_the_user_content_bucket_logs_its_access_into_the_audit_bucket():
    logging = resources(AUDIT)[("aws_s3_bucket_logging", "this")]
    assert logging["for_each"] == "${var.access_logged_bucket_names}"
    assert logging["target_bucket"] == "${local.names[local.access_bucket]}"
    assert logging["target_prefix"] == "${each.key}/"
    [delivery] = _statements(AUDIT, "access_bucket").values()
    assert delivery["resources"] == ["${local.arns[local.access_bucket]}/*"]
    assert _principal(delivery) == ["logging.s3.amazonaws.com"]
    assert {c["variable"]: c["values"] for c in delivery["condition"]}[
        "aws:SourceArn"
    ] == "${values(var.access_logged_bucket_arns)}"
    audit = blocks(PLATFORM, "module")["audit"]
    assert "module.storage.s3_bucket_names[b]" in audit["access_logged_bucket_names"]
    assert "module.storage.s3_bucket_arns[b]" in audit["access_logged_bucket_arns"]
    # The bucket with the users' recordings and images is the one logged.
    assert locals_of(PLATFORM)["user_data_buckets"] == ["user-content"]
    assert "user-content" in {b.logical for b in catalogue.BUCKETS}


# --- GuardDuty -----------------------------------------------------------------------------------------


def test_guardduty_watches_s3_and_lambda_and_reports_high_findings_to_the_alarm_topic():
    built = resources(AUDIT)
    detector = built[("aws_guardduty_detector", "this")]
    assert detector["enable"] is True and detector["count"] == "${var.enable_guardduty ? 1 : 0}"
    features = built[("aws_guardduty_detector_feature", "this")]
    assert "S3_DATA_EVENTS" in features["for_each"] and "LAMBDA_NETWORK_LOGS" in features["for_each"]
    rule = built[("aws_cloudwatch_event_rule", "findings")]
    assert '"aws.guardduty"' in rule["event_pattern"] and '">=", 7' in rule["event_pattern"]
    assert built[("aws_cloudwatch_event_target", "findings")]["arn"] == "${var.alarm_topic_arn}"
    assert blocks(PLATFORM, "module")["audit"]["alarm_topic_arn"] == "${module.observability.sns_topic_arn}"
    topic_policy = _statements(MODULES / "observability", "topic")["AlarmsAndFindingsPublish"]
    assert "events.amazonaws.com" in _principal(topic_policy)


def test_prod_manages_the_detector_and_dev_leaves_it_to_prod():
    defaults = {env.name: locals_of(env)["guardduty"] for env in ENV_DIRS}
    assert defaults == {"dev": False, "staging": False, "prod": True}
    assert blocks(ENV_DIRS[0], "variable")["enable_guardduty"]["default"] is None  # null: the stage decides
    platform = blocks(ENV_DIRS[0], "module")["platform"]
    assert platform["enable_guardduty"] == "${coalesce(var.enable_guardduty, local.guardduty)}"


# --- backups -------------------------------------------------------------------------------------------


def test_every_table_is_backed_up_daily_for_35_days_on_top_of_pitr():
    backup = resources(MODULES / "backup")
    [rule] = backup[("aws_backup_plan", "this")]["rule"]
    assert rule["target_vault_name"] == "${aws_backup_vault.this.name}"
    assert rule["lifecycle"] == [{"delete_after": "${var.retention_days}"}]
    schedule = blocks(MODULES / "backup", "variable")["schedule"]["default"]
    assert re.fullmatch(r"cron\(\d+ \d+ \* \* \? \*\)", schedule), f"{schedule} is not once a day"
    selection = backup[("aws_backup_selection", "this")]
    assert selection["resources"] == "${values(var.table_arns)}"
    assert selection["plan_id"] == "${aws_backup_plan.this.id}"
    platform = blocks(PLATFORM, "module")
    assert platform["backup"]["table_arns"] == "${module.data.dynamodb_table_arns}"
    assert platform["backup"]["retention_days"] == 35
    assert platform["data"]["point_in_time_recovery"] is True
    # module.data.dynamodb_table_arns is every table the data module builds, which is every catalogue table.
    assert (
        blocks(MODULES / "data", "output")["dynamodb_table_arns"]["value"]
        == "${{for logical, t in aws_dynamodb_table.this : logical => t.arn}}"
    )
    assert platform["data"]["tables"] == "${module.catalogue.tables}"


def test_the_vault_is_kms_encrypted_and_the_role_can_back_up_and_restore():
    backup = resources(MODULES / "backup")
    assert backup[("aws_backup_vault", "this")]["kms_key_arn"] == "${module.key.kms_key_arn}"
    assert blocks(MODULES / "backup", "module")["key"]["source"] == "../kms"
    policies = backup[("aws_iam_role_policy_attachment", "this")]["for_each"]
    assert "AWSBackupServiceRolePolicyForBackup" in policies and "AWSBackupServiceRolePolicyForRestores" in policies


# --- cross-region replication --------------------------------------------------------------------------


def test_replication_is_a_variable_off_by_default_everywhere():
    assert blocks(PLATFORM, "variable")["replicate_user_content"]["default"] is False
    for env in ENV_DIRS:
        assert blocks(env, "variable")["replicate_user_content"]["default"] is False
        assert blocks(env, "module")["platform"]["replicate_user_content"] == "${var.replicate_user_content}"
        replica = [p["aws"] for p in load_hcl(env / "versions.tf")["provider"] if p["aws"].get("alias") == "replica"]
        assert replica and replica[0]["region"] == "${var.replica_region}"
    replication = blocks(PLATFORM, "module")["replication"]
    assert replication["enabled"] == "${var.replicate_user_content}"
    assert "${aws.replica}" in replication["providers"].values()


def test_when_on_every_object_and_delete_marker_goes_to_a_versioned_replica():
    built = resources(MODULES / "replication")
    for (kind, name), body in built.items():
        assert body.get("for_each") == "${local.replicas}", f"{kind}.{name} exists even when replication is off"
    assert locals_of(MODULES / "replication")["replicas"] == '${var.enabled ? toset(["this"]) : toset([])}'
    configuration = built[("aws_s3_bucket_replication_configuration", "this")]
    [rule] = configuration["rule"]
    assert rule["status"] == "Enabled" and rule["filter"] == [{}]
    assert rule["delete_marker_replication"] == [{"status": "Enabled"}]
    assert rule["destination"][0]["bucket"] == "${module.replica.s3_bucket_arns[local.replica]}"
    assert "provider" not in configuration, "the rule belongs to the source bucket's region"
    replica = blocks(MODULES / "replication", "module")["replica"]
    assert replica["source"] == "../storage" and replica["providers"] == {"aws": "${aws.replica}"}
    assert replica["buckets"].startswith("${var.enabled ? {(local.replica) = {versioned = true")
    assert replica["buckets"].endswith(": {}}")
    # The source must be versioned for replication: the catalogue keeps user-content versioned.
    assert next(b for b in catalogue.BUCKETS if b.logical == "user-content").versioned


def test_the_replica_expires_the_catalogues_prefixes_like_the_source():
    expression = blocks(PLATFORM, "module")["replication"]["expiring_prefixes"]
    assert 'module.catalogue.buckets["user-content"].prefixes' in expression
    assert "rule.expiration_days != null" in expression
    replica = blocks(MODULES / "replication", "module")["replica"]
    assert "for prefix, days in var.expiring_prefixes : prefix => {expiration_days = days}" in replica["buckets"]


@pytest.mark.parametrize("env", ENV_DIRS, ids=lambda p: p.name)
def test_each_stage_passes_all_three_providers(env: Path):
    text = (env / "platform.tf").read_text(encoding="utf-8")
    assert "aws.replica = aws.replica" in text and "aws.us_east_1 = aws.us_east_1" in text
