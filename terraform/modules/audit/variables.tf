variable "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`; names the trail, its key and the audit log bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "name_suffix" {
  description = "Appended to the audit log bucket's name to make it globally unique; empty by default."
  type        = string
  default     = ""
}

variable "access_logged_bucket_names" {
  description = "Buckets holding users' data, by logical name: their server access logs go to the access-log bucket under `{logical}/` and the trail records their object reads and writes."
  type        = map(string)
}

variable "access_logged_bucket_arns" {
  description = "ARNs of the same buckets, by logical name (the log delivery and the trail's data events name them)."
  type        = map(string)
}

variable "log_retention_days" {
  description = "Days the trail's log files and the access logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.log_retention_days >= 90
    error_message = "Keep audit logs at least 90 days (CloudTrail's own event history covers 90)."
  }
}

variable "enable_guardduty" {
  description = "Create the region's GuardDuty detector. An account has one per region: when two stages share an account, only one of them may set this."
  type        = bool
  default     = true
}

variable "alarm_topic_arn" {
  description = "SNS topic that receives GuardDuty findings of severity 7 and above."
  type        = string
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete the audit log bucket with its logs (development stages only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the trail, key, bucket and detector."
  type        = map(string)
  default     = {}
}
