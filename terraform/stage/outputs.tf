# Everything the services consume (their packaged Terraform reads `platform` through
# terraform_remote_state) and an operator needs: `terraform output -json platform`.

output "platform" {
  description = "The platform module's outputs (see terraform/modules/platform/outputs.tf): names, ARNs and URLs by logical name."
  value       = module.platform
}
