# Learning analytics: every event on the events topic goes, through an SNS subscription, to a Firehose delivery
# stream that writes newline-delimited JSON to the analytics bucket under events/type=<type>/dt=YYYY-MM-DD/
# (dynamic partitioning on the event's own type and occurredAt), and a Glue table over the files answers
# Athena. The dev stack writes the same layout under .dev/analytics/ (docs/analytics.md).
#
# Before anything is written, a transformation Lambda (speaktracker.analytics_archive.firehose_handler, packaged
# by scripts/package_analytics_transform.py) names every user by pseudonym and drops names and free text, as the
# dev stack's sink does: the archive never holds an email or a name, so account erasure has nothing to reach
# there (docs/account-deletion.md). What is not an event goes, as received, under errors/.

locals {
  bucket_logical = "analytics"
  bucket_name    = module.bucket.s3_bucket_names[local.bucket_logical]
  bucket_arn     = module.bucket.s3_bucket_arns[local.bucket_logical]
  events_prefix  = "events/"

  # The event types and the union of their fields (lower-cased, as Glue stores names; `type` is a partition
  # key). tests/infra checks both against speaktracker.events, so a new event or field fails until it is here.
  transform_name = "${var.name_prefix}-analytics-transform"

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

      # First the privacy transformation: the records the partitioning and the archive see are pseudonymised.
      processors {
        type = "Lambda"
        parameters {
          parameter_name  = "LambdaArn"
          parameter_value = aws_lambda_function.transform.arn
        }
        parameters {
          parameter_name  = "BufferSizeInMBs"
          parameter_value = "1" # a batch's answer stays far below Lambda's 6 MB response limit
        }
        parameters {
          parameter_name  = "BufferIntervalInSeconds"
          parameter_value = "60"
        }
        parameters {
          parameter_name  = "NumberOfRetries"
          parameter_value = "3"
        }
      }

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

# Firehose writes with a role of its own, SNS delivers to Firehose with another, the transformation runs with a third.
data "aws_iam_policy_document" "trust" {
  for_each = toset(["firehose", "sns", "lambda"])

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
  statement {
    sid       = "TransformTheRecords"
    actions   = ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"]
    resources = [aws_lambda_function.transform.arn]
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

# The transformation: reads the platform secret (its analytics subkey keys the pseudonyms) and writes its logs.
resource "aws_cloudwatch_log_group" "transform" {
  #checkov:skip=CKV_AWS_338:The function's logs (counts of records that were no event) matter for days, not a year; retention is a variable.
  name              = "/aws/lambda/${local.transform_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "transform" {
  statement {
    sid       = "ReadThePlatformSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.platform_secret_arn]
  }
  # A secret under a customer managed key needs that key too; under aws/secretsmanager its key policy suffices.
  dynamic "statement" {
    for_each = var.platform_secret_kms_key_arn == null ? [] : [var.platform_secret_kms_key_arn]
    content {
      sid       = "DecryptThePlatformSecret"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
      }
    }
  }
  statement {
    sid       = "WriteItsLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.transform.arn}:*"]
  }
  statement {
    sid       = "Trace"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "transform" {
  name               = local.transform_name
  assume_role_policy = data.aws_iam_policy_document.trust["lambda"].json
  tags               = var.tags
}

resource "aws_iam_role_policy" "transform" {
  name   = "pseudonymise-analytics-events"
  role   = aws_iam_role.transform.id
  policy = data.aws_iam_policy_document.transform.json
}

resource "aws_lambda_function" "transform" {
  #checkov:skip=CKV_AWS_115:Reserved concurrency: new accounts have 10 concurrent executions in all; Firehose invokes it a few times a minute.
  #checkov:skip=CKV_AWS_116:A DLQ is for asynchronous invocations; Firehose invokes synchronously and writes a failed batch under errors/.
  #checkov:skip=CKV_AWS_117:No VPC: it reaches only Secrets Manager.
  #checkov:skip=CKV_AWS_173:Its one environment variable is the secret's ARN, not the secret; Lambda encrypts it at rest.
  #checkov:skip=CKV_AWS_272:Code signing needs an AWS Signer profile; the package is built and deployed by the same pipeline.
  function_name    = local.transform_name
  description      = "Pseudonymises archived learning events (speaktracker.privacy.analytics_record) before Firehose writes them."
  role             = aws_iam_role.transform.arn
  runtime          = "python3.11"
  architectures    = ["x86_64"]
  handler          = "speaktracker.analytics_archive.firehose_handler"
  filename         = var.transform_package
  source_code_hash = filebase64sha256(var.transform_package)
  memory_size      = 256
  timeout          = 60

  environment {
    variables = {
      SPEAKTRACKER_PLATFORM_SECRET_ID = var.platform_secret_arn
    }
  }

  tracing_config {
    mode = "Active"
  }

  tags       = var.tags
  depends_on = [aws_cloudwatch_log_group.transform, aws_iam_role_policy.transform]
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
