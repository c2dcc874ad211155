variable "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`; the web ACL is `{name_prefix}-{scope}`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "scope" {
  description = "CLOUDFRONT for a distribution (the provider must be in us-east-1) or REGIONAL for API Gateway stages."
  type        = string

  validation {
    condition     = contains(["CLOUDFRONT", "REGIONAL"], var.scope)
    error_message = "scope must be CLOUDFRONT or REGIONAL."
  }
}

variable "rate_limit_per_5_minutes" {
  description = "Requests one IP address may make in 5 minutes before it is blocked (the seed's API throttling is 100 per second for everyone)."
  type        = number
  default     = 2000

  validation {
    condition     = var.rate_limit_per_5_minutes >= 10
    error_message = "WAF's rate-based rules take a limit of at least 10."
  }
}

variable "common_rules_counted" {
  description = "Rules of AWSManagedRulesCommonRuleSet that only count instead of blocking (the body size limit would block recordings)."
  type        = list(string)
  default     = ["SizeRestrictions_BODY"]
}

variable "log_retention_days" {
  description = "Days the web ACL's request log keeps its entries."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to the web ACL and its log group."
  type        = map(string)
  default     = {}
}
