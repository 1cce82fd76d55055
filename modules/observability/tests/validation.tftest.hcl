# Every validation rejects its bad input with a full-sentence message.

mock_provider "aws" { source = "./tests/mocks" }

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

run "rejects_a_bad_value_of_each_input" {
  command = plan

  variables {
    name                        = "my deck"                                  # name with space
    service_name                = "chat bot"                                 # service name bad
    log_group_name              = ""                                         # log group name empty
    additional_log_group_names  = ["ok", "bad name"]                         # additional log group bad
    log_retention_in_days       = 31                                         # retention not allowed
    kms_key_arn                 = "alias/my-key"                             # kms key arn bad
    log_group_class             = "GLACIER"                                  # log group class bad
    data_protection_identifiers = []                                         # data protection identifiers empty
    metric_namespace            = "AWS/Lambda"                               # namespace aws prefix
    custom_metrics              = { "AI Cost" = {} }                         # custom metric name bad
    log_metric_name             = "AI Cost"                                  # log metric name bad
    function_names              = ["my function"]                            # function name bad
    alarms                      = { daily_cost_budget_usd = -1 }             # budget negative
    alarm_sns_topic_arn         = "arn:aws:sqs:us-east-1:123456789012:queue" # sns topic arn bad
    alarm_emails                = ["not-an-email"]                           # alarm email bad
  }

  expect_failures = [
    var.name, var.service_name, var.log_group_name, var.additional_log_group_names,
    var.log_retention_in_days, var.kms_key_arn, var.log_group_class,
    var.data_protection_identifiers, var.metric_namespace, var.custom_metrics, var.log_metric_name,
    var.function_names, var.alarms, var.alarm_sns_topic_arn, var.alarm_emails,
  ]
}

run "rejects_a_second_bad_value" {
  command = plan

  variables {
    name                        = ""                               # name empty
    service_name                = "ops@example.com"                # service name with at sign
    log_group_name              = "/aws/lambda/fn*"                # log group name bad
    additional_log_group_names  = [for i in range(50) : "/g/${i}"] # additional log groups too many
    log_retention_in_days       = 0                                # retention zero
    data_protection_identifiers = ["Email Address"]                # data protection identifier bad
    metric_namespace            = "Gen AI"                         # namespace bad
    custom_metrics              = { CostUSD = {} }                 # custom metric contract name
    alarms                      = { daily_cost_budget_usd = 0 }    # budget zero
    kms_key_arn                 = " "                              # kms key arn empty
  }

  expect_failures = [
    var.name, var.service_name, var.log_group_name, var.additional_log_group_names,
    var.log_retention_in_days, var.data_protection_identifiers, var.metric_namespace,
    var.custom_metrics, var.alarms, var.kms_key_arn,
  ]
}

run "rejects_a_third_bad_value" {
  command = plan

  variables {
    name           = join("", [for i in range(129) : "a"]) # name too long
    service_name   = ".chat"                               # service name starting with a dot
    custom_metrics = { AICost = { unit = "Dollars" } }     # custom metric unit bad
    alarms         = { llm_error_rate_percent = 150 }      # error rate over 100
  }

  expect_failures = [var.name, var.service_name, var.custom_metrics, var.alarms]
}

run "rejects_a_fourth_bad_value" {
  command = plan

  variables {
    custom_metrics = { AICost = { dimensions = { A = "$.a", B = "$.b", C = "$.c", D = "$.d" } } } # custom metric four dimensions
    alarms         = { llm_error_rate_percent = 0 }                                               # error rate zero
  }

  expect_failures = [var.custom_metrics, var.alarms]
}

run "rejects_a_fifth_bad_value" {
  command = plan

  variables {
    custom_metrics = { AICost = { dimensions = { Model = "model" } } } # custom metric dimension selector bad
    alarms         = { llm_latency_p99_ms = -5 }                       # latency negative
  }

  expect_failures = [var.custom_metrics, var.alarms]
}
