locals {
  stage       = "dev"
  name_prefix = "${var.project}-${local.stage}"
  tags = {
    Project   = var.project
    Stage     = local.stage
    ManagedBy = "terraform"
  }
  # Development: everything can be torn down and rebuilt.
  protect = false
}

module "catalogue" {
  source = "../../modules/catalogue"
}

module "data" {
  source = "../../modules/data"

  name_prefix            = local.name_prefix
  tables                 = module.catalogue.tables
  point_in_time_recovery = true
  deletion_protection    = local.protect
}

module "messaging" {
  source = "../../modules/messaging"

  name_prefix   = local.name_prefix
  queues        = module.catalogue.queues
  events_topic  = module.catalogue.events_topic
  alarm_actions = var.alarm_actions
}

module "storage" {
  source = "../../modules/storage"

  name_prefix          = local.name_prefix
  name_suffix          = var.bucket_name_suffix
  buckets              = module.catalogue.buckets
  force_destroy        = !local.protect
  cors_allowed_origins = concat(["https://${module.cdn.cloudfront_distribution_domain_name}"], var.extra_spa_origins)
  cloudfront_distribution_arns = {
    "frontend" = module.cdn.cloudfront_distribution_arn
  }
}

# Deployment packages of the services (over Lambda's 50 MB direct upload limit), kept 30 days.
module "artifacts" {
  source = "../../modules/storage"

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

module "identity" {
  source = "../../modules/identity"

  name_prefix         = local.name_prefix
  user_pool           = module.catalogue.user_pool
  deletion_protection = local.protect
}

module "cdn" {
  source = "../../modules/cdn"

  name_prefix                 = local.name_prefix
  bucket_regional_domain_name = module.storage.s3_bucket_regional_domain_names["frontend"]
}

module "secrets" {
  source = "../../modules/secrets"

  name_prefix             = local.name_prefix
  recovery_window_in_days = local.protect ? 30 : 0
}
