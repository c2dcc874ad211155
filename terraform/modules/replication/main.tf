# Optional cross-region replication of one bucket (the user content): a versioned replica in another region
# and the replication rule on the source. Everything here exists only when `enabled`.

locals {
  replicas = var.enabled ? toset(["this"]) : toset([])
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:The replica is read only in a regional disaster; the source bucket's access logs and the trail record access.
  #checkov:skip=CKV_AWS_144:This is the cross-region copy; replicating the replica again is not wanted.
  #checkov:skip=CKV_AWS_145:SSE-S3 like the source: presigned URLs would need KMS grants for every reader after a failover.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to replicated objects.
  for_each = local.replicas
  provider = aws.replica

  bucket        = "${var.source_bucket_name}-replica"
  force_destroy = var.force_destroy

  tags = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.replicas
  provider = aws.replica

  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.replicas
  provider = aws.replica

  bucket = aws_s3_bucket.this[each.key].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.replicas
  provider = aws.replica

  bucket = aws_s3_bucket.this[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = local.replicas
  provider = aws.replica

  bucket = aws_s3_bucket.this[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}

# Lifecycle rules are not replicated: the replica expires the same prefixes after the same days.
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = local.replicas
  provider = aws.replica

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  dynamic "rule" {
    for_each = var.expiring_prefixes
    content {
      id     = "expire-${trimsuffix(rule.key, "/")}"
      status = "Enabled"
      filter {
        prefix = rule.key
      }
      expiration {
        days = rule.value
      }
      noncurrent_version_expiration {
        noncurrent_days = 1
      }
    }
  }

  rule {
    id     = "noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "replica" {
  for_each = local.replicas

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
}

resource "aws_s3_bucket_policy" "this" {
  for_each = local.replicas
  provider = aws.replica

  bucket = aws_s3_bucket.this[each.key].id
  policy = data.aws_iam_policy_document.replica[each.key].json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.replicas

  name               = "${var.source_bucket_name}-replication"
  assume_role_policy = data.aws_iam_policy_document.assume.json

  tags = var.tags
}

data "aws_iam_policy_document" "replication" {
  for_each = local.replicas

  statement {
    sid       = "ReadSourceConfiguration"
    actions   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
    resources = [var.source_bucket_arn]
  }

  statement {
    sid       = "ReadSourceVersions"
    actions   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
    resources = ["${var.source_bucket_arn}/*"]
  }

  statement {
    sid       = "WriteReplica"
    actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    resources = ["${aws_s3_bucket.this[each.key].arn}/*"]
  }
}

resource "aws_iam_role_policy" "this" {
  for_each = local.replicas

  name   = "replicate"
  role   = aws_iam_role.this[each.key].id
  policy = data.aws_iam_policy_document.replication[each.key].json
}

resource "aws_s3_bucket_replication_configuration" "this" {
  for_each = local.replicas

  bucket = var.source_bucket_name
  role   = aws_iam_role.this[each.key].arn

  rule {
    id     = "everything"
    status = "Enabled"
    filter {}

    delete_marker_replication {
      status = "Enabled"
    }

    destination {
      bucket        = aws_s3_bucket.this[each.key].arn
      storage_class = var.storage_class
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}
