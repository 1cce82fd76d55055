# create = false plans zero resources, whatever else is asked for, and every output is null;
# each create_/enable_ flag turns its own part off (the filters', queries' and dashboard's
# outputs too), all in one run.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  create                 = false
  function_names         = ["fn-a"]
  enable_data_protection = true
  enable_field_index     = true
  create_sns_topic       = true
  custom_metrics         = { AICost = {} }
  create_budget_function = true
  package_path           = "../function/tests/fixtures/placeholder.zip"
  budget_action          = "stop"
  attribution_keys       = ["tenant"]
  aws_budget             = { limit_usd = 100, emails = ["finops@example.com"] }
  alarms = {
    cost_anomaly_band      = 2
    contributor_cost_usd   = 1
    daily_cost_budget_usd  = 10
    llm_error_rate_percent = 5
    llm_latency_p99_ms     = 8000
    unpriced_calls         = true
    lambda_errors          = true
    lambda_throttles       = true
  }
}

run "nothing_is_created" {
  command = plan

  assert {
    condition = (
      length(data.aws_region.current) + length(data.aws_partition.current) + length(data.aws_caller_identity.current)
      + length(aws_cloudwatch_log_group.this) + length(aws_cloudwatch_log_data_protection_policy.this) + length(aws_cloudwatch_log_index_policy.this)
      + length(aws_cloudwatch_log_metric_filter.this) + length(aws_cloudwatch_query_definition.this) + length(aws_cloudwatch_dashboard.this)
      + length(aws_cloudwatch_metric_alarm.service)
      + length(aws_cloudwatch_metric_alarm.lambda)
      + length(aws_kms_key.sns) + length(aws_sns_topic.this) + length(aws_sns_topic_subscription.email)
      + length(aws_cloudwatch_metric_alarm.cost_anomaly) + length(aws_cloudwatch_metric_alarm.contributor_cost)
      + length(data.aws_caller_identity.budget) + length(aws_lambda_function.budget) + length(aws_cloudwatch_log_group.budget)
      + length(aws_iam_role.budget) + length(aws_scheduler_schedule.budget)
      + length(aws_cloudwatch_contributor_insight_rule.this) + length(aws_budgets_budget.this) == 0
    )
    error_message = "create = false must plan zero resources and read no data source."
  }

  assert {
    condition = alltrue([for o in [
      output.cloudwatch_log_group_name, output.cloudwatch_log_group_arn, output.cloudwatch_log_group_names, output.service_name,
      output.metric_namespace, output.metric_names, output.metric_filters, output.queries, output.query_definition_names,
      output.query_definition_ids, output.dashboard_name, output.dashboard_url, output.dashboard_body, output.alarm_arns, output.sns_topic_arn,
      output.budget_function_name, output.budget_function_arn, output.budget_schedule_arn, output.budget_stop_function_names,
      output.contributor_insight_rule_names, output.aws_budget_name,
    ] : o == null])
    error_message = "Every output must be null when nothing is created."
  }
}

run "everything_off_but_create" {
  command = apply

  variables {
    create                   = true
    create_log_group         = false
    create_metric_filters    = false
    create_query_definitions = false
    create_dashboard         = false
    create_sns_topic         = false
    enable_data_protection   = false
    enable_field_index       = false
    create_budget_function   = false
    budget_action            = "alert"
    attribution_keys         = []
    aws_budget               = {}
    alarms                   = {}
  }

  assert {
    condition = (
      length(aws_cloudwatch_log_group.this) + length(aws_cloudwatch_log_metric_filter.this) + length(aws_cloudwatch_query_definition.this)
      + length(aws_cloudwatch_dashboard.this) + length(aws_sns_topic.this) + length(aws_kms_key.sns)
      + length(aws_lambda_function.budget) + length(aws_cloudwatch_contributor_insight_rule.this) + length(aws_budgets_budget.this) == 0
    )
    error_message = "Each create_/enable_ flag must turn its resources off."
  }

  assert {
    condition     = length(aws_cloudwatch_log_metric_filter.this) == 0 && output.metric_names == null && output.metric_filters == null
    error_message = "create_metric_filters = false must create no filter."
  }

  assert {
    condition     = length(aws_cloudwatch_query_definition.this) == 0 && output.query_definition_ids == null && output.query_definition_names == null && length(output.queries) == 10
    error_message = "create_query_definitions = false must save no query; the query strings stay available for the terminal without saved definitions."
  }

  assert {
    condition     = length(aws_cloudwatch_dashboard.this) == 0 && output.dashboard_name == null && output.dashboard_url == null && output.dashboard_body == null
    error_message = "create_dashboard = false must create no dashboard."
  }
}
