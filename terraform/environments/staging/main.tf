# The staging stage: the platform (terraform/stage/platform.tf) as prod has it, on data that can be rebuilt:
# the last check before a release, deployed after approval (docs/deploying.md).

locals {
  stage                     = "staging"
  protect                   = false
  extra_spa_origins         = []
  lambda_log_retention_days = 30
  guardduty                 = false # prod manages the account's detector
}
