resource "aws_cognito_user_pool" "this" {
  name                     = "${var.name_prefix}-${var.user_pool.logical}"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = var.deletion_protection ? "ACTIVE" : "INACTIVE"
  mfa_configuration        = "OFF"

  username_configuration {
    case_sensitive = false
  }

  password_policy {
    minimum_length                   = var.user_pool.password_min_length
    require_uppercase                = true
    require_lowercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 7
  }

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true

    string_attribute_constraints {
      min_length = 3
      max_length = 254
    }
  }

  schema {
    name                = "name"
    attribute_data_type = "String"
    required            = true
    mutable             = true

    string_attribute_constraints {
      min_length = 1
      max_length = 100
    }
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  # The identity service sends its own codes through SES; Cognito's own mail is the fallback.
  email_configuration {
    email_sending_account = "COGNITO_DEFAULT"
  }

  tags = var.tags

  lifecycle {
    # Cognito cannot change the schema of an existing pool.
    ignore_changes = [schema]
  }
}

resource "aws_cognito_user_pool_client" "this" {
  name         = "${var.name_prefix}-${var.user_pool.client_logical}"
  user_pool_id = aws_cognito_user_pool.this.id

  generate_secret               = false
  explicit_auth_flows           = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true

  access_token_validity  = var.user_pool.access_token_hours
  id_token_validity      = var.user_pool.id_token_hours
  refresh_token_validity = var.user_pool.refresh_token_days

  token_validity_units {
    access_token  = "hours"
    id_token      = "hours"
    refresh_token = "days"
  }
}

resource "aws_cognito_user_group" "this" {
  for_each = toset(var.user_pool.groups)

  name         = each.key
  user_pool_id = aws_cognito_user_pool.this.id
  description  = "SpeakTracker ${each.key}s; the group is the user's role."
}
