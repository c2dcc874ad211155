resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:Access logging is the caller's per bucket: the audit module logs user-content into the audit log bucket; the SPA build, Lambda packages, logs and replicas need none.
  #checkov:skip=CKV_AWS_144:Replication is the caller's per bucket: the replication module copies user-content when asked; the rest is rebuilt from git, is a log, or is the replica.
  #checkov:skip=CKV_AWS_145:SSE-S3 unless kms_key_arn: SSE-KMS would add a KMS request to every presigned upload and download, and S3 delivers access logs only to SSE-S3 buckets.
  #checkov:skip=CKV_AWS_21:Versioning is set per bucket from the catalogue (aws_s3_bucket_versioning.this): user-content is versioned; an SPA build or a Lambda package is rebuilt from git.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to object events; the services enqueue work themselves.
  for_each = var.buckets

  bucket        = "${var.name_prefix}-${each.key}${var.name_suffix}"
  force_destroy = var.force_destroy

  tags = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = var.buckets

  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = var.buckets

  bucket = aws_s3_bucket.this[each.key].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = var.buckets

  bucket = aws_s3_bucket.this[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = var.buckets

  bucket = aws_s3_bucket.this[each.key].id
  versioning_configuration {
    status = each.value.versioned ? "Enabled" : "Disabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = var.buckets

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # A prefix whose objects expire: current versions after their days, replaced ones a day later.
  dynamic "rule" {
    for_each = { for p, r in each.value.prefixes : p => r if r.expiration_days != null }
    content {
      id     = "expire-${trimsuffix(rule.key, "/")}"
      status = "Enabled"
      filter {
        prefix = rule.key
      }
      expiration {
        days = rule.value.expiration_days
      }
      noncurrent_version_expiration {
        noncurrent_days = 1
      }
    }
  }

  dynamic "rule" {
    for_each = each.value.versioned ? [var.noncurrent_version_days] : []
    content {
      id     = "noncurrent-versions"
      status = "Enabled"
      filter {}
      noncurrent_version_expiration {
        noncurrent_days = rule.value
      }
      expiration {
        expired_object_delete_marker = true
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_cors_configuration" "this" {
  for_each = { for logical, b in var.buckets : logical => b if b.browser_access }

  bucket = aws_s3_bucket.this[each.key].id
  cors_rule {
    allowed_origins = var.cors_allowed_origins
    allowed_methods = ["GET", "HEAD", "PUT", "POST"]
    allowed_headers = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
}

data "aws_iam_policy_document" "this" {
  for_each = var.buckets

  # What the caller adds for this bucket (for example CloudTrail's and S3 log delivery's writes).
  source_policy_documents = contains(keys(var.policy_documents), each.key) ? [var.policy_documents[each.key]] : []

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this[each.key].arn, "${aws_s3_bucket.this[each.key].arn}/*"]

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

  dynamic "statement" {
    for_each = contains(keys(var.cloudfront_distribution_arns), each.key) ? [var.cloudfront_distribution_arns[each.key]] : []
    content {
      sid       = "CloudFrontReads"
      actions   = ["s3:GetObject"]
      resources = [for prefix in lookup(var.cloudfront_read_prefixes, each.key, [""]) : "${aws_s3_bucket.this[each.key].arn}/${prefix}*"]

      principals {
        type        = "Service"
        identifiers = ["cloudfront.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "AWS:SourceArn"
        values   = [statement.value]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  for_each = var.buckets

  bucket = aws_s3_bucket.this[each.key].id
  policy = data.aws_iam_policy_document.this[each.key].json

  depends_on = [aws_s3_bucket_public_access_block.this]
}
