# The budget function, its schedule and its least-privilege role; the brake's inputs and
# the rules that tie budget_action, the daily budget and the function together.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  service_name           = "chat"
  function_names         = ["deck-fn"]
  create_budget_function = true
  package_path           = "../function/tests/fixtures/placeholder.zip"
}

run "budget_function_publishes_spend_today" {
  command = apply

  variables {
    budget_time_zone = "Europe/Paris"
    alarms           = { daily_cost_budget_usd = 20 }
  }

  assert {
    condition     = aws_lambda_function.budget[0].function_name == "deck-budget" && aws_lambda_function.budget[0].handler == "genai_observability.budget.lambda_handler"
    error_message = "The budget function runs genai_observability.budget.lambda_handler from the package."
  }

  assert {
    condition = aws_lambda_function.budget[0].environment[0].variables == tomap({
      GENAI_METRIC_NAMESPACE = "GenAI"
      GENAI_BUDGET_SERVICES  = "chat"
      GENAI_BUDGET_TIME_ZONE = "Europe/Paris"
      GENAI_BUDGET_ACTION    = "alert"
      GENAI_BUDGET_OWNER     = "deck-budget"
      GENAI_BUDGET_USD       = "20"
    })
    error_message = "Without the brake the function gets the namespace, service, time zone, action, budget and its brakes' owner tag only."
  }

  assert {
    condition     = aws_scheduler_schedule.budget[0].schedule_expression == "rate(5 minutes)" && aws_scheduler_schedule.budget[0].target[0].arn == aws_lambda_function.budget[0].arn
    error_message = "EventBridge Scheduler runs the budget function every 5 minutes."
  }

  assert {
    condition     = aws_cloudwatch_log_group.budget[0].name == "/aws/lambda/deck-budget" && aws_cloudwatch_log_group.budget[0].retention_in_days == 30
    error_message = "The budget function logs to its own group with the deck's retention."
  }

  assert {
    condition     = output.budget_function_name == "deck-budget" && output.budget_schedule_arn != null && length(output.budget_stop_function_names) == 0
    error_message = "The outputs name the function and its schedule; nothing is protected without the brake."
  }
}

run "role_reads_and_publishes_only_the_deck_namespace" {
  command = apply

  variables {
    metric_namespace = "Team/GenAI"
    alarms           = { daily_cost_budget_usd = 20 }
  }

  assert {
    condition = jsonencode({
      for s in data.aws_iam_policy_document.budget[0].statement : s.sid => sort(s.actions)
      }) == jsonencode({
      WriteOwnLogGroup    = ["logs:CreateLogStream", "logs:PutLogEvents"]
      ReadCost            = ["cloudwatch:GetMetricData"]
      PublishCostToday    = ["cloudwatch:PutMetricData"]
      FindBrakedFunctions = ["tag:GetResources"]
      ReleaseOwnBrakes    = ["lambda:DeleteFunctionConcurrency", "lambda:ListTags", "lambda:PutFunctionConcurrency", "lambda:UntagResource"]
    })
    error_message = "Without the brake the role only logs, reads metrics, publishes CostTodayUSD, and finds and lifts brakes it set earlier (tests/budget_function.tftest.hcl)."
  }

  assert {
    condition = jsonencode(flatten([
      for s in data.aws_iam_policy_document.budget[0].statement : [for c in s.condition : [c.test, c.variable, c.values]] if s.sid == "PublishCostToday"
    ])) == jsonencode(["StringEquals", "cloudwatch:namespace", "Team/GenAI"])
    error_message = "PutMetricData is limited to the deck's namespace."
  }

  assert {
    condition = one([
      for s in data.aws_iam_policy_document.budget[0].statement : s.resources if s.sid == "WriteOwnLogGroup"
    ]) == toset(["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/deck-budget:*"])
    error_message = "The function writes only to its own log group."
  }

  assert {
    condition     = one(data.aws_iam_policy_document.budget_scheduler[0].statement).resources == toset(["arn:aws:lambda:us-east-1:123456789012:function:deck-budget"])
    error_message = "The schedule's role may invoke the budget function only."
  }

  assert {
    condition     = [for k in ["lambda", "scheduler"] : aws_iam_role.budget[k].name] == ["deck-budget-lambda", "deck-budget-scheduler"]
    error_message = "The function has an execution role and a schedule role, named after it."
  }

  assert {
    condition = jsonencode({
      for k, d in data.aws_iam_policy_document.budget_assume_role : k => [one(d.statement).sid, one(one(d.statement).principals).identifiers, [for c in one(d.statement).condition : [c.variable, c.values]]]
      }) == jsonencode({
      lambda    = ["LambdaAssumeRole", ["lambda.amazonaws.com"], []]
      scheduler = ["SchedulerAssumeRole", ["scheduler.amazonaws.com"], [["aws:SourceAccount", ["123456789012"]]]]
    })
    error_message = "Lambda assumes the execution role; EventBridge Scheduler the schedule role, from this account only."
  }
}

run "brake_is_granted_only_on_the_protected_functions" {
  command = apply

  variables {
    budget_action              = "stop"
    budget_stop_function_names = ["batch-agent", "deck-fn"]
    create_sns_topic           = true
    alarms                     = { daily_cost_budget_usd = 5 }
  }

  assert {
    condition     = aws_lambda_function.budget[0].environment[0].variables["GENAI_BUDGET_STOP_FUNCTIONS"] == "deck-fn,batch-agent"
    error_message = "The deck's functions and the listed ones are protected, each once."
  }

  assert {
    condition     = aws_lambda_function.budget[0].environment[0].variables["GENAI_BUDGET_SNS_TOPIC_ARN"] == "arn:aws:sns:us-east-1:123456789012:deck-alarms"
    error_message = "The brake notifies the alarm topic."
  }

  assert {
    condition = one([
      for s in data.aws_iam_policy_document.budget[0].statement : s.resources if s.sid == "BrakeProtectedFunctions"
      ]) == toset([
      "arn:aws:lambda:us-east-1:123456789012:function:deck-fn",
      "arn:aws:lambda:us-east-1:123456789012:function:batch-agent",
    ])
    error_message = "Concurrency and tag permissions are granted on the protected functions' ARNs only."
  }

  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.budget[0].statement : !contains(s.resources, "*") if !contains(["ReadCost", "PublishCostToday", "FindBrakedFunctions"], s.sid)
    ])
    error_message = "Only the two CloudWatch metric actions and tag:GetResources, which have no resource type, use \"*\"."
  }

  assert {
    condition = one([
      for s in data.aws_iam_policy_document.budget[0].statement : s.resources if s.sid == "NotifyAlarmTopic"
    ]) == toset(["arn:aws:sns:us-east-1:123456789012:deck-alarms"])
    error_message = "The function may publish to the alarm topic only."
  }

  assert {
    condition     = output.budget_stop_function_names == tolist(["deck-fn", "batch-agent"])
    error_message = "The output lists the protected functions."
  }
}

run "no_budget_function_without_asking" {
  command = plan

  variables {
    create_budget_function = false
    package_path           = null
  }

  assert {
    condition     = length(aws_lambda_function.budget) + length(aws_scheduler_schedule.budget) + length(aws_iam_role.budget) + length(data.aws_caller_identity.budget) == 0
    error_message = "No budget function, schedule, role or account lookup unless asked for."
  }

  assert {
    condition     = output.budget_function_name == null && output.budget_function_arn == null && output.budget_schedule_arn == null
    error_message = "The budget outputs are null without the function."
  }
}

run "stop_needs_a_budget" {
  command = plan

  variables {
    budget_action = "stop"
  }

  expect_failures = [data.aws_partition.current]
}

run "budget_function_needs_a_package" {
  command = plan

  variables {
    package_path = null
  }

  expect_failures = [aws_lambda_function.budget]
}

run "rejects_a_bad_value_of_each_input" {
  command = plan

  variables {
    budget_time_zone           = "GMT+2 (Paris)"                                      # time zone must be an iana name
    budget_action              = "halt"                                               # budget action is alert or stop
    budget_stop_function_names = ["arn:aws:lambda:us-east-1:123456789012:function:x"] # stop function names are function names
    package_path               = "../function/tests/fixtures/placeholder.tar"         # package path is a zip
  }

  expect_failures = [
    var.budget_time_zone, var.budget_action, var.budget_stop_function_names, var.package_path,
  ]
}

run "time_zone_lowercase_is_refused" {
  command = plan

  variables {
    budget_time_zone = "europe/paris"
  }

  expect_failures = [var.budget_time_zone]
}

# --- Failures are loud (issue 18) -----------------------------------------------------------
# The budget function's own errors alarm, the daily alarms that notify when their data stops,
# the role that finds and lifts only its own brakes, and the account budget counted by the
# calendar day; docs/faults.md lists the faults and these runs. The alarms' behaviour on
# missing data is checked against the strict evaluator in tests/python/test_budget.py
# (test_daily_alarm_notifies_when_the_budget_function_stops_publishing).

run "budget_function_errors_alarm_notifies_the_topic" {
  command = apply

  variables {
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"
  }

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
      && !contains(keys(output.alarm_arns), "deck-budget-errors")
    )
    error_message = "The budget function's errors alarm must notify the deck's topic; it is not one of the deck's opt-in alarms (alarm_arns)."
  }
}

run "daily_alarm_breaches_when_its_data_stops" {
  command = plan

  variables {
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"
    alarms              = { daily_cost_budget_usd = 10 }
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
    condition = jsonencode({
      for s in data.aws_iam_policy_document.budget[0].statement : s.sid => [sort(s.actions), sort(s.resources)] if contains(["FindBrakedFunctions", "ReleaseOwnBrakes"], s.sid)
      }) == jsonencode({
      FindBrakedFunctions = [["tag:GetResources"], ["*"]]
      ReleaseOwnBrakes    = [["lambda:DeleteFunctionConcurrency", "lambda:ListTags", "lambda:PutFunctionConcurrency", "lambda:UntagResource"], ["arn:aws:lambda:us-east-1:123456789012:function:*"]]
    })
    error_message = "tag:GetResources, which has no resource type, alone takes \"*\"; lifting a brake is granted on this account's and Region's functions, with no tag write."
  }

  assert {
    condition = jsonencode(flatten([
      for s in data.aws_iam_policy_document.budget[0].statement : [for c in s.condition : [c.test, c.variable, c.values]] if s.sid == "ReleaseOwnBrakes"
    ])) == jsonencode(["StringEquals", "aws:ResourceTag/genai-obs:budget-owner", "deck-budget"])
    error_message = "Only functions whose owner tag names this budget function may be restored by it."
  }

  assert {
    condition     = aws_lambda_function.budget[0].environment[0].variables["GENAI_BUDGET_OWNER"] == "deck-budget"
    error_message = "The function names itself as the brakes' owner."
  }
}

run "alert_still_notifies_the_topic" {
  command = apply

  variables {
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"
  }

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
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"
    budget_time_zone    = "Europe/Paris"
    account_model_ids   = ["us.amazon.nova-micro-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0"]
    model_prices        = { "amazon.nova-micro-v1:0" = { input = 0.05, output = 0.2 } }
    alarms              = { account_daily_cost_budget_usd = 25 }
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
    alarm_sns_topic_arn    = "arn:aws:sns:us-east-1:123456789012:ops"
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
