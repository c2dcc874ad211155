# The prod stage: the platform module with this stage's differences. Production: tables, the user pool and
# buckets with objects refuse to be deleted; logs kept 90 days.

locals {
  stage = "prod"
  tags = {
    Project   = var.project
    Stage     = local.stage
    ManagedBy = "terraform"
  }
}

module "platform" {
  source    = "../../modules/platform"
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1, aws.replica = aws.replica }

  project                   = var.project
  stage                     = local.stage
  region                    = var.region
  protect                   = true
  bucket_name_suffix        = var.bucket_name_suffix
  extra_spa_origins         = []
  alarm_emails              = var.alarm_emails
  enable_guardduty          = var.enable_guardduty
  replicate_user_content    = var.replicate_user_content
  service_api_urls          = var.service_api_urls
  websocket_url             = var.websocket_url
  lambda_log_retention_days = 90
}
