output "cognito_user_pool_id" {
  description = "User pool id (SPEAKTRACKER_COGNITO_USER_POOL_ID)."
  value       = aws_cognito_user_pool.this.id
}

output "cognito_user_pool_arn" {
  description = "User pool ARN, for IAM policies."
  value       = aws_cognito_user_pool.this.arn
}

output "cognito_user_pool_name" {
  description = "Physical name of the user pool."
  value       = aws_cognito_user_pool.this.name
}

output "cognito_user_pool_endpoint" {
  description = "Issuer host and path of the pool's tokens (cognito-idp.{region}.amazonaws.com/{pool id})."
  value       = aws_cognito_user_pool.this.endpoint
}

output "cognito_user_pool_client_id" {
  description = "Web client id (SPEAKTRACKER_COGNITO_CLIENT_ID); the client has no secret."
  value       = aws_cognito_user_pool_client.this.id
}

output "cognito_user_group_names" {
  description = "Group names (the roles)."
  value       = sort([for g in aws_cognito_user_group.this : g.name])
}

output "cognito_identity_provider_names" {
  description = "The federated social providers (Google, Kakao), empty when none is declared."
  value       = sort(keys(aws_cognito_identity_provider.this))
}

output "cognito_user_pool_domain_hosted_ui_url" {
  description = "The hosted UI's base URL, or null without social sign-in; identity providers send people back to `{url}/oauth2/idpresponse`."
  value       = var.hosted_ui ? "https://${aws_cognito_user_pool_domain.this[0].domain}.auth.${data.aws_region.current.name}.amazoncognito.com" : null
}
