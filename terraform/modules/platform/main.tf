# The whole platform of one stage: every environment root instantiates this module with its few
# differences, so a resource is written once (see ../../README of each module it composes).

locals {
  # Where the SPA is served: its CloudFront domain, and any extra origin (a custom domain, a developer's machine).
  spa_origins = concat(["https://${module.cdn.cloudfront_distribution_domain_name}"], var.extra_spa_origins)
}

locals {
  name_prefix = "${var.project}-${var.stage}"
  # Buckets holding users' data: their access is logged and audited.
  user_data_buckets = ["user-content"]

  # One origin: CloudFront sends each API path (the seed's paths, as the services route them) to the service
  # that answers it, first match wins, and everything else to the SPA bucket. tests/infra checks every route
  # of every packaged service lands on its own service.
  api_routes = [
    { path_pattern = "/api/auth/*", service = "identity" },
    { path_pattern = "/api/users/*", service = "identity" },
    { path_pattern = "/api/guardian-consent*", service = "identity" },
    { path_pattern = "/api/tutor/feedback*", service = "notifications" },
    { path_pattern = "/api/notifications*", service = "notifications" },
    { path_pattern = "/api/feedback*", service = "notifications" },
    { path_pattern = "/api/tutors*", service = "matching" },
    { path_pattern = "/api/tutor/*", service = "matching" },
    { path_pattern = "/api/requests*", service = "matching" },
    { path_pattern = "/api/student*", service = "matching" },
    { path_pattern = "/api/sessions*", service = "practice" },
    { path_pattern = "/api/sentences/*", service = "practice" },
    { path_pattern = "/api/tts/*", service = "practice" },
    { path_pattern = "/api/stt/*", service = "practice" },
    { path_pattern = "/api/stats/*", service = "practice" },
    { path_pattern = "/api/results*", service = "practice" },
    { path_pattern = "/api/ai/*", service = "conversation" },
  ]

  # https://{id}.execute-api.{region}.amazonaws.com/{stage} -> an origin with the stage as its path.
  api_origins = {
    for service, url in var.service_api_urls : service => {
      domain_name = regex("^https://([^/]+)", url)[0]
      origin_path = regex("^https://[^/]+(/[^/]+)/?$", url)[0]
    }
  }

  # GET /config.json in AWS: every service behind the one origin (the SPA's own), as the dev stack serves it.
  web_config = {
    region    = var.region
    services  = { for service in distinct([for r in local.api_routes : r.service]) : service => "https://${module.cdn.cloudfront_distribution_domain_name}" }
    websocket = var.websocket_url
  }
}

module "catalogue" {
  source = "../catalogue"
}

module "data" {
  source = "../data"

  name_prefix            = local.name_prefix
  tables                 = module.catalogue.tables
  point_in_time_recovery = true
  deletion_protection    = var.protect
}

module "messaging" {
  source = "../messaging"

  name_prefix   = local.name_prefix
  queues        = module.catalogue.queues
  events_topic  = module.catalogue.events_topic
  alarm_actions = concat([module.observability.sns_topic_arn], var.alarm_actions)
}

# The alarm topic, DynamoDB throttling alarms and the dashboard; the services' packaged Terraform adds
# their own alarms (Lambda error rate, API latency) on the same topic (alarm_topic_arn).
module "observability" {
  source = "../observability"

  name_prefix    = local.name_prefix
  project        = var.project
  stage          = var.stage
  region         = var.region
  table_names    = module.data.dynamodb_table_names
  dlq_names      = module.messaging.sqs_queue_dlq_names
  dlq_alarm_arns = module.messaging.cloudwatch_metric_alarm_arns
  alarm_emails   = var.alarm_emails
}

module "storage" {
  source = "../storage"

  name_prefix          = local.name_prefix
  name_suffix          = var.bucket_name_suffix
  buckets              = module.catalogue.buckets
  force_destroy        = !var.protect
  cors_allowed_origins = local.spa_origins
  cloudfront_distribution_arns = {
    "frontend"     = module.cdn.cloudfront_distribution_arn
    "user-content" = module.cdn.cloudfront_distribution_arn
  }
  # Only the content-addressed native-voice audio is served through CloudFront (docs/decisions.md, "Caching").
  cloudfront_read_prefixes = {
    "user-content" = ["tts/"]
  }
}

# Deployment packages of the services (over Lambda's 50 MB direct upload limit), kept 30 days.
module "artifacts" {
  source = "../storage"

  name_prefix   = local.name_prefix
  name_suffix   = var.bucket_name_suffix
  force_destroy = true
  buckets = {
    "lambda-artifacts" = {
      versioned = false
      prefixes  = { "lambda/" = { expiration_days = 30 } }
    }
  }
}

module "social_login" {
  source = "../social_login"

  google = var.social_login.google
  kakao  = var.social_login.kakao
}

module "identity" {
  source = "../identity"

  name_prefix         = local.name_prefix
  user_pool           = module.catalogue.user_pool
  deletion_protection = var.protect

  identity_providers           = module.social_login.identity_providers
  supported_identity_providers = module.social_login.supported_identity_providers
  hosted_ui                    = module.social_login.hosted_ui
  hosted_ui_domain_prefix      = var.social_login.domain_prefix
  # The SPA's origins: its CloudFront domain and any extra (a custom domain), each with the callback page.
  callback_urls = [for origin in local.spa_origins : "${origin}/auth/callback"]
  logout_urls   = [for origin in local.spa_origins : "${origin}/login"]
}

module "cdn" {
  source = "../cdn"

  name_prefix                       = local.name_prefix
  bucket_regional_domain_name       = module.storage.s3_bucket_regional_domain_names["frontend"]
  audio_bucket_regional_domain_name = module.storage.s3_bucket_regional_domain_names["user-content"]
  web_acl_arn                       = module.waf_cloudfront.wafv2_web_acl_arn
  api_origins                       = local.api_origins
  api_routes                        = local.api_routes
}

# WAF: a CLOUDFRONT-scope web ACL (it must live in us-east-1) on the distribution, and a REGIONAL one the
# services' packaged Terraform associates with their API Gateway stages (wafv2_api_web_acl_arn).
module "waf_cloudfront" {
  source    = "../waf"
  providers = { aws = aws.us_east_1 }

  name_prefix              = local.name_prefix
  scope                    = "CLOUDFRONT"
  rate_limit_per_5_minutes = var.rate_limit_per_5_minutes
}

module "waf_api" {
  source = "../waf"

  name_prefix              = local.name_prefix
  scope                    = "REGIONAL"
  rate_limit_per_5_minutes = var.rate_limit_per_5_minutes
}

# Audit and threat detection: CloudTrail (every region, validated, KMS), GuardDuty, and the server access
# logs of the bucket with users' recordings and images.
module "audit" {
  source = "../audit"

  name_prefix                = local.name_prefix
  name_suffix                = var.bucket_name_suffix
  access_logged_bucket_names = { for b in local.user_data_buckets : b => module.storage.s3_bucket_names[b] }
  access_logged_bucket_arns  = { for b in local.user_data_buckets : b => module.storage.s3_bucket_arns[b] }
  enable_guardduty           = var.enable_guardduty
  alarm_topic_arn            = module.observability.sns_topic_arn
  force_destroy              = !var.protect
}

# Daily AWS Backup of every table (35 days), on top of point-in-time recovery.
module "backup" {
  source = "../backup"

  name_prefix    = local.name_prefix
  table_arns     = module.data.dynamodb_table_arns
  retention_days = 35
  force_destroy  = !var.protect
}

# Optional copy of the user content in a second region (replicate_user_content, off by default).
module "replication" {
  source    = "../replication"
  providers = { aws = aws, aws.replica = aws.replica }

  enabled            = var.replicate_user_content
  name_prefix        = local.name_prefix
  name_suffix        = var.bucket_name_suffix
  source_logical     = "user-content"
  source_bucket_name = module.storage.s3_bucket_names["user-content"]
  source_bucket_arn  = module.storage.s3_bucket_arns["user-content"]
  expiring_prefixes = {
    for prefix, rule in module.catalogue.buckets["user-content"].prefixes : prefix => rule.expiration_days
    if rule.expiration_days != null
  }
  force_destroy = !var.protect
}

resource "aws_s3_object" "web_config" {
  bucket        = module.storage.s3_bucket_names["frontend"]
  key           = "config.json"
  content       = jsonencode(local.web_config)
  content_type  = "application/json"
  cache_control = "no-cache"
}

module "secrets" {
  source = "../secrets"

  name_prefix             = local.name_prefix
  recovery_window_in_days = var.protect ? 30 : 0
}

# Learning analytics: every event, through Firehose and its pseudonymising Lambda, into a date-partitioned bucket
# with a Glue table.
module "analytics" {
  source = "../analytics"

  name_prefix         = local.name_prefix
  name_suffix         = var.bucket_name_suffix
  events_topic_arn    = module.messaging.sns_topic_arn
  platform_secret_arn = module.secrets.secretsmanager_secret_arns["platform-secret"]
  transform_package   = var.analytics_transform_package
  force_destroy       = !var.protect
}
