data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account    = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  trail_name = "${var.name_prefix}-audit"
  trail_arn  = "arn:${local.partition}:cloudtrail:${data.aws_region.current.name}:${local.account}:trail/${local.trail_name}"
  trail_logs = "cloudtrail"
  s3_logs    = "s3-access"
}

# --- the trail's key: CloudTrail encrypts every log file with it -----------------------------------------

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" is the key itself; the account statement is AWS's default key policy.
  #checkov:skip=CKV_AWS_356:Same as CKV_AWS_111: in a key policy "*" names only this key.
  #checkov:skip=CKV_AWS_109:Same as CKV_AWS_111: the account root keeps control of its own key.
  statement {
    sid       = "Account"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }
  }

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

resource "aws_kms_key" "this" {
  description             = "${var.name_prefix} CloudTrail log files"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name_prefix}-audit"
  target_key_id = aws_kms_key.this.key_id
}

# --- one bucket for the audit logs: the trail (cloudtrail/) and the user-content access logs (s3-access/) ----

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:This is the access-log bucket; logging it into itself would loop.
  #checkov:skip=CKV_AWS_144:Audit logs stay in the stage's region; CloudTrail is multi-region already and the bucket is versioned.
  #checkov:skip=CKV_AWS_145:S3 server access logs can only be delivered to an SSE-S3 bucket; CloudTrail encrypts its own files with the trail's KMS key.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new log objects.
  bucket        = "${var.name_prefix}-audit-logs${var.name_suffix}"
  force_destroy = var.force_destroy

  tags = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-audit-logs"
    status = "Enabled"
    filter {}
    expiration {
      days = var.log_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "CloudTrailChecksTheBucket"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.this.arn]
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
    resources = ["${aws_s3_bucket.this.arn}/${local.trail_logs}/AWSLogs/${local.account}/*"]
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

  statement {
    sid       = "S3ServerAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/${local.s3_logs}/*"]
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

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

# Server access logs of the buckets that hold users' data (who read or wrote which recording).
resource "aws_s3_bucket_logging" "this" {
  for_each = var.access_logged_bucket_names

  bucket        = each.value
  target_bucket = aws_s3_bucket.this.id
  target_prefix = "${local.s3_logs}/${each.key}/"

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
  s3_bucket_name                = aws_s3_bucket.this.id
  s3_key_prefix                 = local.trail_logs
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.this.arn

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

  depends_on = [aws_s3_bucket_policy.this]
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
