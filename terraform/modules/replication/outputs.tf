output "s3_bucket_name" {
  description = "The replica's name, or null when replication is off."
  value       = one([for b in aws_s3_bucket.this : b.bucket])
}

output "s3_bucket_arn" {
  description = "The replica's ARN, or null when replication is off."
  value       = one([for b in aws_s3_bucket.this : b.arn])
}
