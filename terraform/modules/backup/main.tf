data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
}

module "key" {
  source = "../kms"

  alias       = "${var.name_prefix}-backup"
  description = "${var.name_prefix} backup vault"
  tags        = var.tags
}

resource "aws_backup_vault" "this" {
  name          = "${var.name_prefix}-tables"
  kms_key_arn   = module.key.kms_key_arn
  force_destroy = var.force_destroy

  tags = var.tags
}

# Daily, on top of point-in-time recovery (which restores to any second of the last 35 days but lives and
# dies with the table): a vault copy survives the table's deletion and a bad PITR window.
resource "aws_backup_plan" "this" {
  name = "${var.name_prefix}-tables-daily"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.this.name
    schedule          = var.schedule
    start_window      = 60
    completion_window = 360

    lifecycle {
      delete_after = var.retention_days
    }
  }

  tags = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name_prefix}-backup"
  assume_role_policy = data.aws_iam_policy_document.assume.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = toset(["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"])

  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/${each.key}"
}

# Every table of the catalogue, by ARN (a tag-based selection would silently miss an untagged table).
resource "aws_backup_selection" "this" {
  name         = "${var.name_prefix}-tables"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.this.arn
  resources    = values(var.table_arns)
}
