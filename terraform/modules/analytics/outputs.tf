output "kinesis_firehose_delivery_stream_bucket_name" {
  description = "Name of the bucket the stream writes to, the analytics bucket (events/type=<type>/dt=YYYY-MM-DD/)."
  value       = local.bucket_name
}

output "kinesis_firehose_delivery_stream_arn" {
  description = "ARN of the delivery stream the events topic feeds."
  value       = aws_kinesis_firehose_delivery_stream.this.arn
}

output "glue_catalog_database_name" {
  description = "Glue database of the events table, for Athena."
  value       = aws_glue_catalog_database.this.name
}

output "glue_catalog_table_name" {
  description = "Glue table over every archived event."
  value       = aws_glue_catalog_table.this.name
}

output "lambda_function_name" {
  description = "Name of the transformation Lambda that pseudonymises every event before it is archived."
  value       = aws_lambda_function.transform.function_name
}
