# The complete deck planned with the real provider (fake keys, no network): the function's
# rendered IAM policy is least privilege. Only data.aws_caller_identity would reach AWS;
# both modules' are overridden.

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
  target = module.function.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.observability.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.observability.data.aws_caller_identity.budget
  values = { account_id = "123456789012" }
}

variables {
  model_ids                = ["us.amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0"]
  schedule_expression      = "rate(1 hour)"
  prompt                   = "Say hello."
  create_dead_letter_queue = true
  enable_tracing           = true
  alarms                   = { daily_cost_budget_usd = 5 }
  create_sns_topic         = true
  alarm_emails             = ["ops@example.com"]
}

run "function_policy_is_least_privilege" {
  command = plan

  assert {
    condition = alltrue([
      for s in jsondecode(module.function.lambda_role_policy_json).Statement :
      !contains(flatten([s.Resource]), "*") if anytrue([for a in flatten([s.Action]) : startswith(a, "bedrock:")])
    ])
    error_message = "No Bedrock statement may use the resource \"*\"."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(module.function.lambda_role_policy_json).Statement : s.Resource if anytrue([for a in flatten([s.Action]) : startswith(a, "logs:")])
    ])) == toset(["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/genai-deck:*"])
    error_message = "Logs may only be written to the shared log group."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(module.function.lambda_role_policy_json).Statement : s.Resource if anytrue([for a in flatten([s.Action]) : startswith(a, "bedrock:")])
      ])) == toset([
      "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-micro-v1:0",
      "arn:aws:bedrock:*::foundation-model/amazon.nova-micro-v1:0",
    ])
    error_message = "Bedrock must be limited to the given model, the given profile and the profile's own model."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(module.function.lambda_role_policy_json).Statement :
      s.Resource == "*" ? toset(flatten([s.Action])) == toset(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]) : true
    ])
    error_message = "Only the X-Ray write actions, which AWS grants on \"*\" only, may use the resource \"*\"."
  }

  assert {
    condition     = output.cloudwatch_log_group_name == "/aws/lambda/genai-deck"
    error_message = "The shared log group must be /aws/lambda/<name>."
  }
}

run "inference_profile_arns_reach_their_models_only_through_the_profile" {
  command = plan

  variables {
    model_ids = [
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
      "arn:aws:bedrock:ca-central-1:123456789012:inference-profile/ca.amazon.nova-lite-v1:0",
    ]
  }

  assert {
    condition = alltrue([
      for s in jsondecode(module.function.lambda_role_policy_json).Statement :
      !contains(flatten([s.Resource]), "*") if anytrue([for a in flatten([s.Action]) : startswith(a, "bedrock:")])
    ])
    error_message = "No Bedrock statement may use the resource \"*\"."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(module.function.lambda_role_policy_json).Statement :
      try(toset(flatten([s.Condition.StringEquals["bedrock:InferenceProfileArn"]])), toset([])) == toset(["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"])
      if anytrue([for r in flatten([s.Resource]) : endswith(r, "foundation-model/*")])
    ])
    error_message = "Every foundation model may be named only through the application inference profile."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(module.function.lambda_role_policy_json).Statement : s.Resource if s.Sid == "InvokeModelsThroughInferenceProfiles"
    ])) == toset(["arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0"])
    error_message = "A ca. profile ARN must reach only its own foundation model."
  }
}

run "kms_key_arn_reaches_the_function_role" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition = contains(flatten([
      for s in jsondecode(module.function.lambda_role_policy_json).Statement : s.Resource if contains(flatten([s.Action]), "kms:Decrypt")
    ]), "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    error_message = "The function's role must be allowed to decrypt with the one kms_key_arn."
  }
}
