variable "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`; the pool is `{name_prefix}-{pool_logical}`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "user_pool" {
  description = "User pool settings (the catalogue module's `user_pool` output): logical names of the pool and the web client, the groups, password minimum length and token validities."
  type = object({
    logical             = string
    client_logical      = string
    groups              = list(string)
    password_min_length = number
    access_token_hours  = number
    id_token_hours      = number
    refresh_token_days  = number
  })

  validation {
    condition     = var.user_pool.password_min_length >= 8 && var.user_pool.password_min_length <= 99
    error_message = "The password minimum length must be between 8 and 99."
  }

  validation {
    condition = (
      var.user_pool.access_token_hours >= 1 && var.user_pool.access_token_hours <= 24 &&
      var.user_pool.id_token_hours >= 1 && var.user_pool.id_token_hours <= 24 &&
      var.user_pool.refresh_token_days >= 1 && var.user_pool.refresh_token_days <= 3650
    )
    error_message = "Access and ID tokens last 1-24 hours; refresh tokens 1-3650 days."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the user pool (turn on for production)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the user pool."
  type        = map(string)
  default     = {}
}
