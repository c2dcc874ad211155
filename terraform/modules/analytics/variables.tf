variable "name_prefix" {
  description = "Prefix of every name, `{project}-{stage}` (for example `speaktracker-prod`)."
  type        = string
}

variable "name_suffix" {
  description = "Suffix that makes the bucket name globally unique (for example the account id); empty for none."
  type        = string
  default     = ""
}

variable "events_topic_arn" {
  description = "ARN of the events topic whose every event is archived."
  type        = string
}

variable "platform_secret_arn" {
  description = "ARN of the stage's platform secret: the transformation's pseudonym key is its analytics subkey (speaktracker.platform_secret)."
  type        = string
}

variable "platform_secret_kms_key_arn" {
  description = "Customer managed key that encrypts the platform secret, if any; null for the AWS managed aws/secretsmanager key."
  type        = string
  default     = null
}

variable "transform_package" {
  description = "Path of the transformation Lambda's zip (scripts/package_analytics_transform.py; `make deploy-infra` builds it first)."
  type        = string
}

variable "buffering_seconds" {
  description = "How long Firehose buffers events before it writes a file (60 to 900 seconds)."
  type        = number
  default     = 300

  validation {
    condition     = var.buffering_seconds >= 60 && var.buffering_seconds <= 900
    error_message = "buffering_seconds is between 60 and 900."
  }
}

variable "log_retention_days" {
  description = "Days Firehose's delivery error logs and the transformation's logs are kept."
  type        = number
  default     = 30
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete the bucket with the archived events in it (dev stages)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
