data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account    = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  trail_name = "${var.name_prefix}-audit"
  trail_arn  = "arn:${local.partition}:cloudtrail:${data.aws_region.current.name}:${local.account}:trail/${local.trail_name}"
  # Two log buckets, one for the trail alone and one for the user buckets' access logs.
  trail_bucket  = "cloudtrail"
  access_bucket = "access-logs"
  names         = module.buckets.s3_bucket_names
  arns          = module.buckets.s3_bucket_arns
}

# --- the trail's key: CloudTrail encrypts every log file with it -----------------------------------------

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "CloudTrailEncrypts"
    actions   = ["kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:cloudtrail:arn"
      values   = ["arn:${local.partition}:cloudtrail:*:${local.account}:trail/*"]
    }
  }
}

module "key" {
  source = "../kms"

  alias            = "${var.name_prefix}-audit"
  description      = "${var.name_prefix} CloudTrail log files"
  policy_documents = [data.aws_iam_policy_document.key.json]
  tags             = var.tags
}

# --- the log buckets: CloudTrail's own, and the access logs' ---------------------------------------------
# The storage module hardens them (private, TLS only, versioned, expiring); the statements below let the
# trail and S3 log delivery write, each into its own bucket.

module "buckets" {
  source = "../storage"

  name_prefix = var.name_prefix
  name_suffix = var.name_suffix
  buckets = {
    (local.trail_bucket) = {
      versioned = true
      prefixes  = { "AWSLogs/" = { expiration_days = var.log_retention_days } }
    }
    (local.access_bucket) = {
      versioned = true
      prefixes = {
        for logical in keys(var.access_logged_bucket_names) : "${logical}/" => { expiration_days = var.log_retention_days }
      }
    }
  }
  policy_documents = {
    (local.trail_bucket)  = data.aws_iam_policy_document.trail_bucket.json
    (local.access_bucket) = data.aws_iam_policy_document.access_bucket.json
  }
  force_destroy = var.force_destroy
  tags          = var.tags
}

data "aws_iam_policy_document" "trail_bucket" {
  statement {
    sid       = "CloudTrailChecksTheBucket"
    actions   = ["s3:GetBucketAcl"]
    resources = [local.arns[local.trail_bucket]]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }

  statement {
    sid       = "CloudTrailWrites"
    actions   = ["s3:PutObject"]
    resources = ["${local.arns[local.trail_bucket]}/AWSLogs/${local.account}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
  }
}

data "aws_iam_policy_document" "access_bucket" {
  statement {
    sid       = "S3ServerAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${local.arns[local.access_bucket]}/*"]
    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = values(var.access_logged_bucket_arns)
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

# Server access logs of the buckets that hold users' data (who read or wrote which recording).
resource "aws_s3_bucket_logging" "this" {
  for_each = var.access_logged_bucket_names

  bucket        = each.value
  target_bucket = local.names[local.access_bucket]
  target_prefix = "${each.key}/"

  target_object_key_format {
    partitioned_prefix {
      partition_date_source = "EventTime"
    }
  }
}

# --- CloudTrail: every region, log file validation, KMS ---------------------------------------------------

resource "aws_cloudtrail" "this" {
  #checkov:skip=CKV_AWS_252:Nothing subscribes to "a log file was delivered"; GuardDuty reads the trail's events itself.
  #checkov:skip=CKV2_AWS_10:CloudWatch Logs delivery would bill the same events twice (0.76 USD/GB); Athena or the console reads the bucket.
  name                          = local.trail_name
  s3_bucket_name                = local.names[local.trail_bucket]
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = module.key.kms_key_arn

  # Management events everywhere, and who wrote or deleted objects in the buckets with users' data.
  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = [for arn in values(var.access_logged_bucket_arns) : "${arn}/"]
    }
  }

  tags = var.tags

  depends_on = [module.buckets]
}

# --- GuardDuty: one detector per account and region ----------------------------------------------------

resource "aws_guardduty_detector" "this" {
  #checkov:skip=CKV2_AWS_3:One account, no AWS Organizations to auto-enable members from; the detector is this account's for the region.
  count = var.enable_guardduty ? 1 : 0

  enable                       = true
  finding_publishing_frequency = "FIFTEEN_MINUTES"

  tags = var.tags
}

resource "aws_guardduty_detector_feature" "this" {
  for_each = var.enable_guardduty ? toset(["S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS"]) : toset([])

  detector_id = aws_guardduty_detector.this[0].id
  name        = each.key
  status      = "ENABLED"
}

# High-severity findings (7 and up) reach the alarm topic.
resource "aws_cloudwatch_event_rule" "findings" {
  count = var.enable_guardduty ? 1 : 0

  name        = "${var.name_prefix}-guardduty-findings"
  description = "GuardDuty findings of high severity."
  event_pattern = jsonencode({
    source        = ["aws.guardduty"]
    "detail-type" = ["GuardDuty Finding"]
    detail        = { severity = [{ numeric = [">=", 7] }] }
  })

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "findings" {
  count = var.enable_guardduty ? 1 : 0

  rule = aws_cloudwatch_event_rule.findings[0].name
  arn  = var.alarm_topic_arn
}
