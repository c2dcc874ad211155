output "sqs_queue_urls" {
  description = "Queue URL by logical name."
  value       = { for logical, q in aws_sqs_queue.this : logical => q.url }
}

output "sqs_queue_arns" {
  description = "Queue ARN by logical name."
  value       = { for logical, q in aws_sqs_queue.this : logical => q.arn }
}

output "sqs_queue_names" {
  description = "Physical queue name by logical name."
  value       = { for logical, q in aws_sqs_queue.this : logical => q.name }
}

output "sqs_queue_dlq_urls" {
  description = "Dead-letter queue URL by the logical name of the queue it serves."
  value       = { for logical, q in aws_sqs_queue.dlq : logical => q.url }
}

output "sqs_queue_dlq_arns" {
  description = "Dead-letter queue ARN by the logical name of the queue it serves."
  value       = { for logical, q in aws_sqs_queue.dlq : logical => q.arn }
}

output "sqs_queue_dlq_names" {
  description = "Physical dead-letter queue name by the logical name of the queue it serves."
  value       = { for logical, q in aws_sqs_queue.dlq : logical => q.name }
}

output "sns_topic_arn" {
  description = "ARN of the events topic."
  value       = aws_sns_topic.this.arn
}

output "sns_topic_name" {
  description = "Physical name of the events topic."
  value       = aws_sns_topic.this.name
}

output "cloudwatch_metric_alarm_arns" {
  description = "Dead-letter queue alarm ARN by the logical name of the queue it watches."
  value       = { for logical, a in aws_cloudwatch_metric_alarm.dlq : logical => a.arn }
}
