output "s3_bucket_names" {
  description = "Physical bucket name by logical name."
  value       = { for logical, b in aws_s3_bucket.this : logical => b.bucket }
}

output "s3_bucket_arns" {
  description = "Bucket ARN by logical name."
  value       = { for logical, b in aws_s3_bucket.this : logical => b.arn }
}

output "s3_bucket_regional_domain_names" {
  description = "Regional domain name by logical name (the origin CloudFront uses)."
  value       = { for logical, b in aws_s3_bucket.this : logical => b.bucket_regional_domain_name }
}
