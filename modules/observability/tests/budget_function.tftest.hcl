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
      GENAI_BUDGET_USD       = "20"
    })
    error_message = "Without the brake the function gets the namespace, service, time zone, action and budget only."
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
      WriteOwnLogGroup = ["logs:CreateLogStream", "logs:PutLogEvents"]
      ReadCost         = ["cloudwatch:GetMetricData"]
      PublishCostToday = ["cloudwatch:PutMetricData"]
    })
    error_message = "Without the brake the role only logs, reads metrics and publishes CostTodayUSD."
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
      for s in data.aws_iam_policy_document.budget[0].statement : !contains(s.resources, "*") if !contains(["ReadCost", "PublishCostToday"], s.sid)
    ])
    error_message = "Only the two CloudWatch metric actions, which have no resource type, use \"*\"."
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
