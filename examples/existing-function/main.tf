provider "aws" {
  region = var.region
}

# Attach the deck to a function that already exists and already logs llm_call lines
# (for example with genai_observability.record_llm_call): only modules/observability,
# on the function's existing log group. Nothing about the function changes.
module "observability" {
  source = "../../modules/observability"

  name         = var.deck_name
  service_name = var.service_name

  create_log_group = false
  log_group_name   = coalesce(var.log_group_name, "/aws/lambda/${var.function_name}")
  function_names   = [var.function_name]

  metric_namespace = var.metric_namespace

  # The daily budget counts the calendar day with the budget function (from the package zip).
  create_budget_function = true
  package_path           = var.package_path

  alarms = {
    daily_cost_budget_usd = var.daily_cost_budget_usd
    lambda_errors         = true
  }
  alarm_sns_topic_arn = var.alarm_sns_topic_arn

  tags = var.tags
}
