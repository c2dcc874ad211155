resource "aws_cognito_user_pool" "this" {
  name                     = "${var.name_prefix}-${var.user_pool.logical}"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = var.deletion_protection ? "ACTIVE" : "INACTIVE"
  # Two-step sign-in is each user's choice; an authenticator app's code (TOTP), never SMS.
  mfa_configuration = var.user_pool.mfa_configuration

  software_token_mfa_configuration {
    enabled = true
  }

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

  # Minutes between the password and the authenticator app's code (the session of the SOFTWARE_TOKEN_MFA challenge).
  auth_session_validity = var.user_pool.auth_session_minutes

  # Social sign-in through the hosted UI (the OAuth code flow with PKCE); only when a provider is declared.
  supported_identity_providers         = var.supported_identity_providers
  allowed_oauth_flows_user_pool_client = var.hosted_ui
  allowed_oauth_flows                  = var.hosted_ui ? ["code"] : null
  allowed_oauth_scopes                 = var.hosted_ui ? ["openid", "email", "profile"] : null
  callback_urls                        = var.hosted_ui ? var.callback_urls : null
  logout_urls                          = var.hosted_ui ? var.logout_urls : null

  depends_on = [aws_cognito_identity_provider.this]
}

# The providers the social_login module declares; each client secret is read from Secrets Manager at apply time.
data "aws_secretsmanager_secret_version" "identity_provider" {
  for_each = var.identity_providers

  secret_id = each.value.client_secret_id
}

resource "aws_cognito_identity_provider" "this" {
  for_each = var.identity_providers

  user_pool_id  = aws_cognito_user_pool.this.id
  provider_name = each.key
  provider_type = each.value.provider_type

  provider_details = merge(each.value.provider_details, {
    client_id     = each.value.client_id
    client_secret = data.aws_secretsmanager_secret_version.identity_provider[each.key].secret_string
  })

  attribute_mapping = each.value.attribute_mapping
}

# The hosted UI's address (https://{prefix}.auth.{region}.amazoncognito.com): where Google and Kakao send people
# back with the code (`/oauth2/idpresponse`).
resource "aws_cognito_user_pool_domain" "this" {
  count = var.hosted_ui ? 1 : 0

  domain       = coalesce(var.hosted_ui_domain_prefix, var.name_prefix)
  user_pool_id = aws_cognito_user_pool.this.id
}

resource "aws_cognito_user_group" "this" {
  for_each = toset(var.user_pool.groups)

  name         = each.key
  user_pool_id = aws_cognito_user_pool.this.id
  description  = "SpeakTracker ${each.key}s; the group is the user's role."
}
data "aws_region" "current" {}
