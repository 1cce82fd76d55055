locals {
  # Cross-Region (system-defined) inference profile ids start with a geography prefix.
  inference_profile_pattern = "^(us|eu|apac|jp|au|us-gov|global)\\.(.+)$"

  models = !var.create ? [] : [
    for id in distinct(var.model_ids) : {
      id     = id
      kind   = startswith(id, "arn:") ? "arn" : can(regex(local.inference_profile_pattern, id)) ? "profile" : "model"
      base   = try(regex(local.inference_profile_pattern, id)[1], id)
      global = startswith(id, "global.")
    }
  ]

  # Foundation models called directly, in this Region only.
  foundation_model_arns = [
    for m in local.models : "arn:${local.partition}:bedrock:${local.region}::foundation-model/${m.id}" if m.kind == "model"
  ]

  # Full ARNs (application inference profiles, provisioned models ...) are used as given.
  passthrough_arns = [for m in local.models : m.id if m.kind == "arn"]

  inference_profile_arns = [
    for m in local.models : "arn:${local.partition}:bedrock:${local.region}:${local.account_id}:inference-profile/${m.id}" if m.kind == "profile"
  ]

  # A cross-Region profile routes to the same foundation model in any destination Region
  # of its geography; global profiles also need the Region-less foundation-model ARN.
  inference_profile_model_arns = distinct(flatten([
    for m in local.models : concat(
      ["arn:${local.partition}:bedrock:*::foundation-model/${m.base}"],
      m.global ? ["arn:${local.partition}:bedrock:::foundation-model/${m.base}"] : [],
    ) if m.kind == "profile"
  ]))

  direct_model_arns = concat(local.foundation_model_arns, local.passthrough_arns, local.inference_profile_arns)
}

################################################################################
# Function execution role
################################################################################

data "aws_iam_policy_document" "lambda_assume_role" {
  count = var.create ? 1 : 0

  statement {
    sid     = "LambdaAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  count = var.create ? 1 : 0

  name               = "${var.name}-lambda"
  description        = "Execution role of the ${var.name} GenAI observability function."
  assume_role_policy = data.aws_iam_policy_document.lambda_assume_role[0].json

  tags = var.tags
}

data "aws_iam_policy_document" "lambda" {
  count = var.create ? 1 : 0

  # The function writes only to its own log group (the group itself is managed by Terraform).
  statement {
    sid       = "WriteOwnLogGroup"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = local.log_group_arn == null ? [] : ["${local.log_group_arn}:*"]
  }

  # Bedrock only on the models, profiles and ARNs given in model_ids: never "*".
  statement {
    sid       = "InvokeModels"
    effect    = "Allow"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = local.direct_model_arns
  }

  dynamic "statement" {
    for_each = length(local.inference_profile_model_arns) > 0 ? [true] : []

    content {
      sid       = "InvokeModelsThroughInferenceProfiles"
      effect    = "Allow"
      actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
      resources = local.inference_profile_model_arns

      condition {
        test     = "StringEquals"
        variable = "bedrock:InferenceProfileArn"
        values   = local.inference_profile_arns
      }
    }
  }

  # X-Ray accepts no resource narrower than "*" for these two write actions.
  dynamic "statement" {
    for_each = var.enable_tracing ? [true] : []

    content {
      sid       = "WriteTraces"
      effect    = "Allow"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn != null ? [true] : []

    content {
      sid       = "DecryptEnvironment"
      effect    = "Allow"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]
    }
  }
}

resource "aws_iam_role_policy" "lambda" {
  count = var.create ? 1 : 0

  name   = "${var.name}-lambda"
  role   = aws_iam_role.lambda[0].id
  policy = data.aws_iam_policy_document.lambda[0].json
}

################################################################################
# Schedule execution role
################################################################################

data "aws_iam_policy_document" "scheduler_assume_role" {
  count = local.create_schedule ? 1 : 0

  statement {
    sid     = "SchedulerAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  count = local.create_schedule ? 1 : 0

  name               = "${var.name}-scheduler"
  description        = "Lets EventBridge Scheduler invoke the ${var.name} GenAI observability function."
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume_role[0].json

  tags = var.tags
}

data "aws_iam_policy_document" "scheduler" {
  count = local.create_schedule ? 1 : 0

  statement {
    sid       = "InvokeFunction"
    effect    = "Allow"
    actions   = ["lambda:InvokeFunction"]
    resources = [local.function_arn]
  }

  dynamic "statement" {
    for_each = local.create_dlq ? [true] : []

    content {
      sid       = "SendToDeadLetterQueue"
      effect    = "Allow"
      actions   = ["sqs:SendMessage"]
      resources = [local.dead_letter_queue_arn]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn != null ? [true] : []

    content {
      sid       = "UseKey"
      effect    = "Allow"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [var.kms_key_arn]
    }
  }
}

resource "aws_iam_role_policy" "scheduler" {
  count = local.create_schedule ? 1 : 0

  name   = "${var.name}-scheduler"
  role   = aws_iam_role.scheduler[0].id
  policy = data.aws_iam_policy_document.scheduler[0].json
}
