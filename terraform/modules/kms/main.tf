data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# AWS's default key policy (the account administers its key through IAM) plus what the key's users need.
data "aws_iam_policy_document" "this" {
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" is the key itself; the account statement is AWS's default key policy.
  #checkov:skip=CKV_AWS_356:Same as CKV_AWS_111: in a key policy "*" names only this key.
  #checkov:skip=CKV_AWS_109:Same as CKV_AWS_111: the account root keeps control of its own key (without it the key is unmanageable).
  source_policy_documents = var.policy_documents

  statement {
    sid       = "Account"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.this.json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
