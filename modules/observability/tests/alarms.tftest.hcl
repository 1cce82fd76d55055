# Alarms: each optional, on the {Service} rollups or the functions' AWS/Lambda metrics,
# with actions to a given topic and/or a created KMS-encrypted topic.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:deck-alarms" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_cloudwatch_metric_alarm" {
    defaults = { arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:deck-mock" }
  }
}

variables {
  name           = "deck"
  log_group_name = "/aws/lambda/deck-fn"
  function_names = ["fn-a", "fn-b"]
}

run "no_alarms_by_default" {
  command = apply

  assert {
    condition = (
      length(aws_cloudwatch_metric_alarm.daily_cost) + length(aws_cloudwatch_metric_alarm.llm_error_rate)
      + length(aws_cloudwatch_metric_alarm.llm_latency_p99) + length(aws_cloudwatch_metric_alarm.unpriced_calls)
      + length(aws_cloudwatch_metric_alarm.lambda_errors) + length(aws_cloudwatch_metric_alarm.lambda_throttles) == 0
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
    service_name        = "chat"
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"
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
    condition     = length(output.alarm_arns) == 8
    error_message = "Four LLM alarms plus errors and throttles for two functions."
  }

  assert {
    condition = toset(keys(output.alarm_arns)) == toset([
      "deck-daily-cost", "deck-llm-error-rate", "deck-llm-latency-p99", "deck-unpriced-calls",
      "deck-lambda-errors-fn-a", "deck-lambda-errors-fn-b", "deck-lambda-throttles-fn-a", "deck-lambda-throttles-fn-b",
    ])
    error_message = "Alarm names must be prefixed with the deck name."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.daily_cost[0].metric_name == "CostUSD"
      && aws_cloudwatch_metric_alarm.daily_cost[0].namespace == "GenAI"
      && aws_cloudwatch_metric_alarm.daily_cost[0].dimensions == tomap({ Service = "chat" })
      && aws_cloudwatch_metric_alarm.daily_cost[0].statistic == "Sum"
      && aws_cloudwatch_metric_alarm.daily_cost[0].period == 86400
      && aws_cloudwatch_metric_alarm.daily_cost[0].threshold == 10.5
      && aws_cloudwatch_metric_alarm.daily_cost[0].comparison_operator == "GreaterThanThreshold"
    )
    error_message = "The budget alarm must sum CostUSD of the service over one day."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.llm_error_rate[0].threshold == 5
      && length([for q in aws_cloudwatch_metric_alarm.llm_error_rate[0].metric_query : q if q.return_data == true]) == 1
      && toset([for q in aws_cloudwatch_metric_alarm.llm_error_rate[0].metric_query : q.metric[0].metric_name if length(q.metric) > 0]) == toset(["Errors", "Calls"])
      && alltrue([for q in aws_cloudwatch_metric_alarm.llm_error_rate[0].metric_query : q.metric[0].dimensions == tomap({ Service = "chat" }) if length(q.metric) > 0])
    )
    error_message = "The error rate alarm must divide Errors by Calls of the service."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.llm_latency_p99[0].metric_name == "LatencyMs"
      && aws_cloudwatch_metric_alarm.llm_latency_p99[0].extended_statistic == "p99"
      && aws_cloudwatch_metric_alarm.llm_latency_p99[0].threshold == 8000
      && aws_cloudwatch_metric_alarm.unpriced_calls[0].metric_name == "UnpricedCalls"
      && aws_cloudwatch_metric_alarm.unpriced_calls[0].threshold == 0
    )
    error_message = "Latency uses p99 of LatencyMs; any unpriced call alarms."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.lambda_errors["fn-a"].namespace == "AWS/Lambda"
      && aws_cloudwatch_metric_alarm.lambda_errors["fn-a"].metric_name == "Errors"
      && aws_cloudwatch_metric_alarm.lambda_errors["fn-a"].dimensions == tomap({ FunctionName = "fn-a" })
      && aws_cloudwatch_metric_alarm.lambda_throttles["fn-b"].metric_name == "Throttles"
    )
    error_message = "Lambda alarms must watch each function's AWS/Lambda metric."
  }

  assert {
    condition = alltrue([for a in concat(
      aws_cloudwatch_metric_alarm.daily_cost, aws_cloudwatch_metric_alarm.llm_error_rate, aws_cloudwatch_metric_alarm.llm_latency_p99,
      aws_cloudwatch_metric_alarm.unpriced_calls, values(aws_cloudwatch_metric_alarm.lambda_errors), values(aws_cloudwatch_metric_alarm.lambda_throttles),
    ) : a.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:ops"]) && a.ok_actions == toset(["arn:aws:sns:us-east-1:123456789012:ops"]) && a.treat_missing_data == "notBreaching"])
    error_message = "Every alarm must notify the given topic and treat missing data as fine."
  }

  assert {
    condition     = output.sns_topic_arn == "arn:aws:sns:us-east-1:123456789012:ops" && length(aws_sns_topic.this) == 0
    error_message = "A given topic is used, not created."
  }
}

run "created_topic_with_key_and_emails" {
  command = apply

  variables {
    create_sns_topic = true
    alarm_emails     = ["ops@example.com", "ml@example.com"]
    tags             = { team = "ml" }
    alarms           = { daily_cost_budget_usd = 1 }
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
    condition     = aws_cloudwatch_metric_alarm.daily_cost[0].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:deck-alarms"]) && output.sns_topic_arn == "arn:aws:sns:us-east-1:123456789012:deck-alarms"
    error_message = "Alarms must notify the created topic."
  }
}

run "created_topic_with_given_key" {
  command = apply

  variables {
    create_sns_topic     = true
    sns_topic_kms_key_id = "alias/ops-alarms"
  }

  assert {
    condition     = length(aws_kms_key.sns) == 0 && aws_sns_topic.this[0].kms_master_key_id == "alias/ops-alarms"
    error_message = "A given key must be used instead of creating one."
  }
}

run "lambda_alarms_need_functions" {
  command = apply

  variables {
    function_names = []
    alarms         = { lambda_errors = true, lambda_throttles = true }
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.lambda_errors) + length(aws_cloudwatch_metric_alarm.lambda_throttles) == 0
    error_message = "Without function names there is no Lambda alarm."
  }
}

run "emails_need_a_created_topic" {
  command = plan

  variables {
    alarm_emails = ["ops@example.com"]
  }

  expect_failures = [output.sns_topic_arn]
}
