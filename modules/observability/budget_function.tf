# The budget function: every 5 minutes (EventBridge Scheduler) it adds up CostUSD {Service}
# since the start of today in budget_time_zone and publishes CostTodayUSD {Service}, the
# number the calendar-day budget alarm and the "Spent today" widget read. With
# budget_action = "stop" it also brakes: reserved concurrency 0 on the protected functions
# while today's spend is over the budget, restored at the start of the next day.
# Handler genai_observability.budget.lambda_handler, from the same zip as the deck's payload.

locals {
  create_budget_function = var.create && var.create_budget_function
  budget_function_name   = "${var.name}-budget"
  budget_usd             = var.alarms.daily_cost_budget_usd

  # Protected by the brake: the deck's functions and any listed; none unless stop.
  budget_stop_functions = var.budget_action == "stop" ? distinct(concat(var.function_names, var.budget_stop_function_names)) : []

  # ARNs built from names, so the rendered policy is known (and reviewable) at plan time.
  account_id                 = one(data.aws_caller_identity.budget[*].account_id)
  lambda_function_arn_prefix = "arn:${local.partition}:lambda:${local.region}:${coalesce(local.account_id, "000000000000")}:function:"
  budget_stop_function_arns  = [for f in local.budget_stop_functions : "${local.lambda_function_arn_prefix}${f}"]
  budget_function_arn        = "${local.lambda_function_arn_prefix}${local.budget_function_name}"
  budget_log_group_arn       = "arn:${local.partition}:logs:${local.region}:${coalesce(local.account_id, "000000000000")}:log-group:/aws/lambda/${local.budget_function_name}"

  # The topic the brake notifies: the created one, else alarm_sns_topic_arn.
  budget_topic_arn = try(coalesce(one(aws_sns_topic.this[*].arn), var.alarm_sns_topic_arn), null)
  budget_topic_key = local.create_sns_topic ? coalesce(var.kms_key_arn, one(aws_kms_key.sns[*].arn)) : null

  # The account's Bedrock spend today (AccountCostTodayUSD), priced by the function for the
  # account budget alarm, with the same overrides as the account view.
  budget_account_model_ids        = local.account_alarm_count > 0 ? local.account_model_ids : []
  budget_account_mantle_model_ids = local.account_alarm_count > 0 ? local.account_mantle_model_ids : []

  budget_environment = merge(
    {
      GENAI_METRIC_NAMESPACE = var.metric_namespace
      GENAI_BUDGET_SERVICES  = local.service_name
      GENAI_BUDGET_TIME_ZONE = var.budget_time_zone
      GENAI_BUDGET_ACTION    = var.budget_action
      # The brake's owner tag: the function finds (and lifts) only its own brakes.
      GENAI_BUDGET_OWNER = local.budget_function_name
    },
    local.budget_usd == null ? {} : { GENAI_BUDGET_USD = tostring(local.budget_usd) },
    length(local.budget_stop_functions) == 0 ? {} : { GENAI_BUDGET_STOP_FUNCTIONS = join(",", local.budget_stop_functions) },
    # Notified of a brake set or lifted, and of a restore AWS refuses (also with alert,
    # when a braked function is released).
    local.budget_topic_arn == null ? {} : { GENAI_BUDGET_SNS_TOPIC_ARN = local.budget_topic_arn },
    length(local.budget_account_model_ids) == 0 ? {} : { GENAI_BUDGET_ACCOUNT_MODEL_IDS = join(",", local.budget_account_model_ids) },
    length(local.budget_account_mantle_model_ids) == 0 ? {} : { GENAI_BUDGET_ACCOUNT_MANTLE_MODEL_IDS = join(",", local.budget_account_mantle_model_ids) },
    length(local.budget_account_model_ids) + length(local.budget_account_mantle_model_ids) == 0 || length(var.model_prices) == 0 ? {} : { GENAI_MODEL_PRICES = jsonencode(var.model_prices) },
  )
}

data "aws_caller_identity" "budget" {
  count = local.create_budget_function ? 1 : 0
}

resource "aws_cloudwatch_log_group" "budget" {
  count = local.create_budget_function ? 1 : 0

  #checkov:skip=CKV_AWS_338:Retention is a validated input (default 30 days); the budget function logs one line per run.
  #checkov:skip=CKV_AWS_158:A customer managed KMS key is optional (kms_key_arn); CloudWatch Logs encrypts every group at rest by default.
  name              = "/aws/lambda/${local.budget_function_name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

# The function's two roles, one shape: lambda (the execution role) and scheduler (lets
# EventBridge Scheduler invoke the function, from this account only). Each is assumed by its
# service and has one inline policy.
locals {
  budget_roles = {
    for key, role in {
      lambda = {
        service        = "lambda.amazonaws.com"
        sid            = "LambdaAssumeRole"
        description    = "Execution role of the ${var.name} budget function."
        source_account = null
        policy         = one(data.aws_iam_policy_document.budget[*].json)
      }
      scheduler = {
        service        = "scheduler.amazonaws.com"
        sid            = "SchedulerAssumeRole"
        description    = "Lets EventBridge Scheduler invoke the ${var.name} budget function."
        source_account = local.account_id
        policy         = one(data.aws_iam_policy_document.budget_scheduler[*].json)
      }
    } : key => role if local.create_budget_function
  }
}

data "aws_iam_policy_document" "budget_assume_role" {
  for_each = local.budget_roles

  statement {
    sid     = each.value.sid
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = [each.value.service]
    }

    dynamic "condition" {
      for_each = each.value.source_account == null ? [] : [each.value.source_account]

      content {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_iam_role" "budget" {
  for_each = local.budget_roles

  name               = "${local.budget_function_name}-${each.key}"
  description        = each.value.description
  assume_role_policy = data.aws_iam_policy_document.budget_assume_role[each.key].json

  tags = var.tags
}

resource "aws_iam_role_policy" "budget" {
  for_each = local.budget_roles

  name   = "${local.budget_function_name}-${each.key}"
  role   = aws_iam_role.budget[each.key].id
  policy = each.value.policy
}

moved {
  from = aws_iam_role.budget[0]
  to   = aws_iam_role.budget["lambda"]
}

moved {
  from = aws_iam_role_policy.budget[0]
  to   = aws_iam_role_policy.budget["lambda"]
}

moved {
  from = aws_iam_role.budget_scheduler[0]
  to   = aws_iam_role.budget["scheduler"]
}

moved {
  from = aws_iam_role_policy.budget_scheduler[0]
  to   = aws_iam_role_policy.budget["scheduler"]
}

data "aws_iam_policy_document" "budget" {
  count = local.create_budget_function ? 1 : 0

  statement {
    sid       = "WriteOwnLogGroup"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.budget_log_group_arn}:*"]
  }

  # GetMetricData accepts no resource narrower than "*" (CloudWatch's actions table: no
  # resource types, no condition keys for it).
  statement {
    sid       = "ReadCost"
    effect    = "Allow"
    actions   = ["cloudwatch:GetMetricData"]
    resources = ["*"]
  }

  # PutMetricData has no resource type either; the cloudwatch:namespace condition key
  # limits it to the deck's namespace.
  statement {
    sid       = "PublishCostToday"
    effect    = "Allow"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [var.metric_namespace]
    }
  }

  # The brake: only on the protected functions, only concurrency and the brake's tag.
  dynamic "statement" {
    for_each = length(local.budget_stop_function_arns) > 0 ? [true] : []

    content {
      sid    = "BrakeProtectedFunctions"
      effect = "Allow"
      actions = [
        "lambda:GetFunctionConcurrency",
        "lambda:PutFunctionConcurrency",
        "lambda:DeleteFunctionConcurrency",
        "lambda:ListTags",
        "lambda:TagResource",
        "lambda:UntagResource",
      ]
      resources = local.budget_stop_function_arns
    }
  }

  # Finding every function that carries this budget's brake, listed or not (a function
  # removed from the list, or budget_action back to alert, is still restored). GetResources
  # has no resource type and no condition key, so it takes "*" (Service Authorization
  # Reference, "Actions, resources, and condition keys for AWS Resource Groups Tagging
  # API": tag:GetResources).
  statement {
    sid       = "FindBrakedFunctions"
    effect    = "Allow"
    actions   = ["tag:GetResources"]
    resources = ["*"]
  }

  # Lifting the brake of a function found that way: only functions whose owner tag names
  # this budget function (aws:ResourceTag on Lambda's function resource type: Lambda
  # Developer Guide, "Using attribute-based access control in Lambda"; Service
  # Authorization Reference for AWS Lambda, resource type "function"). No tag writes.
  statement {
    sid    = "ReleaseOwnBrakes"
    effect = "Allow"
    actions = [
      "lambda:ListTags",
      "lambda:PutFunctionConcurrency",
      "lambda:DeleteFunctionConcurrency",
      "lambda:UntagResource",
    ]
    resources = ["${local.lambda_function_arn_prefix}*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/genai-obs:budget-owner"
      values   = [local.budget_function_name]
    }
  }

  # Notifying the alarm topic, when there is one; publishing to a KMS-encrypted topic also
  # needs the key (the created key's policy delegates to IAM through its account statement).
  dynamic "statement" {
    for_each = [for s in [
      { sid = "NotifyAlarmTopic", actions = ["sns:Publish"], resource = local.budget_topic_arn },
      { sid = "EncryptForAlarmTopic", actions = ["kms:GenerateDataKey*", "kms:Decrypt"], resource = local.budget_topic_key },
    ] : s if s.resource != null]

    content {
      sid       = statement.value.sid
      effect    = "Allow"
      actions   = statement.value.actions
      resources = [statement.value.resource]
    }
  }
}

resource "aws_lambda_function" "budget" {
  count = local.create_budget_function ? 1 : 0

  #checkov:skip=CKV_AWS_116:The function runs on a 5-minute schedule and is idempotent; a missed run is repaired by the next one, so failed events are not worth keeping.
  #checkov:skip=CKV_AWS_117:The function only calls the public CloudWatch, Lambda and SNS endpoints and reaches no private resource, so it runs outside a VPC.
  #checkov:skip=CKV_AWS_272:The package is built deterministically by the project and pinned by source_code_hash; code signing needs an AWS Signer profile that is outside this module's scope.
  #checkov:skip=CKV_AWS_173:The environment holds no secret (namespace, services, time zone, budget, function names) and is encrypted at rest with the AWS managed key.
  #checkov:skip=CKV_AWS_50:X-Ray tracing would trace a few API calls every 5 minutes; the run's record is its one log line.
  #checkov:skip=CKV_AWS_115:Reserving concurrency fails in accounts at the minimum concurrency quota, and overlapping runs are harmless (every step is idempotent).

  function_name    = local.budget_function_name
  description      = "Publishes today's LLM spend of ${var.name} (CostTodayUSD) and applies its budget."
  role             = aws_iam_role.budget["lambda"].arn
  filename         = var.package_path
  source_code_hash = filebase64sha256(var.package_path)
  handler          = "genai_observability.budget.lambda_handler"
  runtime          = "python3.12"
  memory_size      = 128
  timeout          = 60

  environment {
    variables = local.budget_environment
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.package_path != null
      error_message = "The budget function needs package_path: the zip built by `make package` or `genai-obs package OUT.zip`."
    }
  }

  depends_on = [aws_cloudwatch_log_group.budget, aws_iam_role_policy.budget]
}

data "aws_iam_policy_document" "budget_scheduler" {
  count = local.create_budget_function ? 1 : 0

  statement {
    sid       = "InvokeBudgetFunction"
    effect    = "Allow"
    actions   = ["lambda:InvokeFunction"]
    resources = [local.budget_function_arn]
  }
}

resource "aws_scheduler_schedule" "budget" {
  count = local.create_budget_function ? 1 : 0

  #checkov:skip=CKV_AWS_297:The schedule holds only the budget function's ARN and an empty input; it is encrypted with an AWS owned key.

  name                = local.budget_function_name
  description         = "Runs the ${var.name} budget function every 5 minutes."
  schedule_expression = "rate(5 minutes)"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.budget[0].arn
    role_arn = aws_iam_role.budget["scheduler"].arn
    input    = jsonencode({ source = "schedule" })

    # A late run is replaced by the next one 5 minutes later.
    retry_policy {
      maximum_retry_attempts       = 0
      maximum_event_age_in_seconds = 300
    }
  }

  depends_on = [aws_iam_role_policy.budget]
}
