output "tables" {
  description = "DynamoDB tables by logical name: owner context, hash/range keys, global secondary indexes, TTL attribute, stream flag."
  value       = local.tables
}

output "queues" {
  description = "SQS queues by logical name: consumer context, visibility timeout, maxReceiveCount, retention, long-poll wait, DLQ retention and the event types each subscribes to."
  value       = local.queues
}

output "buckets" {
  description = "S3 buckets by logical name: versioning, whether browsers reach it with presigned URLs (so it needs CORS), and key prefixes with their expiry in days (null keeps objects)."
  value       = local.buckets
}

output "events_topic" {
  description = "Logical name of the SNS topic integration events are published to."
  value       = local.events_topic
}

output "user_pool" {
  description = "Cognito user pool settings: logical names, groups, password minimum length and token validities."
  value       = local.user_pool
}
