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
    # Two-step sign-in: OFF, OPTIONAL (each user's choice) or ON.
    mfa_configuration    = string
    auth_session_minutes = number
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

  validation {
    condition     = contains(["OFF", "OPTIONAL", "ON"], var.user_pool.mfa_configuration)
    error_message = "mfa_configuration is OFF, OPTIONAL or ON."
  }

  validation {
    condition     = var.user_pool.auth_session_minutes >= 3 && var.user_pool.auth_session_minutes <= 15
    error_message = "Cognito's auth sessions last 3-15 minutes."
  }
}

variable "identity_providers" {
  description = "Social identity providers to federate, by Cognito provider name (the social_login module's `identity_providers` output); empty for none."
  type = map(object({
    client_id         = string
    client_secret_id  = string
    provider_type     = string
    provider_details  = map(string)
    attribute_mapping = map(string)
  }))
  default = {}
}

variable "supported_identity_providers" {
  description = "The web client's identity providers (the social_login module's output): COGNITO and each federated one."
  type        = list(string)
  default     = ["COGNITO"]
}

variable "hosted_ui" {
  description = "Turn on the hosted UI (its domain, the OAuth code flow): true when any social provider is declared."
  type        = bool
  default     = false
}

variable "hosted_ui_domain_prefix" {
  description = "Prefix of the hosted UI's domain (`{prefix}.auth.{region}.amazoncognito.com`, unique per region); name_prefix when empty."
  type        = string
  default     = ""
}

variable "callback_urls" {
  description = "Where the hosted UI may send people back after signing in (the SPA's /auth/callback on each origin)."
  type        = list(string)
  default     = []
}

variable "logout_urls" {
  description = "Where the hosted UI may send people after signing out (the SPA's origins)."
  type        = list(string)
  default     = []
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
