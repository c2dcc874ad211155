output "cloudtrail_arn" {
  description = "ARN of the multi-region trail."
  value       = aws_cloudtrail.this.arn
}

output "cloudtrail_s3_bucket_name" {
  description = "The trail's own bucket (`AWSLogs/{account}/CloudTrail/...`)."
  value       = local.names[local.trail_bucket]
}

output "guardduty_detector_id" {
  description = "The region's GuardDuty detector, or null where this stage does not manage it."
  value       = one(aws_guardduty_detector.this[*].id)
}

output "s3_bucket_logging_target_bucket" {
  description = "Bucket of the user buckets' server access logs (`{logical}/...`, date-partitioned)."
  value       = local.names[local.access_bucket]
}
