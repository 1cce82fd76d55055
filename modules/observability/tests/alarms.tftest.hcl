# Alarms: each optional, on the {Service} rollups or the functions' AWS/Lambda metrics,
# with actions to a given topic and/or a created KMS-encrypted topic.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  function_names = ["fn-a", "fn-b"]
}

run "no_alarms_by_default" {
  command = apply

  assert {
    condition = (
      length(aws_cloudwatch_metric_alarm.service)
      + length(aws_cloudwatch_metric_alarm.lambda) == 0
    )
    error_message = "Every alarm is off unless asked for."
  }

  assert {
    condition     = output.alarm_arns == {} && output.sns_topic_arn == null && length(aws_sns_topic.this) == 0 && length(aws_kms_key.sns) == 0
    error_message = "No alarm, no topic, no key by default."
  }
}

run "every_alarm_to_a_given_topic" {
  command = apply

  variables {
    service_name           = "chat"
    alarm_sns_topic_arn    = "arn:aws:sns:us-east-1:123456789012:ops"
    create_budget_function = true
    package_path           = "../function/tests/fixtures/placeholder.zip"
    alarms = {
      daily_cost_budget_usd  = 10.5
      llm_error_rate_percent = 5
      llm_latency_p99_ms     = 8000
      unpriced_calls         = true
      lambda_errors          = true
      lambda_throttles       = true
    }
  }

  assert {
    condition     = length(output.alarm_arns) == 9
    error_message = "Five LLM alarms (the pace alarm comes with the budget) plus errors and throttles for two functions."
  }

  assert {
    condition = toset(keys(output.alarm_arns)) == toset([
      "deck-daily-cost", "deck-cost-pace", "deck-llm-error-rate", "deck-llm-latency-p99", "deck-unpriced-calls",
      "deck-lambda-errors-fn-a", "deck-lambda-errors-fn-b", "deck-lambda-throttles-fn-a", "deck-lambda-throttles-fn-b",
    ])
    error_message = "Alarm names must be prefixed with the deck name."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.service["daily_cost"].metric_name == "CostTodayUSD"
      && aws_cloudwatch_metric_alarm.service["daily_cost"].namespace == "GenAI"
      && aws_cloudwatch_metric_alarm.service["daily_cost"].dimensions == tomap({ Service = "chat" })
      && aws_cloudwatch_metric_alarm.service["daily_cost"].statistic == "Maximum"
      && aws_cloudwatch_metric_alarm.service["daily_cost"].period == 300
      && aws_cloudwatch_metric_alarm.service["daily_cost"].threshold == 10.5
      && aws_cloudwatch_metric_alarm.service["daily_cost"].comparison_operator == "GreaterThanThreshold"
      && aws_cloudwatch_metric_alarm.service["daily_cost"].treat_missing_data == "missing"
    )
    error_message = "The budget alarm must watch the service's spend today (CostTodayUSD, published by the budget function)."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.service["cost_pace"].metric_name == "CostUSD"
      && aws_cloudwatch_metric_alarm.service["cost_pace"].statistic == "Sum"
      && aws_cloudwatch_metric_alarm.service["cost_pace"].period == 3600
      && aws_cloudwatch_metric_alarm.service["cost_pace"].threshold == 10.5 / 24 * 4
    )
    error_message = "The pace alarm fires when an hour costs more than budget / 24 x 4."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.service["llm_error_rate"].threshold == 5
      && length([for q in aws_cloudwatch_metric_alarm.service["llm_error_rate"].metric_query : q if q.return_data == true]) == 1
      && toset([for q in aws_cloudwatch_metric_alarm.service["llm_error_rate"].metric_query : q.metric[0].metric_name if length(q.metric) > 0]) == toset(["Errors", "Calls"])
      && alltrue([for q in aws_cloudwatch_metric_alarm.service["llm_error_rate"].metric_query : q.metric[0].dimensions == tomap({ Service = "chat" }) if length(q.metric) > 0])
    )
    error_message = "The error rate alarm must divide Errors by Calls of the service."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.service["llm_latency_p99"].metric_name == "LatencyMs"
      && aws_cloudwatch_metric_alarm.service["llm_latency_p99"].extended_statistic == "p99"
      && aws_cloudwatch_metric_alarm.service["llm_latency_p99"].threshold == 8000
      && aws_cloudwatch_metric_alarm.service["unpriced_calls"].metric_name == "UnpricedCalls"
      && aws_cloudwatch_metric_alarm.service["unpriced_calls"].threshold == 0
    )
    error_message = "Latency uses p99 of LatencyMs; any unpriced call alarms."
  }

  assert {
    condition = (
      alltrue([for a in values(aws_cloudwatch_metric_alarm.service) : a.evaluation_periods == 1 && a.datapoints_to_alarm == 1])
      && alltrue([for a in values(aws_cloudwatch_metric_alarm.lambda) : a.evaluation_periods == 1 && a.datapoints_to_alarm == 1])
      && aws_cloudwatch_metric_alarm.service["llm_latency_p99"].period == 300
      && aws_cloudwatch_metric_alarm.service["unpriced_calls"].period == 3600
      && alltrue([for q in aws_cloudwatch_metric_alarm.service["llm_error_rate"].metric_query : q.metric[0].period == 300 && q.metric[0].stat == "Sum" if length(q.metric) > 0])
      && one([for q in aws_cloudwatch_metric_alarm.service["llm_error_rate"].metric_query : q.expression if q.return_data]) == "100 * FILL(errors, 0) / calls"
    )
    error_message = "By default every alarm is 1 of 1 (it can fire at one call an hour): five minutes for rates, latency and the day's spend, one hour for unpriced calls and the pace."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.service["daily_cost"].alarm_description == "LLM spend of service chat today (since midnight, UTC) exceeds the 10.5 USD daily budget."
      && aws_cloudwatch_metric_alarm.service["llm_error_rate"].alarm_description == "More than 5% of the LLM calls of service chat fail (1 of 1 periods of 5 minutes)."
      && aws_cloudwatch_metric_alarm.lambda["errors/fn-a"].alarm_description == "Lambda function fn-a reported errors."
      && aws_cloudwatch_metric_alarm.lambda["throttles/fn-b"].alarm_description == "Lambda function fn-b was throttled."
      && aws_cloudwatch_metric_alarm.lambda["errors/fn-b"].period == 300 && aws_cloudwatch_metric_alarm.lambda["errors/fn-b"].statistic == "Sum"
    )
    error_message = "Alarm descriptions and Lambda alarm windows must stay as documented."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.lambda["errors/fn-a"].namespace == "AWS/Lambda"
      && aws_cloudwatch_metric_alarm.lambda["errors/fn-a"].metric_name == "Errors"
      && aws_cloudwatch_metric_alarm.lambda["errors/fn-a"].dimensions == tomap({ FunctionName = "fn-a" })
      && aws_cloudwatch_metric_alarm.lambda["throttles/fn-b"].metric_name == "Throttles"
    )
    error_message = "Lambda alarms must watch each function's AWS/Lambda metric."
  }

  assert {
    condition = alltrue([for a in concat(
      values(aws_cloudwatch_metric_alarm.service),
      values(aws_cloudwatch_metric_alarm.lambda),
      ) : a.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:ops"]) && a.ok_actions == toset(["arn:aws:sns:us-east-1:123456789012:ops"])
    && a.treat_missing_data == (a.alarm_name == "deck-daily-cost" ? "missing" : "notBreaching")])
    error_message = "Every alarm must notify the given topic; missing data is fine, except for the day's spend (a budget function that stopped publishing is not OK)."
  }

  assert {
    condition     = output.sns_topic_arn == "arn:aws:sns:us-east-1:123456789012:ops" && length(aws_sns_topic.this) == 0
    error_message = "A given topic is used, not created."
  }
}

run "created_topic_with_key_and_emails" {
  command = apply

  variables {
    create_sns_topic       = true
    alarm_emails           = ["ops@example.com", "ml@example.com"]
    tags                   = { team = "ml" }
    create_budget_function = true
    package_path           = "../function/tests/fixtures/placeholder.zip"
    alarms                 = { daily_cost_budget_usd = 1 }
  }

  assert {
    condition = (
      length(aws_sns_topic.this) == 1 && aws_sns_topic.this[0].name == "deck-alarms"
      && aws_sns_topic.this[0].kms_master_key_id == aws_kms_key.sns[0].arn
      && aws_sns_topic.this[0].tags == tomap({ team = "ml" })
    )
    error_message = "The created topic must be encrypted with the created key."
  }

  assert {
    condition = (
      aws_kms_key.sns[0].enable_key_rotation
      && contains([for s in jsondecode(aws_kms_key.sns[0].policy).Statement : s.Principal], { Service = "cloudwatch.amazonaws.com" })
      && contains([for s in jsondecode(aws_kms_key.sns[0].policy).Statement : s.Principal], { AWS = "arn:aws:iam::123456789012:root" })
    )
    error_message = "The key must rotate and let CloudWatch publish to the topic."
  }

  assert {
    condition = one([for s in jsondecode(aws_kms_key.sns[0].policy).Statement : s.Condition if s.Principal == { Service = "cloudwatch.amazonaws.com" }]) == {
      StringEquals = { "aws:SourceAccount" = "123456789012" }
      ArnLike      = { "aws:SourceArn" = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" }
    }
    error_message = "CloudWatch may use the key only for alarms of this account and region."
  }

  assert {
    condition     = toset([for s in aws_sns_topic_subscription.email : s.endpoint]) == toset(["ops@example.com", "ml@example.com"]) && alltrue([for s in aws_sns_topic_subscription.email : s.protocol == "email"])
    error_message = "Each email must subscribe to the created topic."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.service["daily_cost"].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:deck-alarms"]) && output.sns_topic_arn == "arn:aws:sns:us-east-1:123456789012:deck-alarms"
    error_message = "Alarms must notify the created topic."
  }
}

run "created_topic_with_given_key" {
  command = apply

  variables {
    create_sns_topic = true
    kms_key_arn      = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = length(aws_kms_key.sns) == 0 && aws_sns_topic.this[0].kms_master_key_id == "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    error_message = "A given key must be used instead of creating one."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this[0].kms_key_id == aws_sns_topic.this[0].kms_master_key_id
    error_message = "The one kms_key_arn must encrypt both the log group and the SNS topic."
  }
}

run "lambda_alarms_need_functions" {
  command = apply

  variables {
    function_names = []
    alarms         = { lambda_errors = true, lambda_throttles = true }
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.lambda) == 0
    error_message = "Without function names there is no Lambda alarm."
  }
}

run "emails_need_a_created_topic" {
  command = plan
  variables { alarm_emails = ["ops@example.com"] }
  expect_failures = [data.aws_partition.current]
}

run "one_row_one_alarm" {
  command = apply

  variables {
    alarms = { llm_latency_p99_ms = 8000, lambda_errors = true }
  }

  assert {
    condition     = keys(aws_cloudwatch_metric_alarm.service) == ["llm_latency_p99"]
    error_message = "Only the service alarm asked for must be created, keyed by its alarm id."
  }

  assert {
    condition     = keys(aws_cloudwatch_metric_alarm.lambda) == ["errors/fn-a", "errors/fn-b"]
    error_message = "An enabled Lambda row makes one alarm per function; a disabled row makes none."
  }
}

run "dashboard_counts_lambda_alarms_too" {
  command = apply

  variables {
    alarms = { lambda_throttles = true }
  }

  assert {
    condition = (
      length([for w in jsondecode(output.dashboard_body).widgets : w if w.type == "alarm"]) == 1
      && toset(one([for w in jsondecode(output.dashboard_body).widgets : w.properties.alarms if w.type == "alarm"])) == toset(values(output.alarm_arns))
    )
    error_message = "The dashboard must show the Lambda alarms, counted from the Lambda table."
  }
}

run "dashboard_without_alarms_has_no_alarm_widget" {
  command = apply

  assert {
    condition     = length([for w in jsondecode(output.dashboard_body).widgets : w if w.type == "alarm"]) == 0
    error_message = "With every alarm off the dashboard must show no alarm widget."
  }
}

run "evaluation_per_alarm" {
  command = apply

  variables {
    alarms = {
      llm_error_rate_percent = 5
      lambda_errors          = true
      evaluation = {
        llm_error_rate = { period = 60, evaluation_periods = 5, datapoints_to_alarm = 3 }
        lambda_errors  = { evaluation_periods = 3 }
      }
    }
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.service["llm_error_rate"].evaluation_periods == 5
      && aws_cloudwatch_metric_alarm.service["llm_error_rate"].datapoints_to_alarm == 3
      && alltrue([for q in aws_cloudwatch_metric_alarm.service["llm_error_rate"].metric_query : q.metric[0].period == 60 if length(q.metric) > 0])
      && aws_cloudwatch_metric_alarm.service["llm_error_rate"].alarm_description == "More than 5% of the LLM calls of service deck fail (3 of 5 periods of 1 minutes)."
    )
    error_message = "alarms.evaluation sets one alarm's period and M of N."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.lambda["errors/fn-a"].evaluation_periods == 3 && aws_cloudwatch_metric_alarm.lambda["errors/fn-a"].datapoints_to_alarm == 3 && aws_cloudwatch_metric_alarm.lambda["errors/fn-a"].period == 300
    error_message = "evaluation_periods alone means all of them (M = N), on the default period."
  }
}

run "evaluation_longer_than_a_day_is_refused" {
  command = plan

  variables {
    alarms = {
      llm_latency_p99_ms = 8000
      evaluation         = { llm_latency_p99 = { period = 3600, evaluation_periods = 25 } }
    }
  }

  expect_failures = [aws_cloudwatch_metric_alarm.service]
}

run "evaluation_more_datapoints_than_periods_is_refused" {
  command = plan

  variables {
    alarms = {
      lambda_throttles = true
      evaluation       = { lambda_throttles = { evaluation_periods = 2, datapoints_to_alarm = 3 } }
    }
  }

  expect_failures = [aws_cloudwatch_metric_alarm.lambda]
}

run "daily_budget_needs_the_budget_function" {
  command = plan
  variables { alarms = { daily_cost_budget_usd = 10 } }
  expect_failures = [aws_cloudwatch_metric_alarm.service]
}

run "no_pace_alarm_without_a_factor" {
  command = apply

  variables {
    create_budget_function = true
    package_path           = "../function/tests/fixtures/placeholder.zip"
    alarms                 = { daily_cost_budget_usd = 10, cost_pace_factor = 0 }
  }

  assert {
    condition     = keys(aws_cloudwatch_metric_alarm.service) == ["daily_cost"]
    error_message = "cost_pace_factor = 0 turns the pace alarm off."
  }
}

run "cost_anomaly_band_alarm_is_opt_in" {
  command = apply

  variables {
    alarms = { cost_anomaly_band = 3 }
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.cost_anomaly[0].comparison_operator == "GreaterThanUpperThreshold"
      && aws_cloudwatch_metric_alarm.cost_anomaly[0].threshold_metric_id == "band"
      && one([for q in aws_cloudwatch_metric_alarm.cost_anomaly[0].metric_query : q.expression if q.id == "band"]) == "ANOMALY_DETECTION_BAND(cost, 3)"
      && one([for q in aws_cloudwatch_metric_alarm.cost_anomaly[0].metric_query : q.metric[0].period if q.id == "cost"]) == 3600
      && contains(keys(output.alarm_arns), "deck-cost-anomaly")
    )
    error_message = "The anomaly alarm compares hourly CostUSD with its band of 3 standard deviations."
  }
}

run "evaluation_keys_are_alarm_ids" {
  command = plan
  variables { alarms = { evaluation = { daily = { period = 60 } } } }
  expect_failures = [var.alarms]
}

run "evaluation_period_is_whole_minutes" {
  command = plan
  variables { alarms = { evaluation = { llm_error_rate = { period = 90 } } } }
  expect_failures = [var.alarms]
}

run "evaluation_periods_are_whole_numbers" {
  command = plan
  variables { alarms = { evaluation = { llm_error_rate = { evaluation_periods = 0 } } } }
  expect_failures = [var.alarms]
}

run "pace_factor_is_not_negative" {
  command = plan
  variables { alarms = { cost_pace_factor = -1 } }
  expect_failures = [var.alarms]
}

run "anomaly_band_is_positive" {
  command = plan
  variables { alarms = { cost_anomaly_band = 0 } }
  expect_failures = [var.alarms]
}

run "contributor_cost_is_positive" {
  command = plan
  variables { alarms = { contributor_cost_usd = -2 } }
  expect_failures = [var.alarms]
}
