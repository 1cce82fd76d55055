output "lambda_layer_arn" {
  description = "ARN of the layer version (with its version number), for a function's layers."
  value       = one(aws_lambda_layer_version.this[*].arn)
}

output "lambda_layer_version" {
  description = "Version number of the published layer version."
  value       = one(aws_lambda_layer_version.this[*].version)
}

output "lambda_layer_source_code_hash" {
  description = "Base64 SHA-256 of the published layer zip."
  value       = one(aws_lambda_layer_version.this[*].source_code_hash)
}

output "environment_variables" {
  description = "Environment variables to merge into a function that uses the layer (AWS_LAMBDA_EXEC_WRAPPER); an empty map when the module creates nothing."
  value       = var.create ? local.environment_variables : {}
}
