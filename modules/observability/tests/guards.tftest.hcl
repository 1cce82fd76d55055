# Issue 18, items 3-5: every value a validation accepts plans, and what cannot work is
# refused at plan with a sentence (monitoring-account decks, the AWS Budgets backstop,
# derived names, duplicate model ids, time zones).

mock_provider "aws" { source = "./tests/mocks" }

# The longest accepted name: every name derived from it fits its AWS limit.
run "longest_name_fits_every_derived_name" {
  command = plan

  variables {
    name                   = join("", [for i in range(47) : "n"])
    function_names         = [join("", [for i in range(64) : "f"])]
    attribution_keys       = [join("", [for i in range(64) : "k"])]
    alarms                 = { daily_cost_budget_usd = 1, lambda_throttles = true, contributor_cost_usd = 1 }
    create_budget_function = true
    package_path           = "../function/tests/fixtures/placeholder.zip"
    create_sns_topic       = true
    aws_budget             = { limit_usd = 10, emails = ["ops@example.com"] }
  }

  assert {
    condition     = alltrue([for r in aws_iam_role.budget : length(r.name) <= 64]) && length(aws_lambda_function.budget[0].function_name) <= 64 && length(aws_scheduler_schedule.budget[0].name) <= 64
    error_message = "The budget function's roles, function and schedule names must fit 64 characters."
  }

  assert {
    condition     = alltrue([for r in aws_cloudwatch_contributor_insight_rule.this : length(r.rule_name) <= 128])
    error_message = "Contributor Insights rule names must fit 128 characters (PutInsightRule RuleName)."
  }

  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.lambda : length(a.alarm_name) <= 255]) && length(aws_budgets_budget.this[0].name) <= 100 && length(aws_sns_topic.this[0].name) <= 256
    error_message = "Alarm (255), budget (100) and topic (256) names must fit."
  }
}

run "name_longer_than_its_derived_names_allow_is_refused" {
  command = plan

  variables {
    name = join("", [for i in range(48) : "n"])
  }

  expect_failures = [var.name]
}

run "duplicate_model_ids_are_refused" {
  command = plan

  variables {
    model_ids = ["amazon.nova-micro-v1:0", "amazon.nova-micro-v1:0"]
  }

  expect_failures = [var.model_ids]
}

run "duplicate_account_model_ids_are_refused" {
  command = plan

  variables {
    account_model_ids = ["amazon.nova-micro-v1:0", "amazon.nova-micro-v1:0"]
  }

  expect_failures = [var.account_model_ids]
}

run "duplicate_function_names_are_refused" {
  command = plan

  variables {
    function_names = ["app", "app"]
    alarms         = { lambda_errors = true }
  }

  expect_failures = [var.function_names]
}

run "unknown_time_zone_is_refused" {
  command = plan

  variables {
    budget_time_zone = "Europe/Pariss"
  }

  expect_failures = [data.aws_partition.current]
}

run "every_iana_name_is_accepted" {
  command = plan

  variables {
    budget_time_zone = "EST5EDT"
  }
}

# AWS Budgets: one SNS subscriber and up to 10 email subscribers per notification.
run "more_than_ten_budget_emails_are_refused" {
  command = plan

  variables {
    aws_budget = { limit_usd = 10, emails = [for i in range(11) : "ops${i}@example.com"] }
  }

  expect_failures = [var.aws_budget]
}

run "budget_covers_marketplace_models" {
  command = plan

  variables {
    model_ids  = ["us.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-3-haiku-20240307-v1:0", "amazon.nova-micro-v1:0"]
    aws_budget = { limit_usd = 10, emails = ["ops@example.com"] }
  }

  assert {
    condition = toset(one(aws_budgets_budget.this[0].cost_filter).values) == toset([
      "Amazon Bedrock", "Claude Haiku 4.5 (Amazon Bedrock Edition)", "Claude 3 Haiku (Amazon Bedrock Edition)",
    ])
    error_message = "The budget must cover the Marketplace-billed models' own service names."
  }
}

run "marketplace_model_without_a_known_bill_name_is_refused" {
  command = plan

  variables {
    model_ids  = ["anthropic.claude-sonnet-9"]
    aws_budget = { limit_usd = 10, emails = ["ops@example.com"] }
  }

  expect_failures = [aws_budgets_budget.this]
}

run "marketplace_model_with_its_service_listed_plans" {
  command = plan

  variables {
    model_ids  = ["anthropic.claude-sonnet-9"]
    aws_budget = { limit_usd = 10, emails = ["ops@example.com"], services = ["Amazon Bedrock", "Claude Sonnet 9 (Amazon Bedrock Edition)"] }
  }
}

# Monitoring-account decks: one alarm per source account, its metrics read in that account.
run "monitoring_deck_alarms_read_the_source_accounts" {
  command = plan

  variables {
    log_group_name        = "arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/app"
    create_log_group      = false
    create_metric_filters = false
    source_account_ids    = ["222222222222", "333333333333"]
    alarms                = { llm_error_rate_percent = 5, llm_latency_p99_ms = 2000, unpriced_calls = true }
  }

  assert {
    condition = toset(keys(aws_cloudwatch_metric_alarm.service)) == toset([
      "llm_error_rate/222222222222", "llm_error_rate/333333333333",
      "llm_latency_p99/222222222222", "llm_latency_p99/333333333333",
      "unpriced_calls/222222222222", "unpriced_calls/333333333333",
    ])
    error_message = "A monitoring deck without metrics of its own alarms once per source account."
  }

  assert {
    condition = alltrue([for k, a in aws_cloudwatch_metric_alarm.service : alltrue([
      for q in a.metric_query : q.account_id == split("/", k)[1] if length(q.metric) > 0
    ]) && a.metric_name == null && length(a.metric_query) > 0])
    error_message = "Every metric of a source account's alarm must name that account."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.service["llm_latency_p99/222222222222"].alarm_name == "deck-llm-latency-p99-222222222222"
    error_message = "A source account's alarm names the account."
  }
}

run "monitoring_deck_with_own_metrics_keeps_its_alarms" {
  command = plan

  variables {
    source_account_ids = ["222222222222"]
    alarms             = { llm_error_rate_percent = 5 }
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.service)) == toset(["llm_error_rate", "llm_error_rate/222222222222"])
    error_message = "A deck with its own metric filters keeps its own alarm next to the source accounts'."
  }
}

run "monitoring_deck_with_the_budget_function_is_refused" {
  command = plan

  variables {
    source_account_ids     = ["222222222222"]
    alarms                 = { daily_cost_budget_usd = 1 }
    create_budget_function = true
    package_path           = "../function/tests/fixtures/placeholder.zip"
  }

  expect_failures = [data.aws_partition.current]
}

run "monitoring_deck_with_the_anomaly_alarm_is_refused" {
  command = plan

  variables {
    source_account_ids = ["222222222222"]
    alarms             = { cost_anomaly_band = 2 }
  }

  expect_failures = [data.aws_partition.current]
}

run "monitoring_deck_with_lambda_alarms_is_refused" {
  command = plan

  variables {
    source_account_ids = ["222222222222"]
    function_names     = ["app"]
    alarms             = { lambda_errors = true }
  }

  expect_failures = [data.aws_partition.current]
}

# Contributor Insights: LogGroupNames takes names, LogGroupARNs takes ARNs, never both.
run "rules_given_arns_use_log_group_arns" {
  command = plan

  variables {
    log_group_name        = "arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/app"
    create_log_group      = false
    create_metric_filters = false
    attribution_keys      = ["tenant"]
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_contributor_insight_rule.this["tenant"].rule_definition).LogGroupARNs == ["arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/app"]
    error_message = "A rule given log group ARNs must list them in LogGroupARNs."
  }

  assert {
    condition     = !can(jsondecode(aws_cloudwatch_contributor_insight_rule.this["tenant"].rule_definition).LogGroupNames)
    error_message = "A rule must not have both LogGroupNames and LogGroupARNs."
  }
}

run "rules_mixing_names_and_arns_are_refused" {
  command = plan

  variables {
    additional_log_group_names = ["arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/app"]
    attribution_keys           = ["tenant"]
  }

  expect_failures = [aws_cloudwatch_contributor_insight_rule.this]
}
