# Schedule, retry policy, dead-letter queue and their role.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  schedule_expression = "rate(1 hour)"
  prompt              = "Say hello."
}

run "schedule_without_dead_letter_queue" {
  command = plan

  assert {
    condition     = length(aws_scheduler_schedule.this) == 1 && contains(keys(aws_iam_role.execution), "scheduler") && contains(keys(aws_iam_role_policy.execution), "scheduler")
    error_message = "A schedule and its role must be planned."
  }

  assert {
    condition     = length(aws_sqs_queue.dead_letter) == 0 && length(aws_scheduler_schedule.this[0].target[0].dead_letter_config) == 0
    error_message = "No dead-letter queue unless asked for."
  }

  assert {
    condition     = aws_scheduler_schedule.this[0].schedule_expression == "rate(1 hour)" && aws_scheduler_schedule.this[0].flexible_time_window[0].mode == "OFF"
    error_message = "The schedule must use the expression with the flexible window off."
  }

  assert {
    condition     = aws_scheduler_schedule.this[0].target[0].arn == "arn:aws:lambda:us-east-1:123456789012:function:genai-agent"
    error_message = "The schedule must target the function."
  }

  assert {
    condition     = aws_scheduler_schedule.this[0].target[0].retry_policy[0].maximum_retry_attempts == 2 && aws_scheduler_schedule.this[0].target[0].retry_policy[0].maximum_event_age_in_seconds == 3600
    error_message = "The default retry policy must be 2 attempts within one hour."
  }

  assert {
    condition     = jsondecode(aws_scheduler_schedule.this[0].target[0].input) == { source = "schedule", prompt = "Say hello." }
    error_message = "The schedule must send its source and the prompt."
  }

  assert {
    condition     = data.aws_iam_policy_document.scheduler[0].statement[0].actions == toset(["lambda:InvokeFunction"]) && data.aws_iam_policy_document.scheduler[0].statement[0].resources == toset(["arn:aws:lambda:us-east-1:123456789012:function:genai-agent"])
    error_message = "The scheduler role may only invoke this function."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.scheduler[0].statement) == 1
    error_message = "Without a queue or key the scheduler role has a single statement."
  }

  assert {
    condition     = output.schedule_arn == "arn:aws:scheduler:us-east-1:123456789012:schedule/default/genai-agent" && output.dead_letter_queue_arn == null
    error_message = "The schedule ARN output must be set and the queue outputs null."
  }
}

run "schedule_with_dead_letter_queue_prompt_and_retry_policy" {
  command = plan

  variables {
    schedule_expression                   = "cron(0 9 ? * MON-FRI *)"
    schedule_timezone                     = "Europe/Paris"
    create_dead_letter_queue              = true
    prompt                                = "Summarise yesterday."
    schedule_maximum_retry_attempts       = 5
    schedule_maximum_event_age_in_seconds = 600
    tags                                  = { team = "ml" }
  }

  assert {
    condition     = length(aws_sqs_queue.dead_letter) == 1 && aws_sqs_queue.dead_letter[0].name == "genai-agent-schedule-dlq"
    error_message = "The dead-letter queue must be planned."
  }

  assert {
    condition     = aws_sqs_queue.dead_letter[0].sqs_managed_sse_enabled == true && aws_sqs_queue.dead_letter[0].tags == tomap({ team = "ml" })
    error_message = "The queue must be encrypted with SQS managed keys and tagged."
  }

  assert {
    condition     = aws_scheduler_schedule.this[0].target[0].dead_letter_config[0].arn == "arn:aws:sqs:us-east-1:123456789012:genai-agent-schedule-dlq"
    error_message = "The schedule must send undelivered events to the queue."
  }

  assert {
    condition     = jsondecode(aws_scheduler_schedule.this[0].target[0].input) == { source = "schedule", prompt = "Summarise yesterday." }
    error_message = "The schedule must send the prompt."
  }

  assert {
    condition     = aws_scheduler_schedule.this[0].schedule_expression_timezone == "Europe/Paris" && aws_scheduler_schedule.this[0].target[0].retry_policy[0].maximum_retry_attempts == 5 && aws_scheduler_schedule.this[0].target[0].retry_policy[0].maximum_event_age_in_seconds == 600
    error_message = "Time zone and retry policy must be passed through."
  }

  assert {
    condition     = data.aws_iam_policy_document.scheduler[0].statement[1].actions == toset(["sqs:SendMessage"]) && data.aws_iam_policy_document.scheduler[0].statement[1].resources == toset(["arn:aws:sqs:us-east-1:123456789012:genai-agent-schedule-dlq"])
    error_message = "The scheduler role may only send to its own queue."
  }

  assert {
    condition     = output.dead_letter_queue_arn == "arn:aws:sqs:us-east-1:123456789012:genai-agent-schedule-dlq" && output.dead_letter_queue_url != null
    error_message = "The queue outputs must be set."
  }
}

run "dead_letter_queue_needs_a_schedule" {
  command = plan

  variables {
    schedule_expression      = null
    create_dead_letter_queue = true
  }

  assert {
    condition     = length(aws_sqs_queue.dead_letter) == 0 && length(aws_scheduler_schedule.this) == 0
    error_message = "Without a schedule no queue is created."
  }
}

run "kms_key_encrypts_queue_and_schedule" {
  command = plan

  variables {
    create_dead_letter_queue = true
    kms_key_arn              = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  }

  assert {
    condition     = aws_sqs_queue.dead_letter[0].kms_master_key_id == var.kms_key_arn && aws_scheduler_schedule.this[0].kms_key_arn == var.kms_key_arn
    error_message = "The KMS key must encrypt the queue and the schedule."
  }

  assert {
    condition     = data.aws_iam_policy_document.scheduler[0].statement[2].resources == toset([var.kms_key_arn])
    error_message = "The scheduler role may use only the given key."
  }
}

run "at_expression_is_accepted" {
  command = plan

  variables {
    schedule_expression = "at(2030-01-01T09:00:00)"
  }

  assert {
    condition     = aws_scheduler_schedule.this[0].schedule_expression == "at(2030-01-01T09:00:00)"
    error_message = "A one-time at() schedule must be accepted."
  }
}
