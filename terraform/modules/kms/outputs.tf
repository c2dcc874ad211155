output "kms_key_arn" {
  description = "ARN of the key."
  value       = aws_kms_key.this.arn
}

output "kms_key_id" {
  description = "Id of the key."
  value       = aws_kms_key.this.key_id
}
