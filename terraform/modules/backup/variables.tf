variable "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`; names the vault, plan, role and key."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "table_arns" {
  description = "DynamoDB table ARN by logical name: every one is backed up."
  type        = map(string)
}

variable "schedule" {
  description = "When the daily backup starts (cron in UTC; the default is 03:00 in Seoul, the quietest hour)."
  type        = string
  default     = "cron(0 18 * * ? *)"
}

variable "retention_days" {
  description = "Days each daily backup is kept (the seed: 35)."
  type        = number
  default     = 35

  validation {
    condition     = var.retention_days >= 1
    error_message = "retention_days must be at least 1."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete the vault with its recovery points (development stages only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the vault, plan, role and key."
  type        = map(string)
  default     = {}
}
