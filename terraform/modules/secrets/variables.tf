variable "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`; secrets are named `{name_prefix}/{logical}`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "secrets" {
  description = "Secrets by logical name with a description. Only the container is managed here: the value is put out of band (`aws secretsmanager put-secret-value`) so it never enters Terraform state or an environment variable."
  type        = map(string)
  default = {
    "anthropic-api-key" = "Anthropic API key the practice and conversation services call Claude with."
  }

  validation {
    condition     = alltrue([for k in keys(var.secrets) : can(regex("^[a-z][a-z0-9-]*$", k))])
    error_message = "Secret logical names are kebab-case."
  }
}

variable "generated_secrets" {
  description = "Secrets whose value Terraform generates at the first apply (Secrets Manager's GetRandomPassword, 64 letters and digits) and then leaves alone, by logical name with a description. The value is in the state file, as any generated secret's."
  type        = map(string)
  default = {
    "platform-secret" = "Platform secret of the stage: the keys the services derive for themselves (sealed page cursors, analytics pseudonyms) come from it (HKDF, one label per use)."
  }

  validation {
    condition     = alltrue([for k in keys(var.generated_secrets) : can(regex("^[a-z][a-z0-9-]*$", k))])
    error_message = "Secret logical names are kebab-case."
  }
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored (0 deletes at once; use 7-30 outside development)."
  type        = number
  default     = 7

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "recovery_window_in_days is 0 or between 7 and 30."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key; null uses the AWS managed key `aws/secretsmanager`."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every secret."
  type        = map(string)
  default     = {}
}
