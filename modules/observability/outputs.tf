output "cloudwatch_log_group_name" {
  description = "Name of the deck's log group (created or attached to)."
  # Through the resource when created, so users of the name wait for the group.
  value = var.create ? local.primary_log_group_name : null
}

output "cloudwatch_log_group_arn" {
  description = "ARN of the log group created by the module; null when attached to an existing group, because the module reads no account ID for it (the ARN is arn:<partition>:logs:<region>:<account>:log-group:<name>)."
  value       = one(aws_cloudwatch_log_group.this[*].arn)
}

output "cloudwatch_log_group_names" {
  description = "Names of every log group the saved queries and the dashboard's log tables scan."
  value       = var.create ? local.log_group_names : null
}

output "service_name" {
  description = "Value of the service key the dashboard and alarms follow; set GENAI_SERVICE to it."
  value       = var.create ? local.service_name : null
}

output "metric_namespace" {
  description = "CloudWatch namespace of the deck's metrics."
  value       = var.create ? var.metric_namespace : null
}

output "metric_names" {
  description = "Map of every metric name the metric filters publish to its CloudWatch unit."
  value       = local.create_metric_filters ? local.metric_units : null
}

output "metric_filters" {
  description = "Map of metric filter key to its name, pattern, metric name, value selector, unit and dimensions."
  value       = local.create_metric_filters ? local.metric_filters : null
}

output "queries" {
  description = "Map of saved question to its Logs Insights query string."
  value       = var.create ? local.queries : null
}

output "query_definition_names" {
  description = "Map of saved question to its query definition name (deck folder / question)."
  value       = local.create_query_definitions ? { for q, _ in local.queries : q => "${var.name}/${q}" } : null
}

output "query_definition_ids" {
  description = "Map of saved question to its query definition ID."
  value       = local.create_query_definitions ? { for q, d in aws_cloudwatch_query_definition.this : q => d.query_definition_id } : null
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = one(aws_cloudwatch_dashboard.this[*].dashboard_name)
}

output "dashboard_url" {
  description = "Console URL of the CloudWatch dashboard."
  value       = local.create_dashboard ? local.dashboard_url : null
}

output "dashboard_body" {
  description = "JSON body of the CloudWatch dashboard."
  value       = one(aws_cloudwatch_dashboard.this[*].dashboard_body)
}

output "alarm_arns" {
  description = "Map of alarm name to alarm ARN."
  value       = var.create ? local.alarm_arns : null
}

output "sns_topic_arn" {
  description = "ARN of the SNS topic the alarms notify: the created topic, else alarm_sns_topic_arn."
  value       = var.create ? try(coalesce(one(aws_sns_topic.this[*].arn), var.alarm_sns_topic_arn), null) : null
}

output "account_spend_metric_queries" {
  description = "GetMetricData queries (Id, Expression or MetricStat, Label, ReturnData; hourly) whose one returned series, account_total, is the Amazon Bedrock spend of the whole account in this Region in USD for account_model_ids (AWS/Bedrock) and account_mantle_model_ids (AWS/BedrockMantle); cost<N> and mcost<N> (ReturnData false, Label the model id) are each model's. Empty when the account view is off."
  value       = [for q in local.account_spend_metric_queries : q if local.enable_account_view]
}

output "source_account_spend_metric_queries" {
  description = "Per source account (source_account_ids), the same queries as account_spend_metric_queries with AccountId on every metric and ids prefixed a<N>_: run in the monitoring account, each returns that account's Amazon Bedrock spend in USD."
  value       = { for a in distinct(var.source_account_ids) : a => local.account_spend_queries["${a}/3600"] if local.enable_account_view }
}

output "budget_function_name" {
  description = "Name of the budget function that publishes CostTodayUSD and applies budget_action; null when not created."
  value       = one(aws_lambda_function.budget[*].function_name)
}

output "budget_function_arn" {
  description = "ARN of the budget function; null when not created."
  value       = one(aws_lambda_function.budget[*].arn)
}

output "budget_schedule_arn" {
  description = "ARN of the EventBridge Scheduler schedule that runs the budget function every 5 minutes; null when not created."
  value       = one(aws_scheduler_schedule.budget[*].arn)
}

output "budget_stop_function_names" {
  description = "Names of the functions the brake stops when today's spend passes the budget (budget_action = stop); empty otherwise."
  value       = local.create_budget_function ? local.budget_stop_functions : null
}

output "contributor_insight_rule_names" {
  description = "Map of attribution key to the name of its Contributor Insights rule (Sum of cost_usd by that key)."
  value       = local.create_contributor_insights ? { for k, r in aws_cloudwatch_contributor_insight_rule.this : k => r.rule_name } : null
}

output "aws_budget_name" {
  description = "Name of the AWS Budgets budget on the billed Amazon Bedrock cost; null when not created."
  value       = one(aws_budgets_budget.this[*].name)
}
