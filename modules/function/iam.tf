locals {
  # Cross-Region (system-defined) inference profile ids start with a geography prefix.
  inference_profile_pattern = "^(us|us-gov|eu|apac|jp|au|ca|global)\\.(.+)$"

  # ARNs of system-defined inference profiles (the model is in the last segment) and of
  # application inference profiles (an opaque id: the model cannot be read from the ARN).
  system_profile_arn_pattern      = "^arn:([^:]+):bedrock:[^:]*:[0-9]*:inference-profile/(.+)$"
  application_profile_arn_pattern = "^arn:([^:]+):bedrock:[^:]*:[0-9]*:application-inference-profile/.+$"

  models = !var.create ? [] : [
    for id in distinct(var.model_ids) : {
      id = id
      kind = (
        can(regex(local.system_profile_arn_pattern, id)) ? "profile_arn" :
        can(regex(local.application_profile_arn_pattern, id)) ? "application_profile_arn" :
        startswith(id, "arn:") ? "arn" :
        can(regex(local.inference_profile_pattern, id)) ? "profile" : "model"
      )
    }
  ]

  # Foundation models called directly, in this Region only.
  foundation_model_arns = [
    for m in local.models : "arn:${local.partition}:bedrock:${local.region}::foundation-model/${m.id}" if m.kind == "model"
  ]

  # Full ARNs (inference profiles, foundation models, provisioned models ...) are used as given.
  passthrough_arns = [for m in local.models : m.id if startswith(m.id, "arn:")]

  # System-defined profiles, given by id (in this Region and account) or by ARN.
  system_profiles = concat(
    [
      for m in local.models : {
        arn        = "arn:${local.partition}:bedrock:${local.region}:${local.account_id}:inference-profile/${m.id}"
        partition  = local.partition
        profile_id = m.id
      } if m.kind == "profile"
    ],
    [
      for m in local.models : {
        arn        = m.id
        partition  = regex(local.system_profile_arn_pattern, m.id)[0]
        profile_id = regex(local.system_profile_arn_pattern, m.id)[1]
      } if m.kind == "profile_arn"
    ],
  )

  inference_profile_arns = [
    for m in local.models : "arn:${local.partition}:bedrock:${local.region}:${local.account_id}:inference-profile/${m.id}" if m.kind == "profile"
  ]

  system_profile_arns = distinct([for p in local.system_profiles : p.arn])

  # A cross-Region profile routes to the same foundation model (its id without the
  # geography prefix) in any destination Region of its geography; global profiles also
  # need the Region-less foundation-model ARN.
  inference_profile_model_arns = distinct(flatten([
    for p in local.system_profiles : concat(
      ["arn:${p.partition}:bedrock:*::foundation-model/${try(regex(local.inference_profile_pattern, p.profile_id)[1], p.profile_id)}"],
      startswith(p.profile_id, "global.") ? ["arn:${p.partition}:bedrock:::foundation-model/${try(regex(local.inference_profile_pattern, p.profile_id)[1], p.profile_id)}"] : [],
    )
  ]))

  application_profile_arns = [for m in local.models : m.id if m.kind == "application_profile_arn"]

  # An application inference profile's ARN does not name its model, so its foundation
  # models are granted by wildcard, as AWS documents for inference profiles; the statement
  # that carries it is conditioned on bedrock:InferenceProfileArn being one of these
  # profiles, so the wildcard grants nothing outside calls made through them. The
  # Region-less form covers profiles copied from a global profile.
  application_profile_model_arns = distinct(flatten([
    for arn in local.application_profile_arns : [
      "arn:${regex(local.application_profile_arn_pattern, arn)[0]}:bedrock:*::foundation-model/*",
      "arn:${regex(local.application_profile_arn_pattern, arn)[0]}:bedrock:::foundation-model/*",
    ]
  ]))

  direct_model_arns = distinct(concat(local.foundation_model_arns, local.passthrough_arns, local.inference_profile_arns))

  bedrock_invoke_actions = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]

  # The function role's statements, in order; a row whose `when` is false is left out.
  # through_profiles, when set, conditions the row on bedrock:InferenceProfileArn.
  lambda_statements = [for s in [
    # The function writes only to its own log group (the group itself is managed by Terraform).
    {
      sid       = "WriteOwnLogGroup", when = true, through_profiles = null
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = local.log_group_arn == null ? [] : ["${local.log_group_arn}:*"]
    },
    # Bedrock only on the models, profiles and ARNs given in model_ids: never "*".
    # Foundation models behind an inference profile follow, reachable only through it.
    {
      sid     = "InvokeModels", when = true, through_profiles = null
      actions = local.bedrock_invoke_actions, resources = local.direct_model_arns
    },
    {
      sid     = "InvokeModelsThroughInferenceProfiles", when = length(local.inference_profile_model_arns) > 0
      actions = local.bedrock_invoke_actions, resources = local.inference_profile_model_arns, through_profiles = local.system_profile_arns
    },
    # Only through the given application inference profiles (see application_profile_model_arns).
    {
      sid     = "InvokeModelsThroughApplicationInferenceProfiles", when = length(local.application_profile_arns) > 0
      actions = local.bedrock_invoke_actions, resources = local.application_profile_model_arns, through_profiles = local.application_profile_arns
    },
    # X-Ray accepts no resource narrower than "*" for these two write actions.
    {
      sid     = "WriteTraces", when = var.enable_tracing, through_profiles = null
      actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources = ["*"]
    },
    {
      sid     = "DecryptEnvironment", when = var.kms_key_arn != null, through_profiles = null
      actions = ["kms:Decrypt"], resources = [var.kms_key_arn]
    },
  ] : s if s.when]
}

################################################################################
# Execution roles, one shape: lambda (the function's) and scheduler (lets EventBridge
# Scheduler invoke the function, from this account only; created with a schedule).
# Each is assumed by its service and has one inline policy.
################################################################################

locals {
  execution_roles = {
    for key, role in {
      lambda = {
        when           = var.create
        service        = "lambda.amazonaws.com"
        sid            = "LambdaAssumeRole"
        description    = "Execution role of the ${var.name} GenAI observability function."
        source_account = null
        policy         = one(data.aws_iam_policy_document.lambda[*].json)
      }
      scheduler = {
        when           = local.create_schedule
        service        = "scheduler.amazonaws.com"
        sid            = "SchedulerAssumeRole"
        description    = "Lets EventBridge Scheduler invoke the ${var.name} GenAI observability function."
        source_account = local.account_id
        policy         = one(data.aws_iam_policy_document.scheduler[*].json)
      }
    } : key => role if role.when
  }
}

data "aws_iam_policy_document" "assume_role" {
  for_each = local.execution_roles

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

resource "aws_iam_role" "execution" {
  for_each = local.execution_roles

  name               = "${var.name}-${each.key}"
  description        = each.value.description
  assume_role_policy = data.aws_iam_policy_document.assume_role[each.key].json

  tags = var.tags
}

resource "aws_iam_role_policy" "execution" {
  for_each = local.execution_roles

  name   = "${var.name}-${each.key}"
  role   = aws_iam_role.execution[each.key].id
  policy = each.value.policy
}

moved {
  from = aws_iam_role.lambda[0]
  to   = aws_iam_role.execution["lambda"]
}

moved {
  from = aws_iam_role_policy.lambda[0]
  to   = aws_iam_role_policy.execution["lambda"]
}

moved {
  from = aws_iam_role.scheduler[0]
  to   = aws_iam_role.execution["scheduler"]
}

moved {
  from = aws_iam_role_policy.scheduler[0]
  to   = aws_iam_role_policy.execution["scheduler"]
}

data "aws_iam_policy_document" "lambda" {
  count = var.create ? 1 : 0

  dynamic "statement" {
    for_each = local.lambda_statements

    content {
      sid       = statement.value.sid
      effect    = "Allow"
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = statement.value.through_profiles == null ? [] : [statement.value.through_profiles]

        content {
          test     = "StringEquals"
          variable = "bedrock:InferenceProfileArn"
          values   = condition.value
        }
      }
    }
  }
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
