output "cloudfront_distribution_id" {
  description = "Distribution id (for cache invalidations after an SPA upload)."
  value       = aws_cloudfront_distribution.this.id
}

output "cloudfront_distribution_arn" {
  description = "Distribution ARN (the frontend bucket policy lets only this distribution read)."
  value       = aws_cloudfront_distribution.this.arn
}

output "cloudfront_distribution_domain_name" {
  description = "The SPA's domain name (*.cloudfront.net)."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "cloudfront_distribution_hosted_zone_id" {
  description = "Route 53 zone id of the distribution (for an alias record of a custom domain)."
  value       = aws_cloudfront_distribution.this.hosted_zone_id
}
