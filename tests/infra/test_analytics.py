"""The analytics archive in Terraform: the topic's every event reaches Firehose, which partitions it as the dev
stack does, into an encrypted versioned bucket, with a Glue table whose columns are the events' fields."""

from speaktracker.events import KNOWN_TYPES
from speaktracker_analytics.layout import glue_columns, partition_prefix

from .support import MODULES, blocks, locals_of, resources

ANALYTICS = MODULES / "analytics"


def one(kind: str) -> dict:
    [body] = [b for (rtype, _), b in resources(ANALYTICS).items() if rtype == kind]
    return body


def test_the_platform_composes_it_on_the_events_topic():
    module = blocks(MODULES / "platform", "module")["analytics"]
    assert module["source"] == "../analytics"
    assert module["events_topic_arn"] == "${module.messaging.sns_topic_arn}"


def test_every_event_goes_to_firehose_unfiltered_and_raw():
    subscription = one("aws_sns_topic_subscription")
    assert subscription["protocol"] == "firehose"
    assert subscription["endpoint"] == "${aws_kinesis_firehose_delivery_stream.this.arn}"
    assert subscription["subscription_role_arn"] == "${aws_iam_role.sns.arn}"
    assert subscription["raw_message_delivery"] is True
    assert "filter_policy" not in subscription


def test_firehose_partitions_by_type_and_day_as_the_dev_stack_does():
    stream = one("aws_kinesis_firehose_delivery_stream")
    [s3] = stream["extended_s3_configuration"]
    assert s3["prefix"] == "${local.events_prefix}type=!{partitionKeyFromQuery:type}/dt=!{partitionKeyFromQuery:dt}/"
    assert s3["dynamic_partitioning_configuration"][0]["enabled"] is True
    processors = s3["processing_configuration"][0]["processors"]
    [extraction] = [p for p in processors if p["type"] == "MetadataExtraction"]
    query = {p["parameter_name"]: p["parameter_value"] for p in extraction["parameters"]}["MetadataExtractionQuery"]
    assert query == "{type: .type, dt: .occurredAt[0:10]}"
    # The dev stack's layout for the same event: events/type=<type>/dt=<first ten characters of occurredAt>/.
    assert partition_prefix("feedback", "2026-12-01T23:59:59.5Z") == "events/type=feedback/dt=2026-12-01/"
    # The pseudonymising Lambda first (test_analytics_transform.py), so partitions and files see only its records.
    assert [p["type"] for p in processors] == ["Lambda", "MetadataExtraction", "AppendDelimiterToRecord"]
    assert stream["server_side_encryption"][0]["key_type"] == "CUSTOMER_MANAGED_CMK"


def test_the_bucket_is_versioned_and_encrypted_with_the_key():
    bucket = blocks(ANALYTICS, "module")["bucket"]
    assert bucket["source"] == "../storage" and bucket["kms_key_arn"] == "${module.key.kms_key_arn}"
    [settings] = bucket["buckets"].values()
    assert settings["versioned"] is True


def test_the_glue_table_has_every_event_field_and_every_type():
    table = one("aws_glue_catalog_table")
    [descriptor] = table["storage_descriptor"]
    [columns_block] = descriptor["dynamic"]
    assert columns_block["columns"]["for_each"] == "${local.event_columns}"
    local_values = locals_of(ANALYTICS)
    assert local_values["event_columns"] == glue_columns()
    assert sorted(local_values["event_types"]) == sorted(KNOWN_TYPES)
    assert [k["name"] for k in table["partition_keys"]] == ["type", "dt"]
    assert table["parameters"]["projection.type.values"] == '${join(",", local.event_types)}'
