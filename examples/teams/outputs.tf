output "lambda_function_names" {
  description = "Map of team to its Lambda function name."
  value       = { for team, deck in module.team_deck : team => deck.lambda_function_name }
}

output "cloudwatch_log_group_names" {
  description = "Map of team to its log group name."
  value       = { for team, deck in module.team_deck : team => deck.cloudwatch_log_group_name }
}

output "dashboard_urls" {
  description = "Map of team to its CloudWatch dashboard URL."
  value       = { for team, deck in module.team_deck : team => deck.dashboard_url }
}

output "alarm_arns" {
  description = "Map of team to its map of alarm name to alarm ARN."
  value       = { for team, deck in module.team_deck : team => deck.alarm_arns }
}

output "metric_namespace" {
  description = "CloudWatch namespace shared by every team."
  value       = var.metric_namespace
}
