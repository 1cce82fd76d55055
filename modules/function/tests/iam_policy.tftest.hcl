# Real provider, fake credentials, no network: the IAM policies as AWS receives them.
# Only data.aws_caller_identity would call AWS; it is overridden.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

variables {
  model_ids = [
    "amazon.nova-micro-v1:0",
    "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "ca.amazon.nova-lite-v1:0",
    "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0",
    "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
    "arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-text-express-v1",
    "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/xyz789",
  ]
  schedule_expression      = "rate(1 hour)"
  prompt                   = "Say hello."
  create_dead_letter_queue = true
}

run "lambda_policy_is_least_privilege" {
  command = plan

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement :
      !contains(flatten([s.Resource]), "*") if length(setintersection(flatten([s.Action]), ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"])) > 0
    ])
    error_message = "No Bedrock statement may use the resource \"*\"."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement :
      !anytrue([for r in flatten([s.Resource]) : strcontains(r, "*")]) if anytrue([for a in flatten([s.Action]) : startswith(a, "bedrock:")]) && try(s.Condition, null) == null
    ])
    error_message = "A Bedrock statement without a condition may not use any wildcard."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement :
      s.Sid == "InvokeModelsThroughApplicationInferenceProfiles" && keys(s.Condition) == ["StringEquals"] && keys(s.Condition.StringEquals) == ["bedrock:InferenceProfileArn"] && alltrue([
        for v in flatten([s.Condition.StringEquals["bedrock:InferenceProfileArn"]]) : strcontains(v, ":application-inference-profile/")
      ]) if anytrue([for r in flatten([s.Resource]) : endswith(r, "foundation-model/*")])
    ])
    error_message = "Every foundation model may be named only in the statement conditioned on bedrock:InferenceProfileArn being an application inference profile."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s.Resource if s.Sid == "WriteOwnLogGroup"
    ] == ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/genai-agent:*"]
    error_message = "Logs may only be written to the function's own log group."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s.Action if s.Sid == "WriteOwnLogGroup"
    ])) == toset(["logs:CreateLogStream", "logs:PutLogEvents"])
    error_message = "The logs statement must allow only CreateLogStream and PutLogEvents."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s.Resource if s.Sid == "InvokeModels"
      ])) == toset([
      "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/ca.amazon.nova-lite-v1:0",
      "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
      "arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-text-express-v1",
      "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/xyz789",
    ])
    error_message = "Direct invocations must be limited to the model, the profiles and the ARNs given."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s.Resource if s.Sid == "InvokeModelsThroughInferenceProfiles"
      ])) == toset([
      "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
      "arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
      "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
      "arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0",
      "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0",
      "arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
      "arn:aws:bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
    ])
    error_message = "System-defined profiles, given by id or by ARN, must reach only their own foundation model, in any destination Region (and Region-less for global profiles)."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s.Condition.StringEquals["bedrock:InferenceProfileArn"] if s.Sid == "InvokeModelsThroughInferenceProfiles"
      ])) == toset([
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/ca.amazon.nova-lite-v1:0",
      "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0",
    ])
    error_message = "Foundation models in other Regions must be reachable only through the given system-defined profiles."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : {
        resources = toset(flatten([s.Resource]))
        condition = s.Condition
      } if s.Sid == "InvokeModelsThroughApplicationInferenceProfiles"
      ] == [{
        resources = toset(["arn:aws:bedrock:*::foundation-model/*", "arn:aws:bedrock:::foundation-model/*"])
        condition = { StringEquals = { "bedrock:InferenceProfileArn" = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123" } }
    }]
    error_message = "An application inference profile's models must be reachable only through that profile."
  }

  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s if s.Sid == "WriteTraces"]) == 0
    error_message = "No X-Ray permission without tracing."
  }

  assert {
    condition     = !strcontains(aws_iam_role_policy.execution["lambda"].policy, "logs:CreateLogGroup")
    error_message = "The function must not create log groups."
  }

  assert {
    condition     = jsondecode(aws_iam_role.execution["lambda"].assume_role_policy).Statement[0].Principal.Service == "lambda.amazonaws.com"
    error_message = "Only Lambda may assume the function's role."
  }
}

run "no_application_profile_no_model_wildcard" {
  command = plan

  variables {
    model_ids = [
      "amazon.nova-micro-v1:0",
      "us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0",
      "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0",
    ]
  }

  assert {
    condition     = !strcontains(aws_iam_role_policy.execution["lambda"].policy, "foundation-model/*")
    error_message = "Without an application inference profile no statement may name every foundation model."
  }

  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s if s.Sid == "InvokeModelsThroughApplicationInferenceProfiles"]) == 0
    error_message = "The application inference profile statement must be absent without such a profile."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s.Resource if s.Sid == "InvokeModelsThroughInferenceProfiles"
    ] == ["arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"]
    error_message = "A us-gov. profile must reach its own foundation model, not a model named gov.*."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s.Resource if s.Sid == "InvokeModels"
      ])) == toset([
      "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0",
      "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0",
    ])
    error_message = "A foundation-model ARN must be passed through as given."
  }
}

run "application_profile_alone" {
  command = plan

  variables {
    model_ids = ["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"]
  }

  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s if s.Sid == "InvokeModelsThroughInferenceProfiles"]) == 0
    error_message = "No system-defined profile statement without such a profile."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s.Resource if s.Sid == "InvokeModels"
    ] == ["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"]
    error_message = "The application inference profile itself must be invocable."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : s.Condition.StringEquals["bedrock:InferenceProfileArn"] if s.Sid == "InvokeModelsThroughApplicationInferenceProfiles"
    ] == ["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"]
    error_message = "The foundation-model wildcard must be conditioned on the application inference profile."
  }

  assert {
    condition     = output.bedrock_resource_arns == tolist(["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123", "arn:aws:bedrock:*::foundation-model/*", "arn:aws:bedrock:::foundation-model/*"])
    error_message = "The output must list the profile and the conditioned foundation-model wildcards."
  }
}

run "scheduler_policy_is_least_privilege" {
  command = plan

  assert {
    condition = jsondecode(aws_iam_role_policy.execution["scheduler"].policy).Statement == [
      {
        Sid      = "InvokeFunction"
        Effect   = "Allow"
        Action   = "lambda:InvokeFunction"
        Resource = "arn:aws:lambda:us-east-1:123456789012:function:genai-agent"
      },
      {
        Sid      = "SendToDeadLetterQueue"
        Effect   = "Allow"
        Action   = "sqs:SendMessage"
        Resource = "arn:aws:sqs:us-east-1:123456789012:genai-agent-schedule-dlq"
      },
    ]
    error_message = "The scheduler may only invoke this function and send to its own queue."
  }

  assert {
    condition     = jsondecode(aws_iam_role.execution["scheduler"].assume_role_policy).Statement[0].Principal.Service == "scheduler.amazonaws.com" && jsondecode(aws_iam_role.execution["scheduler"].assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "Only EventBridge Scheduler of this account may assume the scheduler role."
  }
}

run "tracing_adds_only_xray_writes" {
  command = plan

  variables {
    enable_tracing = true
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : { a = toset(flatten([s.Action])), r = s.Resource } if s.Sid == "WriteTraces"
    ] == [{ a = toset(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]), r = "*" }]
    error_message = "Tracing adds the two X-Ray write actions, which AWS only grants on \"*\"."
  }
}
