# The prod stage: the platform (terraform/stage/platform.tf) with this stage's differences. Production: tables,
# the user pool and buckets with objects refuse to be deleted; logs kept 90 days.

locals {
  stage                     = "prod"
  protect                   = true
  extra_spa_origins         = []
  lambda_log_retention_days = 90
  guardduty                 = true
}
