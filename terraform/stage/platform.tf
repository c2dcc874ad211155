# Every stage's root is this module call; the stage's own main.tf names the stage and its few choices
# (locals: protect, extra_spa_origins, lambda_log_retention_days, guardduty).

locals {
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
  protect                   = local.protect
  bucket_name_suffix        = var.bucket_name_suffix
  extra_spa_origins         = local.extra_spa_origins
  alarm_emails              = var.alarm_emails
  enable_guardduty          = coalesce(var.enable_guardduty, local.guardduty)
  replicate_user_content    = var.replicate_user_content
  service_api_urls          = var.service_api_urls
  websocket_url             = var.websocket_url
  lambda_log_retention_days = local.lambda_log_retention_days
  social_login              = var.social_login
  # Built by `make deploy-infra` before Terraform runs (scripts/package_analytics_transform.py).
  analytics_transform_package = "${path.root}/../../../build/functions/analytics-transform.zip"
}
