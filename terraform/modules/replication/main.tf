# Optional cross-region replication of one bucket (the user content): a versioned replica in another region
# and the replication rule on the source. Everything here exists only when `enabled`.

locals {
  replicas = var.enabled ? toset(["this"]) : toset([])
  replica  = "${var.source_logical}-replica"
}

# The replica, in the replica provider's region, hardened like every bucket (private, TLS only, versioned).
# Lifecycle rules are not replicated: it expires the same prefixes after the same days.
module "replica" {
  source    = "../storage"
  providers = { aws = aws.replica }

  name_prefix = var.name_prefix
  name_suffix = var.name_suffix
  buckets = var.enabled ? {
    (local.replica) = {
      versioned = true
      prefixes  = { for prefix, days in var.expiring_prefixes : prefix => { expiration_days = days } }
    }
  } : {}
  noncurrent_version_days = var.noncurrent_version_days
  force_destroy           = var.force_destroy
  tags                    = var.tags
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

  name               = "${var.name_prefix}-${local.replica}"
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
    resources = ["${module.replica.s3_bucket_arns[local.replica]}/*"]
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
      bucket        = module.replica.s3_bucket_arns[local.replica]
      storage_class = var.storage_class
    }
  }

  depends_on = [module.replica]
}
