resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57:Third-party API keys are issued in the provider's console; there is no rotation Lambda that could mint a new Anthropic key. Rotate by hand with put-secret-value.
  #checkov:skip=CKV_AWS_149:The AWS managed key aws/secretsmanager encrypts the secret; pass kms_key_arn for a customer managed key.
  for_each = var.secrets

  name                    = "${var.name_prefix}/${each.key}"
  description             = each.value
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days

  tags = var.tags
}
