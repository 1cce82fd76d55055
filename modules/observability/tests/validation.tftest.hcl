# Every validation rejects its bad input with a full-sentence message.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name           = "deck"
  log_group_name = "/aws/lambda/deck-fn"
}

run "valid_input_plans" {
  command = plan

  variables {
    service_name               = "chat.v2"
    additional_log_group_names = ["/aws/lambda/team-a"]
    log_retention_in_days      = 3653
    kms_key_arn                = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    metric_namespace           = "Team/GenAI"
    custom_metrics             = { AICost = { unit = "None", dimensions = { Model = "$.model", Team = "$.team", Env = "$.env" } } }
    function_names             = ["fn-a"]
    alarms                     = { daily_cost_budget_usd = 0.5, llm_error_rate_percent = 100, llm_latency_p99_ms = 1 }
    create_budget_function     = true
    package_path               = "../function/tests/fixtures/placeholder.zip"
    alarm_sns_topic_arn        = "arn:aws:sns:us-east-1:123456789012:ops"
  }
}

run "name_with_space" {
  command = plan

  variables {
    name = "my deck"
  }

  expect_failures = [var.name]
}

run "name_empty" {
  command = plan

  variables {
    name = ""
  }

  expect_failures = [var.name]
}

run "name_too_long" {
  command = plan

  variables {
    name = join("", [for i in range(129) : "a"])
  }

  expect_failures = [var.name]
}

run "service_name_bad" {
  command = plan

  variables {
    service_name = "chat bot"
  }

  expect_failures = [var.service_name]
}

run "service_name_with_at_sign" {
  command = plan

  variables {
    service_name = "ops@example.com"
  }

  expect_failures = [var.service_name]
}

run "service_name_starting_with_a_dot" {
  command = plan

  variables {
    service_name = ".chat"
  }

  expect_failures = [var.service_name]
}

run "log_group_name_empty" {
  command = plan

  variables {
    log_group_name = ""
  }

  expect_failures = [var.log_group_name]
}

run "log_group_name_bad" {
  command = plan

  variables {
    log_group_name = "/aws/lambda/fn*"
  }

  expect_failures = [var.log_group_name]
}

run "additional_log_group_bad" {
  command = plan

  variables {
    additional_log_group_names = ["ok", "bad name"]
  }

  expect_failures = [var.additional_log_group_names]
}

run "additional_log_groups_too_many" {
  command = plan

  variables {
    additional_log_group_names = [for i in range(50) : "/g/${i}"]
  }

  expect_failures = [var.additional_log_group_names]
}

run "retention_not_allowed" {
  command = plan

  variables {
    log_retention_in_days = 31
  }

  expect_failures = [var.log_retention_in_days]
}

run "retention_zero" {
  command = plan

  variables {
    log_retention_in_days = 0
  }

  expect_failures = [var.log_retention_in_days]
}

run "kms_key_arn_bad" {
  command = plan

  variables {
    kms_key_arn = "alias/my-key"
  }

  expect_failures = [var.kms_key_arn]
}

run "log_group_class_bad" {
  command = plan

  variables {
    log_group_class = "GLACIER"
  }

  expect_failures = [var.log_group_class]
}

run "data_protection_identifiers_empty" {
  command = plan

  variables {
    data_protection_identifiers = []
  }

  expect_failures = [var.data_protection_identifiers]
}

run "data_protection_identifier_bad" {
  command = plan

  variables {
    data_protection_identifiers = ["Email Address"]
  }

  expect_failures = [var.data_protection_identifiers]
}

run "namespace_aws_prefix" {
  command = plan

  variables {
    metric_namespace = "AWS/Lambda"
  }

  expect_failures = [var.metric_namespace]
}

run "namespace_bad" {
  command = plan

  variables {
    metric_namespace = "Gen AI"
  }

  expect_failures = [var.metric_namespace]
}

run "custom_metric_name_bad" {
  command = plan

  variables {
    custom_metrics = { "AI Cost" = {} }
  }

  expect_failures = [var.custom_metrics]
}

run "custom_metric_contract_name" {
  command = plan

  variables {
    custom_metrics = { CostUSD = {} }
  }

  expect_failures = [var.custom_metrics]
}

run "custom_metric_unit_bad" {
  command = plan

  variables {
    custom_metrics = { AICost = { unit = "Dollars" } }
  }

  expect_failures = [var.custom_metrics]
}

run "custom_metric_four_dimensions" {
  command = plan

  variables {
    custom_metrics = { AICost = { dimensions = { A = "$.a", B = "$.b", C = "$.c", D = "$.d" } } }
  }

  expect_failures = [var.custom_metrics]
}

run "custom_metric_dimension_selector_bad" {
  command = plan

  variables {
    custom_metrics = { AICost = { dimensions = { Model = "model" } } }
  }

  expect_failures = [var.custom_metrics]
}

run "log_metric_name_bad" {
  command = plan

  variables {
    log_metric_name = "AI Cost"
  }

  expect_failures = [var.log_metric_name]
}

run "function_name_bad" {
  command = plan

  variables {
    function_names = ["my function"]
  }

  expect_failures = [var.function_names]
}

run "budget_negative" {
  command = plan

  variables {
    alarms = { daily_cost_budget_usd = -1 }
  }

  expect_failures = [var.alarms]
}

run "budget_zero" {
  command = plan

  variables {
    alarms = { daily_cost_budget_usd = 0 }
  }

  expect_failures = [var.alarms]
}

run "error_rate_over_100" {
  command = plan

  variables {
    alarms = { llm_error_rate_percent = 150 }
  }

  expect_failures = [var.alarms]
}

run "error_rate_zero" {
  command = plan

  variables {
    alarms = { llm_error_rate_percent = 0 }
  }

  expect_failures = [var.alarms]
}

run "latency_negative" {
  command = plan

  variables {
    alarms = { llm_latency_p99_ms = -5 }
  }

  expect_failures = [var.alarms]
}

run "sns_topic_arn_bad" {
  command = plan

  variables {
    alarm_sns_topic_arn = "arn:aws:sqs:us-east-1:123456789012:queue"
  }

  expect_failures = [var.alarm_sns_topic_arn]
}

run "kms_key_arn_empty" {
  command = plan

  variables {
    kms_key_arn = " "
  }

  expect_failures = [var.kms_key_arn]
}

run "alarm_email_bad" {
  command = plan

  variables {
    alarm_emails = ["not-an-email"]
  }

  expect_failures = [var.alarm_emails]
}
