output "lambda_function_name" {
  description = "Name of the Lambda function."
  value       = module.genai_deck.lambda_function_name
}

output "lambda_function_arn" {
  description = "ARN of the Lambda function."
  value       = module.genai_deck.lambda_function_arn
}

output "service_name" {
  description = "Service label of the calls that the dashboard and alarms follow."
  value       = module.genai_deck.service_name
}

output "cloudwatch_log_group_name" {
  description = "Name of the shared log group."
  value       = module.genai_deck.cloudwatch_log_group_name
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = module.genai_deck.dashboard_name
}

output "dashboard_url" {
  description = "Console URL of the CloudWatch dashboard."
  value       = module.genai_deck.dashboard_url
}

output "query_definition_ids" {
  description = "Map of saved question to its Logs Insights query definition ID."
  value       = module.genai_deck.query_definition_ids
}

output "alarm_arns" {
  description = "Map of alarm name to alarm ARN."
  value       = module.genai_deck.alarm_arns
}

output "sns_topic_arn" {
  description = "ARN of the SNS topic the alarms notify."
  value       = module.genai_deck.sns_topic_arn
}

output "schedule_arn" {
  description = "ARN of the EventBridge Scheduler schedule."
  value       = module.genai_deck.schedule_arn
}

output "dead_letter_queue_arn" {
  description = "ARN of the schedule's dead-letter queue."
  value       = module.genai_deck.dead_letter_queue_arn
}

output "metric_namespace" {
  description = "CloudWatch namespace of the deck's metrics."
  value       = module.genai_deck.metric_namespace
}

output "disabled_lambda_function_arn" {
  description = "Always null: the disabled instance creates nothing."
  value       = module.disabled.lambda_function_arn
}

output "budget_function_name" {
  description = "Name of the budget function (today's spend, the brake)."
  value       = module.genai_deck.budget_function_name
}

output "contributor_insight_rule_names" {
  description = "Map of attribution key to its Contributor Insights rule name."
  value       = module.genai_deck.contributor_insight_rule_names
}
