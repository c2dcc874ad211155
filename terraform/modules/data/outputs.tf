output "dynamodb_table_names" {
  description = "Physical table name by logical name."
  value       = { for logical, t in aws_dynamodb_table.this : logical => t.name }
}

output "dynamodb_table_arns" {
  description = "Table ARN by logical name (index ARNs are `{arn}/index/{name}`)."
  value       = { for logical, t in aws_dynamodb_table.this : logical => t.arn }
}

output "dynamodb_table_stream_arns" {
  description = "Stream ARN by logical name, for the tables that have a stream."
  value       = { for logical, t in aws_dynamodb_table.this : logical => t.stream_arn if var.tables[logical].stream }
}
