output "cloudwatch_log_group_name" {
  description = "Name of the existing log group the deck reads."
  value       = module.observability.cloudwatch_log_group_name
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = module.observability.dashboard_name
}

output "dashboard_url" {
  description = "Console URL of the CloudWatch dashboard."
  value       = module.observability.dashboard_url
}

output "query_definition_names" {
  description = "Map of saved question to its query definition name."
  value       = module.observability.query_definition_names
}

output "alarm_arns" {
  description = "Map of alarm name to alarm ARN."
  value       = module.observability.alarm_arns
}

output "metric_namespace" {
  description = "CloudWatch namespace of the deck's metrics."
  value       = module.observability.metric_namespace
}

output "lambda_layer_arn" {
  description = "ARN of the layer version attached to the function, or null when the example does not manage the function."
  value       = module.genai_layer.lambda_layer_arn
}

output "lambda_function_arn" {
  description = "ARN of your function, or null when the example does not manage it."
  value       = one(aws_lambda_function.app[*].arn)
}
