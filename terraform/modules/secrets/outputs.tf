output "secretsmanager_secret_arns" {
  description = "Secret ARN by logical name (for IAM: secretsmanager:GetSecretValue)."
  value       = { for logical, s in aws_secretsmanager_secret.this : logical => s.arn }
}

output "secretsmanager_secret_names" {
  description = "Secret name by logical name (SPEAKTRACKER_ANTHROPIC_SECRET_ID accepts the name or the ARN)."
  value       = { for logical, s in aws_secretsmanager_secret.this : logical => s.name }
}
