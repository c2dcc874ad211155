output "s3_bucket_replication_configuration_destination" {
  description = "Name of the replica (the replication rule's destination bucket), or null when replication is off."
  value       = lookup(module.replica.s3_bucket_names, local.replica, null)
}

output "s3_bucket_replication_configuration_id" {
  description = "The replication rule on the source bucket, or null when replication is off."
  value       = one([for c in aws_s3_bucket_replication_configuration.this : c.id])
}
