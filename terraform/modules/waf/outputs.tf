output "wafv2_web_acl_arn" {
  description = "Web ACL ARN: a distribution's web_acl_id, or the web_acl_arn of an API stage's association."
  value       = aws_wafv2_web_acl.this.arn
}

output "wafv2_web_acl_name" {
  description = "Web ACL name (the WebACL dimension of its CloudWatch metrics)."
  value       = aws_wafv2_web_acl.this.name
}
