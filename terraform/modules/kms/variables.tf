variable "alias" {
  description = "Alias of the key, without `alias/` (for example `speaktracker-prod-audit`)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/")
    error_message = "alias must be letters, digits, /, _ or -, and not start with aws/."
  }
}

variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "policy_documents" {
  description = "Key policy statements (JSON policy documents) for the services that use the key, added to the account statement."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to the key."
  type        = map(string)
  default     = {}
}
