provider "aws" {
  region = var.region
}

# One deck per team from the same module: each team gets its own function, log group,
# dashboard, saved queries and daily budget; all metrics share one namespace, told apart
# by their Service dimension (the team name).
module "team_deck" {
  source   = "../../"
  for_each = var.teams

  name         = "${var.name_prefix}-${each.key}"
  service_name = each.key
  package_path = var.package_path
  model_ids    = each.value.model_ids
  prompt       = each.value.prompt

  schedule_expression = each.value.schedule_expression
  metric_namespace    = var.metric_namespace

  alarms = {
    daily_cost_budget_usd = each.value.daily_cost_budget_usd
    lambda_errors         = true
  }
  alarm_sns_topic_arn = var.alarm_sns_topic_arn

  tags = { project = "genai-observability", example = "teams", team = each.key }
}
