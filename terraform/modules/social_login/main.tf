# Which social identity providers the user pool federates, and how: a provider is declared only when its client id
# is given. No resources and no provider here, so the choice is plain data (tests run it offline); the identity
# module creates the providers and reads each client secret from Secrets Manager.

locals {
  candidates = {
    Google = {
      client_id        = var.google.client_id
      client_secret_id = var.google.client_secret_id
      provider_type    = "Google"
      provider_details = {
        authorize_scopes = "openid email profile"
      }
      attribute_mapping = {
        email          = "email"
        email_verified = "email_verified"
        name           = "name"
        username       = "sub"
      }
    }
    # Kakao Login speaks OpenID Connect once "OpenID Connect" is switched on for the app (Kakao Developers).
    Kakao = {
      client_id        = var.kakao.client_id
      client_secret_id = var.kakao.client_secret_id
      provider_type    = "OIDC"
      provider_details = {
        oidc_issuer               = "https://kauth.kakao.com"
        authorize_url             = "https://kauth.kakao.com/oauth/authorize"
        token_url                 = "https://kauth.kakao.com/oauth/token"
        attributes_url            = "https://kapi.kakao.com/v1/oidc/userinfo"
        jwks_uri                  = "https://kauth.kakao.com/.well-known/jwks.json"
        attributes_request_method = "GET"
        authorize_scopes          = "openid profile_nickname account_email"
      }
      attribute_mapping = {
        email    = "email"
        name     = "nickname"
        username = "sub"
      }
    }
  }

  identity_providers = { for name, p in local.candidates : name => p if p.client_id != "" }
}
