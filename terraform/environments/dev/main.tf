# The dev stage: the platform (terraform/stage/platform.tf) with this stage's differences. Development:
# everything can be torn down and rebuilt; a local SPA dev server may upload.

locals {
  stage                     = "dev"
  protect                   = false
  extra_spa_origins         = ["http://localhost:8080"]
  lambda_log_retention_days = 14
  guardduty                 = false # prod manages the account's detector; on when dev has its own account
}
