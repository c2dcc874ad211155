# The whole platform of one stage: every environment root instantiates this module with its few
# differences, so a resource is written once (see ../../README of each module it composes).

locals {
  name_prefix = "${var.project}-${var.stage}"
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
  alarm_actions = var.alarm_actions
}

module "storage" {
  source = "../storage"

  name_prefix          = local.name_prefix
  name_suffix          = var.bucket_name_suffix
  buckets              = module.catalogue.buckets
  force_destroy        = !var.protect
  cors_allowed_origins = concat(["https://${module.cdn.cloudfront_distribution_domain_name}"], var.extra_spa_origins)
  cloudfront_distribution_arns = {
    "frontend" = module.cdn.cloudfront_distribution_arn
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

module "identity" {
  source = "../identity"

  name_prefix         = local.name_prefix
  user_pool           = module.catalogue.user_pool
  deletion_protection = var.protect
}

module "cdn" {
  source = "../cdn"

  name_prefix                 = local.name_prefix
  bucket_regional_domain_name = module.storage.s3_bucket_regional_domain_names["frontend"]
}

module "secrets" {
  source = "../secrets"

  name_prefix             = local.name_prefix
  recovery_window_in_days = var.protect ? 30 : 0
}
