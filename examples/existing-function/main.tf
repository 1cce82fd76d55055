provider "aws" {
  region = var.region
}

# Tags on every taggable resource; put your own here.
locals {
  tags = { project = "genai-observability", example = "existing-function" }
}

# The deck on the function's log group. With function_package_path null, the function
# already exists and already logs llm_call lines (for example with
# genai_observability.record_llm_call): only modules/observability, on its existing log
# group, and nothing about the function changes. With function_package_path set, the
# function is defined in function.tf with the layer attached (no code change).
module "observability" {
  source = "../../modules/observability"

  name         = var.deck_name
  service_name = var.service_name

  # The function's own group: created here when the example manages the function (before
  # its first invocation), else the existing one.
  create_log_group = local.manage_function
  log_group_name   = local.log_group_name
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

  tags = local.tags
}
