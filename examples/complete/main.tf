provider "aws" {
  region = var.region
}

# Everything on: scheduled agent function, dead-letter queue, tracing, saved queries,
# dashboard, every alarm with a created SNS topic and an email, data protection, field index.
module "genai_deck" {
  source = "../../"

  name         = var.name
  package_path = var.package_path
  model_ids    = var.model_ids
  prompt       = "In one sentence, what is observability?"

  model_prices = {
    "us.amazon.nova-micro-v1:0" = { input = 0.035, output = 0.14 }
  }

  schedule_expression      = "rate(1 hour)"
  create_dead_letter_queue = true
  enable_tracing           = true

  log_retention_in_days    = 30
  create_query_definitions = var.create_query_definitions
  enable_data_protection   = var.enable_data_protection
  enable_field_index       = var.enable_field_index

  # The brake: over the daily budget, the function stops until the next day.
  budget_action    = "stop"
  attribution_keys = ["tenant"]

  alarms = {
    daily_cost_budget_usd  = var.daily_cost_budget_usd
    llm_error_rate_percent = 5
    llm_latency_p99_ms     = 20000
    unpriced_calls         = true
    lambda_errors          = true
    lambda_throttles       = true
  }
  create_sns_topic = true
  alarm_emails     = var.alarm_emails

  kms_key_arn = var.kms_key_arn

  tags = { project = "genai-observability", example = "complete" }
}

# The same module with create = false plans zero resources.
module "disabled" {
  source = "../../"

  create       = false
  name         = "${var.name}-disabled"
  package_path = var.package_path
  model_ids    = var.model_ids
}
