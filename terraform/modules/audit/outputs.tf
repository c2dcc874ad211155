output "cloudtrail_arn" {
  description = "ARN of the multi-region trail."
  value       = aws_cloudtrail.this.arn
}

output "s3_bucket_name" {
  description = "Audit log bucket: `cloudtrail/AWSLogs/...` and `s3-access/{logical}/...`."
  value       = aws_s3_bucket.this.id
}

output "kms_key_arn" {
  description = "Key the trail encrypts its log files with (readers of the logs need kms:Decrypt on it)."
  value       = aws_kms_key.this.arn
}

output "guardduty_detector_id" {
  description = "The region's GuardDuty detector, or null where this stage does not manage it."
  value       = one(aws_guardduty_detector.this[*].id)
}
