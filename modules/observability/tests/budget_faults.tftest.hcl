# Failures are loud (issue 18): the budget function's own errors alarm, the daily alarms
# that notify when their data stops, the role that finds and lifts only its own brakes, and
# the account budget counted by the calendar day. docs/faults.md lists the faults and these
# runs. The alarms' behaviour on missing data is checked against the strict evaluator in
# tests/python/test_budget.py (test_daily_alarm_notifies_when_the_budget_function_stops_publishing).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                   = "deck"
  service_name           = "chat"
  log_group_name         = "/aws/lambda/deck-fn"
  function_names         = ["deck-fn"]
  create_budget_function = true
  package_path           = "../function/tests/fixtures/placeholder.zip"
  alarm_sns_topic_arn    = "arn:aws:sns:us-east-1:123456789012:ops"
}

run "budget_function_errors_alarm_notifies_the_topic" {
  command = apply

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.budget_function_errors[0].alarm_name == "deck-budget-errors"
      && aws_cloudwatch_metric_alarm.budget_function_errors[0].namespace == "AWS/Lambda"
      && aws_cloudwatch_metric_alarm.budget_function_errors[0].metric_name == "Errors"
      && aws_cloudwatch_metric_alarm.budget_function_errors[0].dimensions == tomap({ FunctionName = "deck-budget" })
      && aws_cloudwatch_metric_alarm.budget_function_errors[0].statistic == "Sum"
      && aws_cloudwatch_metric_alarm.budget_function_errors[0].threshold == 0
      && aws_cloudwatch_metric_alarm.budget_function_errors[0].comparison_operator == "GreaterThanThreshold"
      && aws_cloudwatch_metric_alarm.budget_function_errors[0].period == 300
      && aws_cloudwatch_metric_alarm.budget_function_errors[0].evaluation_periods == 1
    )
    error_message = "One failed budget run (AWS/Lambda Errors of the budget function) must put its alarm in ALARM."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.budget_function_errors[0].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:ops"])
      && aws_cloudwatch_metric_alarm.budget_function_errors[0].ok_actions == toset(["arn:aws:sns:us-east-1:123456789012:ops"])
      && contains(keys(output.alarm_arns), "deck-budget-errors")
    )
    error_message = "The budget function's errors alarm must notify the deck's topic and be listed with the deck's alarms."
  }
}

run "daily_alarm_breaches_when_its_data_stops" {
  command = plan

  variables {
    alarms = { daily_cost_budget_usd = 10 }
  }

  # The values tests/python/test_budget.py::daily_alarm evaluates.
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.service["daily_cost"].treat_missing_data == "breaching"
      && aws_cloudwatch_metric_alarm.service["daily_cost"].period == 300
      && aws_cloudwatch_metric_alarm.service["daily_cost"].evaluation_periods == 1
      && aws_cloudwatch_metric_alarm.service["daily_cost"].datapoints_to_alarm == 1
      && aws_cloudwatch_metric_alarm.service["daily_cost"].statistic == "Maximum"
    )
    error_message = "A gap in CostTodayUSD (a budget run that failed or never came) must breach the daily alarm, which then notifies."
  }
}

run "role_finds_and_lifts_only_its_own_brakes" {
  command = apply

  assert {
    condition = one([
      for s in data.aws_iam_policy_document.budget[0].statement : [s.actions, s.resources] if s.sid == "FindBrakedFunctions"
    ]) == [toset(["tag:GetResources"]), toset(["*"])]
    error_message = "tag:GetResources has no resource type: it alone takes \"*\"."
  }

  assert {
    condition = one([
      for s in data.aws_iam_policy_document.budget[0].statement : s.resources if s.sid == "ReleaseOwnBrakes"
    ]) == toset(["arn:aws:lambda:us-east-1:123456789012:function:*"])
    error_message = "Lifting a brake is granted on this account's and Region's functions only."
  }

  assert {
    condition = jsonencode(flatten([
      for s in data.aws_iam_policy_document.budget[0].statement : [for c in s.condition : [c.test, c.variable, c.values]] if s.sid == "ReleaseOwnBrakes"
    ])) == jsonencode(["StringEquals", "aws:ResourceTag/genai-obs:budget-owner", "deck-budget"])
    error_message = "Only functions whose owner tag names this budget function may be restored by it."
  }

  assert {
    condition = !anytrue([
      for s in data.aws_iam_policy_document.budget[0].statement : contains(s.actions, "lambda:TagResource") if s.sid == "ReleaseOwnBrakes"
    ])
    error_message = "Lifting a brake writes no tag (no TagResource on unlisted functions)."
  }

  assert {
    condition     = aws_lambda_function.budget[0].environment[0].variables["GENAI_BUDGET_OWNER"] == "deck-budget"
    error_message = "The function names itself as the brakes' owner."
  }
}

run "alert_still_notifies_the_topic" {
  command = apply

  assert {
    condition     = aws_lambda_function.budget[0].environment[0].variables["GENAI_BUDGET_SNS_TOPIC_ARN"] == "arn:aws:sns:us-east-1:123456789012:ops"
    error_message = "With budget_action = alert the function still notifies: a brake it lifts, a restore AWS refuses."
  }

  assert {
    condition = one([
      for s in data.aws_iam_policy_document.budget[0].statement : s.resources if s.sid == "NotifyAlarmTopic"
    ]) == toset(["arn:aws:sns:us-east-1:123456789012:ops"])
    error_message = "The function may publish to the alarm topic only, whatever the action."
  }
}

run "account_budget_counts_the_calendar_day" {
  command = apply

  variables {
    budget_time_zone  = "Europe/Paris"
    account_model_ids = ["us.amazon.nova-micro-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0"]
    model_prices      = { "amazon.nova-micro-v1:0" = { input = 0.05, output = 0.2 } }
    alarms            = { account_daily_cost_budget_usd = 25 }
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.account_daily_cost[0].namespace == "GenAI"
      && aws_cloudwatch_metric_alarm.account_daily_cost[0].metric_name == "AccountCostTodayUSD"
      && aws_cloudwatch_metric_alarm.account_daily_cost[0].statistic == "Maximum"
      && aws_cloudwatch_metric_alarm.account_daily_cost[0].period == 300
      && aws_cloudwatch_metric_alarm.account_daily_cost[0].threshold == 25
      && aws_cloudwatch_metric_alarm.account_daily_cost[0].treat_missing_data == "breaching"
      && length(aws_cloudwatch_metric_alarm.account_daily_cost[0].metric_query) == 0
    )
    error_message = "The account budget alarm must watch the account's spend today (AccountCostTodayUSD), not a rolling 24 hours, and notify when it stops."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_metric_alarm.account_daily_cost[0].alarm_description, "today (since midnight, Europe/Paris)")
    error_message = "The account alarm says which day it counts."
  }

  assert {
    condition = (
      aws_lambda_function.budget[0].environment[0].variables["GENAI_BUDGET_ACCOUNT_MODEL_IDS"] == "us.amazon.nova-micro-v1:0,global.anthropic.claude-haiku-4-5-20251001-v1:0"
      && jsondecode(aws_lambda_function.budget[0].environment[0].variables["GENAI_MODEL_PRICES"])["amazon.nova-micro-v1:0"].input == 0.05
    )
    error_message = "The budget function prices the account's models with the deck's overrides."
  }
}

run "account_budget_without_the_function_keeps_the_last_24_hours" {
  command = plan

  variables {
    create_budget_function = false
    package_path           = null
    account_model_ids      = ["us.amazon.nova-micro-v1:0"]
    alarms                 = { account_daily_cost_budget_usd = 25 }
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.account_daily_cost[0].metric_name == null
      && alltrue([for q in aws_cloudwatch_metric_alarm.account_daily_cost[0].metric_query : q.metric[0].period == 86400 if length(q.metric) > 0])
      && length(aws_cloudwatch_metric_alarm.budget_function_errors) == 0
    )
    error_message = "Without the budget function the account alarm sums the last 24 hours by metric math, and there is no budget function to alarm on."
  }
}
