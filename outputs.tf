output "lambda_function_name" {
  description = "Name of the Lambda function."
  value       = module.function.lambda_function_name
}

output "lambda_function_arn" {
  description = "ARN of the Lambda function."
  value       = module.function.lambda_function_arn
}

output "lambda_role_arn" {
  description = "ARN of the function's execution role."
  value       = module.function.lambda_role_arn
}

output "lambda_role_name" {
  description = "Name of the function's execution role, to attach more policies."
  value       = module.function.lambda_role_name
}

output "service_name" {
  description = "Service label of the calls (GENAI_SERVICE) that the dashboard and alarms follow."
  value       = var.create ? local.service_name : null
}

output "cloudwatch_log_group_name" {
  description = "Name of the shared log group the function writes to and the deck reads."
  value       = module.observability.cloudwatch_log_group_name
}

output "cloudwatch_log_group_arn" {
  description = "ARN of the shared log group."
  value       = module.observability.cloudwatch_log_group_arn
}

output "metric_namespace" {
  description = "CloudWatch namespace of the deck's metrics."
  value       = module.observability.metric_namespace
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
  description = "Map of saved question to its query definition name (deck folder / question)."
  value       = module.observability.query_definition_names
}

output "query_definition_ids" {
  description = "Map of saved question to its Logs Insights query definition ID."
  value       = module.observability.query_definition_ids
}

output "alarm_arns" {
  description = "Map of alarm name to alarm ARN."
  value       = module.observability.alarm_arns
}

output "sns_topic_arn" {
  description = "ARN of the SNS topic the alarms notify: the created topic, else alarm_sns_topic_arn."
  value       = module.observability.sns_topic_arn
}

output "schedule_arn" {
  description = "ARN of the EventBridge Scheduler schedule, or null without a schedule."
  value       = module.function.schedule_arn
}

output "dead_letter_queue_arn" {
  description = "ARN of the schedule's dead-letter queue, or null when none is created."
  value       = module.function.dead_letter_queue_arn
}

output "account_spend_metric_queries" {
  description = "GetMetricData queries whose one returned series (account_total) is the whole account's Amazon Bedrock spend in USD for the account view's models; empty when the account view is off."
  value       = module.observability.account_spend_metric_queries
}

output "budget_function_name" {
  description = "Name of the budget function that publishes today's spend (CostTodayUSD) and applies budget_action."
  value       = module.observability.budget_function_name
}

output "contributor_insight_rule_names" {
  description = "Map of attribution key to its Contributor Insights rule name."
  value       = module.observability.contributor_insight_rule_names
}

output "aws_budget_name" {
  description = "Name of the AWS Budgets budget on the billed Amazon Bedrock cost; null when not created."
  value       = module.observability.aws_budget_name
}

output "lambda_layer_arn" {
  description = "ARN of the genai-observability layer version attached to your own handler, or null with our agent handler."
  value       = module.layer.lambda_layer_arn
}
