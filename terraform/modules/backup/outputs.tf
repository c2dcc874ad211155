output "backup_vault_name" {
  description = "Vault holding the tables' daily recovery points."
  value       = aws_backup_vault.this.name
}

output "backup_plan_id" {
  description = "The daily backup plan."
  value       = aws_backup_plan.this.id
}

output "iam_role_arn" {
  description = "Role AWS Backup backs up and restores with (pass it to start-restore-job)."
  value       = aws_iam_role.this.arn
}
