# Default options: function, role, policy and its own log group; no schedule. Inputs: tests/terraform.tfvars.

mock_provider "aws" { source = "./tests/mocks" }

run "defaults_create_function_role_and_log_group" {
  command = plan

  assert {
    condition     = length(aws_lambda_function.this) == 1 && contains(keys(aws_iam_role.execution), "lambda") && contains(keys(aws_iam_role_policy.execution), "lambda")
    error_message = "The function, its role and its policy must be planned."
  }

  assert {
    condition     = length(aws_cloudwatch_log_group.this) == 1 && aws_cloudwatch_log_group.this[0].name == "/aws/lambda/genai-agent"
    error_message = "The module must create the log group /aws/lambda/<name> by default."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this[0].retention_in_days == 30
    error_message = "The default retention must be 30 days."
  }

  assert {
    condition     = length(aws_scheduler_schedule.this) == 0 && !contains(keys(aws_iam_role.execution), "scheduler") && length(aws_sqs_queue.dead_letter) == 0
    error_message = "No schedule, scheduler role or queue without schedule_expression."
  }

  assert {
    condition     = aws_lambda_function.this[0].runtime == "python3.12" && aws_lambda_function.this[0].architectures == tolist(["arm64"])
    error_message = "The defaults must be python3.12 on arm64."
  }

  assert {
    condition     = aws_lambda_function.this[0].handler == "genai_observability.handler.lambda_handler"
    error_message = "The handler must be the packaged entry point."
  }

  assert {
    condition     = aws_lambda_function.this[0].source_code_hash == filebase64sha256("tests/fixtures/placeholder.zip")
    error_message = "The source_code_hash must be the base64 SHA-256 of the package."
  }

  assert {
    condition     = aws_lambda_function.this[0].logging_config[0].log_format == "Text" && aws_lambda_function.this[0].logging_config[0].log_group == "/aws/lambda/genai-agent"
    error_message = "The function must log as Text to its log group."
  }

  assert {
    condition     = length(aws_lambda_function.this[0].tracing_config) == 0
    error_message = "Tracing must be off by default."
  }

  assert {
    condition     = aws_lambda_function.this[0].reserved_concurrent_executions == -1
    error_message = "Concurrency must be unreserved by default."
  }

  assert {
    condition     = length(aws_lambda_function_event_invoke_config.this) == 1 && aws_lambda_function_event_invoke_config.this[0].function_name == "genai-agent"
    error_message = "The function's asynchronous invocation config must be created."
  }

  assert {
    condition     = aws_lambda_function_event_invoke_config.this[0].maximum_retry_attempts == 0 && aws_lambda_function_event_invoke_config.this[0].maximum_event_age_in_seconds == 3600
    error_message = "By default a failed asynchronous invocation must not be retried (an LLM call is paid once) and may wait an hour."
  }

  assert {
    condition = aws_lambda_function.this[0].environment[0].variables == tomap({
      GENAI_SERVICE     = "genai-agent"
      GENAI_MODEL_ID    = "amazon.nova-micro-v1:0"
      GENAI_LOG_CONTENT = "false"
    })
    error_message = "Default environment: service = function name, first model id, content logging off, no prompt and no prices."
  }

  assert {
    condition     = output.lambda_function_arn == "arn:aws:lambda:us-east-1:123456789012:function:genai-agent"
    error_message = "The ARN output must come from the function."
  }

  assert {
    condition     = output.cloudwatch_log_group_arn == "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/genai-agent"
    error_message = "The log group ARN output must be derived from the partition, Region, account and name."
  }

  assert {
    condition     = output.schedule_arn == null && output.schedule_role_arn == null && output.dead_letter_queue_arn == null && output.dead_letter_queue_url == null
    error_message = "Schedule outputs must be null without a schedule."
  }

  assert {
    condition     = output.bedrock_resource_arns == tolist(["arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0"])
    error_message = "A foundation model id must give exactly its ARN in the function's Region."
  }
}

run "environment_carries_prompt_prices_service_and_content_opt_in" {
  command = plan

  variables {
    model_ids    = ["us.amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0"]
    model_id     = "amazon.nova-lite-v1:0"
    service_name = "support-bot"
    prompt       = "Say hello."
    log_content  = true
    model_prices = {
      "amazon.nova-lite-v1:0" = { input = 0.06, output = 0.24 }
    }
    environment_variables = {
      LOG_LEVEL = "DEBUG"
    }
  }

  assert {
    condition = aws_lambda_function.this[0].environment[0].variables == tomap({
      LOG_LEVEL          = "DEBUG"
      GENAI_SERVICE      = "support-bot"
      GENAI_MODEL_ID     = "amazon.nova-lite-v1:0"
      GENAI_LOG_CONTENT  = "true"
      GENAI_PROMPT       = "Say hello."
      GENAI_MODEL_PRICES = jsonencode({ "amazon.nova-lite-v1:0" = { input = 0.06, output = 0.24, cache_read = null, cache_write = null } })
    })
    error_message = "The environment must carry the service, model, prompt, JSON prices, content opt-in and user variables."
  }

  assert {
    condition     = jsondecode(aws_lambda_function.this[0].environment[0].variables["GENAI_MODEL_PRICES"])["amazon.nova-lite-v1:0"].output == 0.24
    error_message = "GENAI_MODEL_PRICES must be JSON keyed by model id."
  }
}

run "environment_carries_the_price_catalog_and_application_profiles" {
  command = plan

  variables {
    price_catalog_path = "/opt/genai/prices.json"
    application_profiles = {
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3" = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    }
  }

  assert {
    condition     = aws_lambda_function.this[0].environment[0].variables["GENAI_PRICE_CATALOG"] == "/opt/genai/prices.json"
    error_message = "price_catalog_path must become GENAI_PRICE_CATALOG."
  }

  assert {
    condition     = jsondecode(aws_lambda_function.this[0].environment[0].variables["GENAI_APPLICATION_PROFILES"])["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3"] == "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    error_message = "application_profiles must become GENAI_APPLICATION_PROFILES, JSON keyed by the profile ARN."
  }
}

run "options_tracing_concurrency_size_and_kms" {
  command = plan

  variables {
    enable_tracing                     = true
    reserved_concurrent_executions     = 5
    async_retry_attempts               = 2
    async_maximum_event_age_in_seconds = 600
    runtime                            = "python3.13"
    architecture                       = "x86_64"
    memory_size                        = 512
    timeout                            = 120
    log_retention_in_days              = 90
    kms_key_arn                        = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    tags                               = { team = "ml" }
  }

  assert {
    condition     = aws_lambda_function.this[0].tracing_config[0].mode == "Active"
    error_message = "enable_tracing must turn on active tracing."
  }

  assert {
    condition     = aws_lambda_function.this[0].reserved_concurrent_executions == 5
    error_message = "The reserved concurrency must be passed through."
  }

  assert {
    condition     = aws_lambda_function_event_invoke_config.this[0].maximum_retry_attempts == 2 && aws_lambda_function_event_invoke_config.this[0].maximum_event_age_in_seconds == 600
    error_message = "The asynchronous retry attempts and maximum event age must be passed through."
  }

  assert {
    condition     = aws_lambda_function.this[0].runtime == "python3.13" && aws_lambda_function.this[0].architectures == tolist(["x86_64"]) && aws_lambda_function.this[0].memory_size == 512 && aws_lambda_function.this[0].timeout == 120
    error_message = "Runtime, architecture, memory and timeout must be passed through."
  }

  assert {
    condition     = aws_lambda_function.this[0].kms_key_arn == var.kms_key_arn && aws_cloudwatch_log_group.this[0].kms_key_id == var.kms_key_arn
    error_message = "The KMS key must encrypt the environment and the created log group."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this[0].retention_in_days == 90
    error_message = "The retention must be passed through."
  }

  assert {
    condition     = aws_lambda_function.this[0].tags == tomap({ team = "ml" }) && aws_iam_role.execution["lambda"].tags == tomap({ team = "ml" }) && aws_cloudwatch_log_group.this[0].tags == tomap({ team = "ml" })
    error_message = "Tags must be set on every taggable resource."
  }
}

run "existing_log_group_is_used_not_created" {
  command = plan

  variables {
    create_log_group = false
    log_group_name   = "/shared/genai"
  }

  assert {
    condition     = length(aws_cloudwatch_log_group.this) == 0
    error_message = "No log group may be created when create_log_group is false."
  }

  assert {
    condition     = aws_lambda_function.this[0].logging_config[0].log_group == "/shared/genai"
    error_message = "The function must write to the given log group."
  }

  assert {
    condition     = output.cloudwatch_log_group_name == "/shared/genai" && output.cloudwatch_log_group_arn == "arn:aws:logs:us-east-1:123456789012:log-group:/shared/genai"
    error_message = "The log group outputs must describe the given group."
  }
}

run "disabled_plans_nothing" {
  command = plan

  variables {
    create                   = false
    schedule_expression      = "rate(1 hour)"
    create_dead_letter_queue = true
  }

  assert {
    condition = (
      length(aws_lambda_function.this) + length(aws_iam_role.execution) + length(aws_iam_role_policy.execution) +
      length(aws_cloudwatch_log_group.this) + length(aws_scheduler_schedule.this) +
      length(aws_sqs_queue.dead_letter) + length(data.aws_caller_identity.current) +
      length(aws_lambda_function_event_invoke_config.this)
    ) == 0
    error_message = "create = false must plan zero resources."
  }

  assert {
    condition = alltrue([
      output.lambda_function_name == null, output.lambda_function_arn == null, output.lambda_role_arn == null,
      output.cloudwatch_log_group_name == null, output.cloudwatch_log_group_arn == null, output.schedule_arn == null,
      output.dead_letter_queue_arn == null, output.bedrock_resource_arns == null,
    ])
    error_message = "Every output must be null when create is false."
  }
}
