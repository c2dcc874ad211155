output "sns_topic_arn" {
  description = "Alarm topic: every alarm of the platform and of the services notifies it."
  value       = aws_sns_topic.this.arn
}

output "cloudwatch_metric_alarm_arns" {
  description = "DynamoDB throttling alarm ARN by table logical name."
  value       = { for logical, a in aws_cloudwatch_metric_alarm.dynamodb_throttles : logical => a.arn }
}

output "cloudwatch_dashboard_name" {
  description = "Name of the stage's CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
