output "cloudtrail_arn" {
  description = "ARN of the multi-region trail."
  value       = aws_cloudtrail.this.arn
}

output "cloudtrail_s3_bucket_name" {
  description = "Audit log bucket: `cloudtrail/AWSLogs/...` and `s3-access/{logical}/...`."
  value       = local.bucket_name
}

output "guardduty_detector_id" {
  description = "The region's GuardDuty detector, or null where this stage does not manage it."
  value       = one(aws_guardduty_detector.this[*].id)
}
