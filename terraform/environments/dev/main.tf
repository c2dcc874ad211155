# The dev stage: the platform module with this stage's differences. Development: everything can be torn down and rebuilt; a local SPA dev server may upload.

locals {
  stage = "dev"
  tags = {
    Project   = var.project
    Stage     = local.stage
    ManagedBy = "terraform"
  }
}

module "platform" {
  source = "../../modules/platform"

  project                   = var.project
  stage                     = local.stage
  region                    = var.region
  protect                   = false
  bucket_name_suffix        = var.bucket_name_suffix
  extra_spa_origins         = ["http://localhost:8080"]
  alarm_actions             = var.alarm_actions
  lambda_log_retention_days = 14
}
