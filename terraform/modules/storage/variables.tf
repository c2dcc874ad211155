variable "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`; a bucket is `{name_prefix}-{logical}{name_suffix}`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "name_suffix" {
  description = "Appended to every bucket name to make it globally unique (for example `-123456789012`); empty by default."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[a-z0-9-]{0,20}$", var.name_suffix))
    error_message = "name_suffix must be at most 20 lower-case letters, digits or hyphens."
  }
}

variable "buckets" {
  description = "S3 buckets by logical name (the catalogue module's `buckets` output): whether versioned, whether browsers use presigned URLs on it (CORS), and key prefixes with the number of days after which their objects expire (null keeps them)."
  type = map(object({
    versioned      = optional(bool, false)
    browser_access = optional(bool, false)
    prefixes = optional(map(object({
      expiration_days = optional(number)
    })), {})
  }))

  validation {
    condition     = alltrue(flatten([for b in values(var.buckets) : [for p, rule in b.prefixes : endswith(p, "/") && (rule.expiration_days == null || try(rule.expiration_days >= 1, false))]]))
    error_message = "Prefixes end with '/' and expire after at least one day (or never, null)."
  }
}

variable "noncurrent_version_days" {
  description = "Days a replaced or deleted object version is kept in a versioned bucket before it is removed."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_days >= 1
    error_message = "noncurrent_version_days must be at least 1."
  }
}

variable "cors_allowed_origins" {
  description = "Browser origins (the SPA's CloudFront origin, a local dev server) allowed to GET, PUT and POST objects with presigned URLs on the buckets with `browser_access`."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.cors_allowed_origins : can(regex("^https://[^*]+$|^http://(localhost|127\\.0\\.0\\.1)(:[0-9]+)?$", o))])
    error_message = "CORS origins must be https:// origins without wildcards (or http://localhost for development)."
  }
}

variable "cloudfront_distribution_arns" {
  description = "Per bucket (logical name), the CloudFront distribution allowed to read it through origin access control."
  type        = map(string)
  default     = {}
}

variable "cloudfront_read_prefixes" {
  description = "Per bucket (logical name), the key prefixes its CloudFront distribution may read; a bucket not named here: every key."
  type        = map(list(string))
  default     = {}
}

variable "policy_documents" {
  description = "Per bucket (logical name), a JSON policy document whose statements join the bucket policy (services that write into it)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for default encryption; null uses SSE-S3 (AES-256)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete buckets that still hold objects (development stages only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every bucket."
  type        = map(string)
  default     = {}
}
