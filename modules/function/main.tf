data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {
  count = var.create ? 1 : 0
}

locals {
  create_log_group = var.create && var.create_log_group
  create_schedule  = var.create && var.schedule_expression != null
  create_dlq       = local.create_schedule && var.create_dead_letter_queue

  partition = data.aws_partition.current.partition
  # `id`, not `name`: 6.x deprecates `name` (docs/provider-compatibility.md); both versions set `id`.
  region     = data.aws_region.current.id
  account_id = one(data.aws_caller_identity.current[*].account_id)

  # The group the function writes to: created here, or managed elsewhere and passed in.
  log_group_name = var.create_log_group ? "/aws/lambda/${var.name}" : var.log_group_name
  log_group_arn  = var.create && local.log_group_name != null ? "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group_name}" : null

  # ARNs built from their names, so that the rendered policies are known (and reviewable) at plan time.
  function_arn          = var.create ? "arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:${var.name}" : null
  dead_letter_queue_arn = var.create ? "arn:${local.partition}:sqs:${local.region}:${local.account_id}:${var.name}-schedule-dlq" : null

  # Our agent handler cuts its Bedrock client's timeouts to the function's (handler.py,
  # client_limits); below 10 seconds a call would have no useful read timeout left.
  agent_handler     = "genai_observability.handler.lambda_handler"
  agent_min_timeout = 10
  package_exists    = fileexists(var.package_path)

  model_id     = coalesce(var.model_id, var.model_ids[0])
  service_name = coalesce(var.service_name, var.name)

  # Environment read by genai_observability; user variables never override these names
  # (enforced by the environment_variables validation).
  environment = merge(
    var.environment_variables,
    {
      GENAI_SERVICE     = local.service_name
      GENAI_MODEL_ID    = local.model_id
      GENAI_LOG_CONTENT = var.log_content ? "true" : "false"
    },
    var.prompt == null ? {} : { GENAI_PROMPT = var.prompt },
    length(var.model_prices) == 0 ? {} : { GENAI_MODEL_PRICES = jsonencode(var.model_prices) },
    var.price_catalog_path == null ? {} : { GENAI_PRICE_CATALOG = var.price_catalog_path },
    length(var.application_profiles) == 0 ? {} : { GENAI_APPLICATION_PROFILES = jsonencode(var.application_profiles) },
  )
}

resource "aws_lambda_function" "this" {
  count = var.create ? 1 : 0

  #checkov:skip=CKV_AWS_116:A function dead-letter queue would receive failed asynchronous invocations; here failures are not retried by default (async_retry_attempts = 0, so a failed LLM call is not paid for three times) and show as Lambda Errors and in the deck's Errors metric and alarms. The optional schedule dead-letter queue (create_dead_letter_queue) only receives events EventBridge Scheduler failed to deliver.
  #checkov:skip=CKV_AWS_117:The function only calls the public Amazon Bedrock and CloudWatch endpoints and reaches no private resource, so it runs outside a VPC (no NAT gateway or VPC endpoints needed).
  #checkov:skip=CKV_AWS_272:The package is built deterministically by the project and pinned by source_code_hash; code signing needs an AWS Signer profile that is outside this module's scope.
  #checkov:skip=CKV_AWS_173:Environment variables are encrypted at rest with the AWS managed key by default; kms_key_arn selects a customer managed key.
  #checkov:skip=CKV_AWS_50:X-Ray tracing is opt-in through enable_tracing because it adds cost; latency per call is already measured by the deck.
  #checkov:skip=CKV_AWS_115:Reserved concurrency is opt-in through reserved_concurrent_executions; reserving it by default would take capacity from the account's other functions.

  function_name    = var.name
  description      = var.description
  role             = aws_iam_role.execution["lambda"].arn
  filename         = var.package_path
  source_code_hash = local.package_exists ? filebase64sha256(var.package_path) : null
  handler          = var.handler
  runtime          = var.runtime
  architectures    = [var.architecture]
  memory_size      = var.memory_size
  timeout          = var.timeout
  kms_key_arn      = var.kms_key_arn
  layers           = var.layers

  reserved_concurrent_executions = coalesce(var.reserved_concurrent_executions, -1)

  environment {
    variables = local.environment
  }

  logging_config {
    log_format = "Text"
    log_group  = local.log_group_name
  }

  dynamic "tracing_config" {
    for_each = var.enable_tracing ? [true] : []

    content {
      mode = "Active"
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.package_exists
      error_message = "The package_path file does not exist. Build our agent's zip with `make package` (dist/genai_observability.zip) or `genai-obs package OUT.zip`, or point package_path at your own function's zip; with the module from git::, build it from a clone into your configuration's directory (README, Deploy your own function)."
    }

    precondition {
      condition     = var.handler != local.agent_handler || var.timeout >= local.agent_min_timeout
      error_message = "The timeout must be at least 10 seconds for the agent handler: its Bedrock call needs a connect timeout, a read timeout and time to write the call's line before Lambda stops the function."
    }

    precondition {
      condition     = var.create_log_group || var.log_group_name != null
      error_message = "The log_group_name must be set when create_log_group is false."
    }

    precondition {
      condition     = contains(var.model_ids, local.model_id)
      error_message = "The model_id must be one of model_ids, so that the function's role may invoke it."
    }
  }

  # The group and the permissions must exist before the first invocation writes to them.
  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.execution,
  ]
}

# Scheduled invocations are asynchronous: by default Lambda would retry a failed one twice,
# paying for the same LLM call up to three times.
resource "aws_lambda_function_event_invoke_config" "this" {
  count = var.create ? 1 : 0

  function_name                = aws_lambda_function.this[0].function_name
  maximum_retry_attempts       = var.async_retry_attempts
  maximum_event_age_in_seconds = var.async_maximum_event_age_in_seconds
}
