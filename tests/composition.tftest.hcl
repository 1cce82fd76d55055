# The root module composes modules/function and modules/observability around one log group.

mock_provider "aws" {
  override_during = plan
  source          = "./tests/mocks"
}

variables {
  model_ids = ["us.amazon.nova-micro-v1:0"]
}

run "one_shared_log_group" {
  command = plan

  assert {
    condition     = output.cloudwatch_log_group_name == "/aws/lambda/genai-deck"
    error_message = "The deck's log group must be /aws/lambda/<name>."
  }

  assert {
    condition     = module.function.cloudwatch_log_group_name == module.observability.cloudwatch_log_group_name
    error_message = "The function must write to the log group the deck reads."
  }

  assert {
    condition     = module.observability.cloudwatch_log_group_arn == "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/genai-deck"
    error_message = "modules/observability must create the shared log group."
  }

  assert {
    condition     = module.function.cloudwatch_log_group_arn == output.cloudwatch_log_group_arn
    error_message = "The function's role must be scoped to the shared log group."
  }

  assert {
    condition     = output.service_name == "genai-deck" && module.observability.service_name == "genai-deck"
    error_message = "The function's GENAI_SERVICE and the deck must follow the same service."
  }

  assert {
    condition     = output.lambda_function_arn == "arn:aws:lambda:us-east-1:123456789012:function:genai-deck"
    error_message = "The function must be created."
  }

  assert {
    condition     = output.metric_namespace == "GenAI"
    error_message = "The default namespace must be GenAI."
  }

  assert {
    condition     = output.dashboard_name == "genai-deck" && startswith(output.dashboard_url, "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards")
    error_message = "The dashboard and its URL must be created."
  }

  assert {
    condition     = length(output.query_definition_ids) == 10 && output.query_definition_names["daily-cost"] == "genai-deck/daily-cost"
    error_message = "The ten saved questions must be saved in the deck's folder."
  }

  assert {
    condition     = output.alarm_arns == {} && output.sns_topic_arn == null
    error_message = "No alarm and no topic without a budget or alarm settings."
  }

  assert {
    condition     = output.schedule_arn == null && output.dead_letter_queue_arn == null
    error_message = "No schedule by default."
  }
}

run "service_name_budget_alarms_and_schedule_reach_both_modules" {
  command = plan

  variables {
    service_name             = "support"
    metric_namespace         = "GenAI/Teams"
    schedule_expression      = "rate(1 hour)"
    prompt                   = "Say hello."
    create_dead_letter_queue = true
    alarms = {
      daily_cost_budget_usd  = 12.5
      llm_error_rate_percent = 5
      lambda_errors          = true
    }
    create_sns_topic = true
    alarm_emails     = ["ops@example.com"]
  }

  assert {
    condition     = output.service_name == "support" && module.observability.service_name == "support"
    error_message = "The service name must reach the deck."
  }

  assert {
    condition     = output.metric_namespace == "GenAI/Teams"
    error_message = "The namespace must reach the deck."
  }

  assert {
    condition     = length(output.alarm_arns) == 4
    error_message = "The budget, pace, error-rate and Lambda errors alarms must be created."
  }

  assert {
    condition     = output.sns_topic_arn == "arn:aws:sns:us-east-1:123456789012:genai-deck-alarms"
    error_message = "The created topic must be the alarms' topic."
  }

  assert {
    condition     = output.schedule_arn != null && output.dead_letter_queue_arn != null
    error_message = "The schedule and its dead-letter queue must be created."
  }
}

run "alarms_object_reaches_the_deck_as_it_is" {
  command = plan

  variables {
    alarms = {
      daily_cost_budget_usd  = 12.5
      llm_error_rate_percent = 5
      llm_latency_p99_ms     = 8000
      unpriced_calls         = true
      lambda_errors          = true
      lambda_throttles       = true
    }
  }

  assert {
    condition = toset(keys(output.alarm_arns)) == toset([
      "genai-deck-daily-cost", "genai-deck-cost-pace", "genai-deck-llm-error-rate", "genai-deck-llm-latency-p99", "genai-deck-unpriced-calls",
      "genai-deck-lambda-errors-genai-deck", "genai-deck-lambda-throttles-genai-deck",
    ])
    error_message = "Every alarm of the alarms object must be created, the Lambda ones on the deck's own function."
  }
}

run "unset_alarms_and_aws_budget_take_the_deck_defaults" {
  command = plan

  variables {
    alarms     = { daily_cost_budget_usd = 5, evaluation = null }
    aws_budget = { limit_usd = 300, emails = ["finops@example.com"] }
  }

  assert {
    condition     = contains(keys(output.alarm_arns), "genai-deck-cost-pace") && !contains(keys(output.alarm_arns), "genai-deck-unpriced-calls")
    error_message = "Unset alarm settings must take modules/observability's defaults (pace factor 4, flags off)."
  }

  assert {
    condition     = output.aws_budget_name == "genai-deck-bedrock"
    error_message = "Unset aws_budget settings must take modules/observability's defaults (threshold, services)."
  }
}

run "create_flags_turn_off_dashboard_and_queries" {
  command = plan

  variables {
    create_dashboard         = false
    create_query_definitions = false
  }

  assert {
    condition     = output.dashboard_name == null && output.dashboard_url == null
    error_message = "create_dashboard = false must create no dashboard."
  }

  assert {
    condition     = output.query_definition_ids == null
    error_message = "create_query_definitions = false must save no query."
  }

  assert {
    condition     = output.lambda_function_arn != null && output.cloudwatch_log_group_name != null
    error_message = "The function and its log group stay."
  }
}

run "disabled_plans_nothing" {
  command = plan

  variables {
    create                   = false
    schedule_expression      = "rate(1 hour)"
    create_dead_letter_queue = true
    alarms                   = { daily_cost_budget_usd = 5 }
    create_sns_topic         = true
    enable_data_protection   = true
    enable_field_index       = true
  }

  assert {
    condition = alltrue([
      output.lambda_function_name == null, output.lambda_function_arn == null, output.lambda_role_arn == null,
      output.lambda_role_name == null, output.service_name == null, output.cloudwatch_log_group_name == null,
      output.cloudwatch_log_group_arn == null, output.metric_namespace == null, output.dashboard_name == null,
      output.dashboard_url == null, output.query_definition_names == null, output.query_definition_ids == null,
      output.alarm_arns == null, output.sns_topic_arn == null, output.schedule_arn == null,
      output.dead_letter_queue_arn == null,
    ])
    error_message = "create = false must leave every output null."
  }

  assert {
    condition     = module.function.bedrock_resource_arns == null && module.observability.metric_filters == null
    error_message = "create = false must reach both modules."
  }
}

# Wiring: each root input reaches the child that owns it (the children validate them).

run "package_path_reaches_the_function" {
  command = plan

  assert {
    condition     = module.function.lambda_function_source_code_hash == filebase64sha256("modules/function/tests/fixtures/placeholder.zip")
    error_message = "The function must deploy the package at package_path."
  }
}

run "model_ids_reach_the_bedrock_grants" {
  command = plan

  variables {
    model_ids = ["amazon.nova-lite-v1:0", "amazon.nova-micro-v1:0"]
  }

  assert {
    condition     = length(module.function.bedrock_resource_arns) > 0 && alltrue([for id in var.model_ids : anytrue([for arn in module.function.bedrock_resource_arns : endswith(arn, id)])])
    error_message = "Every entry of model_ids must reach the function's Bedrock grants."
  }
}

run "alarm_sns_topic_arn_reaches_the_alarms" {
  command = plan

  variables {
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"
    alarms              = { unpriced_calls = true }
  }

  assert {
    condition     = output.sns_topic_arn == "arn:aws:sns:us-east-1:123456789012:ops" && keys(output.alarm_arns) == ["genai-deck-unpriced-calls"]
    error_message = "The given topic must be the alarms' topic, and only the asked alarm is created."
  }
}

run "dashboard_shows_alarms_only_when_there_are_some" {
  command = plan

  variables {
    alarms = { llm_latency_p99_ms = 8000 }
  }

  assert {
    condition     = length([for w in jsondecode(module.observability.dashboard_body).widgets : w if w.type == "alarm"]) == 1
    error_message = "With an alarm the dashboard must show the alarm widget."
  }
}

run "dashboard_without_alarms_has_no_alarm_widget" {
  command = plan

  assert {
    condition     = length([for w in jsondecode(module.observability.dashboard_body).widgets : w if w.type == "alarm"]) == 0
    error_message = "Without alarms the dashboard must show no alarm widget."
  }
}

run "metric_namespace_and_service_reach_the_dashboard" {
  command = plan

  variables {
    service_name     = "support.v2"
    metric_namespace = "Team/GenAI"
  }

  assert {
    condition     = strcontains(module.observability.dashboard_body, "Team/GenAI") && !strcontains(module.observability.dashboard_body, "\"GenAI\"")
    error_message = "The dashboard must plot the root's metric_namespace."
  }

  assert {
    condition     = output.service_name == "support.v2" && strcontains(module.observability.dashboard_body, "support.v2")
    error_message = "The service name must reach the deck and its dashboard."
  }
}

run "deck_reads_only_the_shared_log_group" {
  command = plan

  assert {
    condition     = module.observability.cloudwatch_log_group_names == tolist(["/aws/lambda/genai-deck"])
    error_message = "The deck's questions must read the shared log group only."
  }
}

run "schedule_without_dead_letter_queue" {
  command = plan

  variables {
    schedule_expression = "cron(0 9 * * ? *)"
    prompt              = "Say hello."
  }

  assert {
    condition     = output.schedule_arn != null && output.dead_letter_queue_arn == null && module.function.schedule_role_arn != null
    error_message = "A schedule without create_dead_letter_queue must create no queue."
  }
}
