resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57:Third-party API keys are issued in the provider's console, and the platform secret must stay stable (rotating it would void every page cursor in flight and every analytics pseudonym); there is no rotation Lambda. Rotate by hand with put-secret-value.
  #checkov:skip=CKV_AWS_149:The AWS managed key aws/secretsmanager encrypts the secret; pass kms_key_arn for a customer managed key.
  for_each = merge(var.secrets, var.generated_secrets)

  name                    = "${var.name_prefix}/${each.key}"
  description             = each.value
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days

  tags = var.tags
}

# A generated secret's value: made by Secrets Manager once, at the first apply, and never replaced by a later plan
# (the data source draws a new password each time; ignore_changes keeps the first).
data "aws_secretsmanager_random_password" "generated" {
  for_each = var.generated_secrets

  password_length     = 64
  exclude_punctuation = true
  include_space       = false
}

resource "aws_secretsmanager_secret_version" "generated" {
  for_each = var.generated_secrets

  secret_id     = aws_secretsmanager_secret.this[each.key].id
  secret_string = data.aws_secretsmanager_random_password.generated[each.key].random_password

  lifecycle {
    ignore_changes = [secret_string]
  }
}
