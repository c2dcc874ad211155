# Learning analytics: every event on the events topic goes, through an SNS subscription, to a Firehose delivery
# stream that writes newline-delimited JSON to the analytics bucket under events/type=<type>/dt=YYYY-MM-DD/
# (dynamic partitioning on the event's own type and occurredAt), and a Glue table over the files answers
# Athena. The dev stack writes the same layout under .dev/analytics/ (docs/analytics.md).

locals {
  bucket_logical = "analytics"
  bucket_name    = module.bucket.s3_bucket_names[local.bucket_logical]
  bucket_arn     = module.bucket.s3_bucket_arns[local.bucket_logical]
  events_prefix  = "events/"

  # The event types and the union of their fields (lower-cased, as Glue stores names; `type` is a partition
  # key). tests/infra checks both against speaktracker.events, so a new event or field fails until it is here.
  event_types = [
    "ai_reply_ready", "conversation_turn_completed", "feedback", "practice_result", "practice_session_ended",
    "student_status_update", "tts_ready", "tutor_match", "user_deleted", "user_export_part_ready", "user_export_ready",
    "turn_feedback_ready", "user_export_requested", "user_profile_updated", "user_registered",
  ]
  event_columns = {
    action          = "string"
    aimessage       = "string"
    aimessageko     = "string"
    audiojobid      = "string"
    availableuntil  = "string"
    context         = "string"
    conversationid  = "string"
    durationseconds = "bigint"
    email           = "string"
    endedby         = "string"
    evaluationcount = "bigint"
    eventid         = "string"
    exportid        = "string"
    feedback        = "string"
    feedbackid      = "string"
    files           = "string"
    grade           = "string"
    heardtext       = "string"
    intro           = "string"
    islearning      = "boolean"
    isminor         = "boolean"
    jobid           = "string"
    level           = "string"
    message         = "string"
    messagetype     = "string"
    name            = "string"
    occurredat      = "string"
    originaltext    = "string"
    overallscore    = "double"
    owneremail      = "string"
    reason          = "string"
    requestid       = "string"
    resultid        = "string"
    role            = "string"
    room            = "string"
    sentenceindex   = "bigint"
    sessionid       = "string"
    sessiontype     = "string"
    speakingseconds = "double"
    startedat       = "string"
    status          = "string"
    studentemail    = "string"
    studenthandle   = "string"
    studentname     = "string"
    timestamp       = "string"
    turncount       = "bigint"
    turnindex       = "bigint"
    tutoremail      = "string"
    tutorname       = "string"
    userid          = "string"
    version         = "bigint"
    words           = "bigint"
  }
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" is the key itself (as in the kms module).
  #checkov:skip=CKV_AWS_356:Same as CKV_AWS_111: in a key policy "*" names only this key.
  statement {
    sid       = "CloudWatchLogs"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}

data "aws_region" "current" {}

module "key" {
  source = "../kms"

  alias            = "${var.name_prefix}-analytics"
  description      = "Archived learning events: the analytics bucket, the delivery stream and its logs."
  policy_documents = [data.aws_iam_policy_document.key.json]
  tags             = var.tags
}

# Versioned, public access blocked, SSE-KMS; Firehose's failed records expire after 30 days.
module "bucket" {
  source = "../storage"

  name_prefix   = var.name_prefix
  name_suffix   = var.name_suffix
  kms_key_arn   = module.key.kms_key_arn
  force_destroy = var.force_destroy
  buckets = {
    (local.bucket_logical) = {
      versioned = true
      prefixes  = { (local.events_prefix) = {}, "errors/" = { expiration_days = 30 } }
    }
  }
  tags = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_338:Delivery error logs matter for days, not a year; retention is a variable.
  name              = "/aws/kinesisfirehose/${var.name_prefix}-analytics-events"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.kms_key_arn
  tags              = var.tags
}

resource "aws_cloudwatch_log_stream" "this" {
  name           = "S3Delivery"
  log_group_name = aws_cloudwatch_log_group.this.name
}

resource "aws_kinesis_firehose_delivery_stream" "this" {
  name        = "${var.name_prefix}-analytics-events"
  destination = "extended_s3"

  server_side_encryption {
    enabled  = true
    key_type = "CUSTOMER_MANAGED_CMK"
    key_arn  = module.key.kms_key_arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose.arn
    bucket_arn          = local.bucket_arn
    kms_key_arn         = module.key.kms_key_arn
    prefix              = "${local.events_prefix}type=!{partitionKeyFromQuery:type}/dt=!{partitionKeyFromQuery:dt}/"
    error_output_prefix = "errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/"
    file_extension      = ".json"
    buffering_size      = 64 # MiB; dynamic partitioning needs at least 64
    buffering_interval  = var.buffering_seconds

    dynamic_partitioning_configuration {
      enabled = true
    }

    processing_configuration {
      enabled = true

      # The partition is the event's own type and the UTC day of its occurredAt, as the dev stack writes it.
      processors {
        type = "MetadataExtraction"
        parameters {
          parameter_name  = "MetadataExtractionQuery"
          parameter_value = "{type: .type, dt: .occurredAt[0:10]}"
        }
        parameters {
          parameter_name  = "JsonParsingEngine"
          parameter_value = "JQ-1.6"
        }
      }

      # One event per line (newline-delimited JSON), which Athena's JSON SerDe and DuckDB read.
      processors {
        type = "AppendDelimiterToRecord"
        parameters {
          parameter_name  = "Delimiter"
          parameter_value = "\\n"
        }
      }
    }

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.this.name
      log_stream_name = aws_cloudwatch_log_stream.this.name
    }
  }

  tags = var.tags
}

# Firehose writes with a role of its own, and SNS delivers to Firehose with another.
data "aws_iam_policy_document" "trust" {
  for_each = toset(["firehose", "sns"])

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["${each.key}.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "firehose" {
  statement {
    sid       = "WriteTheArchive"
    actions   = ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]
  }
  statement {
    sid       = "EncryptTheArchive"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.key.kms_key_arn]
  }
  statement {
    sid       = "LogDeliveryErrors"
    actions   = ["logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
}

resource "aws_iam_role" "firehose" {
  name               = "${var.name_prefix}-analytics-firehose"
  assume_role_policy = data.aws_iam_policy_document.trust["firehose"].json
  tags               = var.tags
}

resource "aws_iam_role_policy" "firehose" {
  name   = "write-analytics-archive"
  role   = aws_iam_role.firehose.id
  policy = data.aws_iam_policy_document.firehose.json
}

data "aws_iam_policy_document" "sns" {
  statement {
    actions   = ["firehose:DescribeDeliveryStream", "firehose:ListDeliveryStreams", "firehose:ListTagsForDeliveryStream", "firehose:PutRecord", "firehose:PutRecordBatch"]
    resources = [aws_kinesis_firehose_delivery_stream.this.arn]
  }
}

resource "aws_iam_role" "sns" {
  name               = "${var.name_prefix}-analytics-sns"
  assume_role_policy = data.aws_iam_policy_document.trust["sns"].json
  tags               = var.tags
}

resource "aws_iam_role_policy" "sns" {
  name   = "deliver-events-to-firehose"
  role   = aws_iam_role.sns.id
  policy = data.aws_iam_policy_document.sns.json
}

# Raw delivery keeps each record the event's JSON, no SNS envelope. No filter policy: analytics keeps every
# event type, including ones added later.
resource "aws_sns_topic_subscription" "this" {
  topic_arn             = var.events_topic_arn
  protocol              = "firehose"
  endpoint              = aws_kinesis_firehose_delivery_stream.this.arn
  subscription_role_arn = aws_iam_role.sns.arn
  raw_message_delivery  = true
}

# Athena: one table over every event, partitions by projection (no crawler, no MSCK REPAIR).
resource "aws_glue_catalog_database" "this" {
  name        = replace("${var.name_prefix}_analytics", "-", "_")
  description = "SpeakTracker's archived learning events."
}

resource "aws_glue_catalog_table" "this" {
  name          = "events"
  database_name = aws_glue_catalog_database.this.name
  table_type    = "EXTERNAL_TABLE"
  description   = "Every domain event, one JSON object per line; see docs/analytics.md for the questions."

  parameters = {
    classification              = "json"
    EXTERNAL                    = "TRUE"
    "projection.enabled"        = "true"
    "projection.type.type"      = "enum"
    "projection.type.values"    = join(",", local.event_types)
    "projection.dt.type"        = "date"
    "projection.dt.format"      = "yyyy-MM-dd"
    "projection.dt.range"       = "2026-01-01,NOW"
    "projection.dt.interval"    = "1"
    "storage.location.template" = "s3://${local.bucket_name}/${local.events_prefix}type=$${type}/dt=$${dt}/"
  }

  partition_keys {
    name = "type"
    type = "string"
  }
  partition_keys {
    name = "dt"
    type = "string"
  }

  storage_descriptor {
    location      = "s3://${local.bucket_name}/${local.events_prefix}"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    ser_de_info {
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"
      parameters            = { "ignore.malformed.json" = "true" }
    }

    dynamic "columns" {
      for_each = local.event_columns
      content {
        name = columns.key
        type = columns.value
      }
    }
  }
}
