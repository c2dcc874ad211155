output "identity_providers" {
  description = "The providers to federate, by Cognito provider name (`Google`, `Kakao`): type, details without the secret, the Secrets Manager id of the client secret, and the attribute mapping."
  value       = local.identity_providers
}

output "supported_identity_providers" {
  description = "The web client's identity providers: Cognito's own accounts, then each federated provider."
  value       = concat(["COGNITO"], sort(keys(local.identity_providers)))
}

output "hosted_ui" {
  description = "Whether any social provider is declared (the hosted UI, its domain and the OAuth code flow are needed)."
  value       = length(local.identity_providers) > 0
}
