output "lambda_function_name" {
  description = "Name of the Lambda function."
  value       = one(aws_lambda_function.this[*].function_name)
}

output "lambda_function_arn" {
  description = "ARN of the Lambda function."
  value       = one(aws_lambda_function.this[*].arn)
}

output "lambda_function_invoke_arn" {
  description = "Invoke ARN of the Lambda function, for API Gateway integrations."
  value       = one(aws_lambda_function.this[*].invoke_arn)
}

output "lambda_function_source_code_hash" {
  description = "Base64 SHA-256 of the deployed package (source_code_hash)."
  value       = one(aws_lambda_function.this[*].source_code_hash)
}

output "lambda_role_arn" {
  description = "ARN of the function's execution role."
  value       = try(aws_iam_role.execution["lambda"].arn, null)
}

output "lambda_role_name" {
  description = "Name of the function's execution role, to attach more policies."
  value       = try(aws_iam_role.execution["lambda"].name, null)
}

output "lambda_role_policy_json" {
  description = "The function role's inline policy document (JSON), for review."
  value       = try(aws_iam_role_policy.execution["lambda"].policy, null)
}

output "cloudwatch_log_group_name" {
  description = "Name of the log group the function writes to (created here or passed in)."
  value       = var.create ? local.log_group_name : null
}

output "cloudwatch_log_group_arn" {
  description = "ARN of the log group the function writes to (without the trailing :*)."
  value       = local.log_group_arn
}

output "bedrock_resource_arns" {
  description = "Bedrock resource ARNs the function's role may invoke, derived from model_ids; the foundation-model ARNs behind inference profiles are granted only through those profiles."
  value       = var.create ? concat(local.direct_model_arns, local.inference_profile_model_arns, local.application_profile_model_arns) : null
}

output "schedule_arn" {
  description = "ARN of the EventBridge Scheduler schedule, or null without a schedule."
  value       = one(aws_scheduler_schedule.this[*].arn)
}

output "schedule_role_arn" {
  description = "ARN of the role EventBridge Scheduler uses to invoke the function, or null without a schedule."
  value       = try(aws_iam_role.execution["scheduler"].arn, null)
}

output "dead_letter_queue_arn" {
  description = "ARN of the schedule's dead-letter queue, or null when none is created."
  value       = one(aws_sqs_queue.dead_letter[*].arn)
}

output "dead_letter_queue_url" {
  description = "URL of the schedule's dead-letter queue, or null when none is created."
  value       = one(aws_sqs_queue.dead_letter[*].url)
}
