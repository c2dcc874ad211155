
output "stage" {
  description = "Stage of this stack (SPEAKTRACKER_STAGE)."
  value       = var.stage
}

output "region" {
  description = "AWS region of this stack."
  value       = var.region
}

output "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`."
  value       = local.name_prefix
}

output "resource_names" {
  description = "Physical name by logical name of every table, queue, dead-letter queue, topic, bucket and the user pool (SPEAKTRACKER_RESOURCE_NAMES)."
  value = merge(
    module.data.dynamodb_table_names,
    module.messaging.sqs_queue_names,
    { for logical, name in module.messaging.sqs_queue_dlq_names : "${logical}-dlq" => name },
    { (module.catalogue.events_topic) = module.messaging.sns_topic_name },
    module.storage.s3_bucket_names,
    { (module.catalogue.user_pool.logical) = module.identity.cognito_user_pool_name },
  )
}

output "dynamodb_table_names" {
  description = "Table name by logical name."
  value       = module.data.dynamodb_table_names
}

output "dynamodb_table_arns" {
  description = "Table ARN by logical name."
  value       = module.data.dynamodb_table_arns
}

output "sqs_queue_urls" {
  description = "Queue URL by logical name."
  value       = module.messaging.sqs_queue_urls
}

output "sqs_queue_arns" {
  description = "Queue ARN by logical name."
  value       = module.messaging.sqs_queue_arns
}

output "sqs_dlq_urls" {
  description = "Dead-letter queue URL by the logical name of its queue."
  value       = module.messaging.sqs_queue_dlq_urls
}

output "sqs_dlq_arns" {
  description = "Dead-letter queue ARN by the logical name of its queue."
  value       = module.messaging.sqs_queue_dlq_arns
}

output "sns_topic_arn" {
  description = "ARN of the events topic (SPEAKTRACKER_EVENTS_TOPIC_ARN)."
  value       = module.messaging.sns_topic_arn
}

output "s3_bucket_names" {
  description = "Bucket name by logical name."
  value       = module.storage.s3_bucket_names
}

output "s3_bucket_arns" {
  description = "Bucket ARN by logical name."
  value       = module.storage.s3_bucket_arns
}

output "lambda_artifacts_bucket_name" {
  description = "Bucket the service deployments upload their Lambda packages to."
  value       = module.artifacts.s3_bucket_names["lambda-artifacts"]
}

output "lambda_artifacts_bucket_arn" {
  description = "ARN of the Lambda package bucket."
  value       = module.artifacts.s3_bucket_arns["lambda-artifacts"]
}

output "lambda_log_retention_days" {
  description = "Retention of the services' Lambda and API Gateway log groups."
  value       = var.lambda_log_retention_days
}

output "cognito_user_pool_id" {
  description = "User pool id (SPEAKTRACKER_COGNITO_USER_POOL_ID)."
  value       = module.identity.cognito_user_pool_id
}

output "cognito_user_pool_client_id" {
  description = "Web client id (SPEAKTRACKER_COGNITO_CLIENT_ID)."
  value       = module.identity.cognito_user_pool_client_id
}

output "cognito_user_pool_arn" {
  description = "User pool ARN."
  value       = module.identity.cognito_user_pool_arn
}

output "cloudfront_distribution_domain_name" {
  description = "The SPA's domain name."
  value       = module.cdn.cloudfront_distribution_domain_name
}

output "cloudfront_distribution_id" {
  description = "Distribution id, for invalidations after uploading a new SPA build."
  value       = module.cdn.cloudfront_distribution_id
}

output "secretsmanager_secret_arns" {
  description = "Secret ARN by logical name (SPEAKTRACKER_ANTHROPIC_SECRET_ID is the `anthropic-api-key` one)."
  value       = module.secrets.secretsmanager_secret_arns
}

output "wafv2_api_web_acl_arn" {
  description = "REGIONAL web ACL the services associate with their API Gateway stages."
  value       = module.waf_api.wafv2_web_acl_arn
}

output "wafv2_cloudfront_web_acl_arn" {
  description = "CLOUDFRONT web ACL on the distribution."
  value       = module.waf_cloudfront.wafv2_web_acl_arn
}

output "web_config" {
  description = "The document served at https://{distribution}/config.json: region, every service's URL (the one origin) and the WebSocket URL."
  value       = local.web_config
}

output "api_routes" {
  description = "Path patterns CloudFront routes to each service, in the order it tries them."
  value       = local.api_routes
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies, the services' too (Lambda error rate, API latency)."
  value       = module.observability.sns_topic_arn
}

output "cloudwatch_dashboard_name" {
  description = "The stage's CloudWatch dashboard."
  value       = module.observability.cloudwatch_dashboard_name
}

output "cloudtrail_arn" {
  description = "The stage's multi-region trail."
  value       = module.audit.cloudtrail_arn
}

output "cloudtrail_bucket_name" {
  description = "The trail's own bucket of log files."
  value       = module.audit.cloudtrail_s3_bucket_name
}

output "access_log_bucket_name" {
  description = "Bucket of the user-content bucket's server access logs."
  value       = module.audit.s3_bucket_logging_target_bucket
}

output "backup_vault_name" {
  description = "Vault of the tables' daily recovery points."
  value       = module.backup.backup_vault_name
}

output "backup_role_arn" {
  description = "Role to restore with (aws backup start-restore-job --iam-role-arn)."
  value       = module.backup.iam_role_arn
}

output "user_content_replica_bucket_name" {
  description = "The user content's cross-region replica, or null when replication is off."
  value       = module.replication.s3_bucket_replication_configuration_destination
}

output "analytics_s3_bucket_name" {
  description = "Bucket of the archived events (events/type=<type>/dt=YYYY-MM-DD/)."
  value       = module.analytics.kinesis_firehose_delivery_stream_bucket_name
}

output "analytics_glue_catalog_database_name" {
  description = "Glue database whose `events` table Athena queries."
  value       = module.analytics.glue_catalog_database_name
}

output "cognito_hosted_ui_url" {
  description = "The hosted UI's base URL for social sign-in (null without it): give `{url}/oauth2/idpresponse` to Google and Kakao as the redirect URI."
  value       = module.identity.cognito_user_pool_domain_hosted_ui_url
}
