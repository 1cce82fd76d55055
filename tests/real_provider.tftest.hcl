# Offline plans with the real provider (fake keys, no network): what hashicorp/aws itself
# renders and validates, not a mock. Only data.aws_caller_identity would reach AWS: it is
# overridden wherever a run's module has one (an override whose target a run's module does
# not have is not used by that run).
#
# - The root module, the complete deck: the function's rendered IAM policy is least
#   privilege.
# - modules/function: the IAM policies as AWS receives them.
# - modules/observability: the JSON the provider will send (dashboard body, data
#   protection, field index and key policies), and a monitoring-account deck's account IDs
#   and ARNs as hashicorp/aws renders them.
# - Every example plans; one provider configuration stands in for examples/organization's
#   two accounts.
#
# The module runs (module { source = "./modules/<name>" }) also receive tests/terraform.tfvars,
# the root's inputs: their variables set their module's own test inputs (name and
# log_group_name from its tests/terraform.tfvars; the function's package_path is the same
# zip) and the observability runs' package_path back to that module's default (null).

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
  target = module.genai_deck.module.function.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.genai_deck.module.observability.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.genai_deck.module.observability.data.aws_caller_identity.budget
  values = { account_id = "123456789012" }
}

override_data {
  target = module.team_deck["search"].module.function.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.team_deck["search"].module.observability.data.aws_caller_identity.budget
  values = { account_id = "123456789012" }
}

override_data {
  target = module.team_deck["support"].module.function.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.team_deck["support"].module.observability.data.aws_caller_identity.budget
  values = { account_id = "123456789012" }
}

override_data {
  target = module.function.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = data.aws_caller_identity.current
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

# What the runs of the root and of the modules share (a run's module that does not declare
# one of these does not receive it; no example declares any), and the model list of the
# modules/function runs, not an input of any module.
variables {
  schedule_expression      = "rate(1 hour)"
  prompt                   = "Say hello."
  create_dead_letter_queue = true
  create_sns_topic         = true
  function_model_ids = [
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
}

# The root module: the complete deck.

run "function_policy_is_least_privilege" {
  command = plan

  variables {
    model_ids      = ["us.amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0"]
    enable_tracing = true
    alarms         = { daily_cost_budget_usd = 5 }
    alarm_emails   = ["ops@example.com"]
  }

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
    enable_tracing = true
    alarms         = { daily_cost_budget_usd = 5 }
    alarm_emails   = ["ops@example.com"]
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
    model_ids      = ["us.amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0"]
    enable_tracing = true
    alarms         = { daily_cost_budget_usd = 5 }
    alarm_emails   = ["ops@example.com"]
    kms_key_arn    = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition = contains(flatten([
      for s in jsondecode(module.function.lambda_role_policy_json).Statement : s.Resource if contains(flatten([s.Action]), "kms:Decrypt")
    ]), "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    error_message = "The function's role must be allowed to decrypt with the one kms_key_arn."
  }
}

# modules/function.

run "lambda_policy_is_least_privilege" {
  command = plan

  module {
    source = "./modules/function"
  }

  variables {
    name      = "genai-agent"
    model_ids = var.function_model_ids
  }

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

  module {
    source = "./modules/function"
  }

  variables {
    name = "genai-agent"
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

  module {
    source = "./modules/function"
  }

  variables {
    name      = "genai-agent"
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

  module {
    source = "./modules/function"
  }

  variables {
    name      = "genai-agent"
    model_ids = var.function_model_ids
  }

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

  module {
    source = "./modules/function"
  }

  variables {
    name           = "genai-agent"
    model_ids      = var.function_model_ids
    enable_tracing = true
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution["lambda"].policy).Statement : { a = toset(flatten([s.Action])), r = s.Resource } if s.Sid == "WriteTraces"
    ] == [{ a = toset(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]), r = "*" }]
    error_message = "Tracing adds the two X-Ray write actions, which AWS only grants on \"*\"."
  }
}

# modules/observability.

run "real_json" {
  command = plan

  module {
    source = "./modules/observability"
  }

  variables {
    name                   = "deck"
    package_path           = null
    function_names         = ["deck-fn"]
    custom_metrics         = { AICost = {} }
    log_group_name         = "/aws/lambda/deck-fn"
    enable_data_protection = true
    enable_field_index     = true
  }

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.this[0].dashboard_body).widgets) == 18
    error_message = "The real provider must accept and keep the dashboard body."
  }

  assert {
    condition     = alltrue([for w in jsondecode(aws_cloudwatch_dashboard.this[0].dashboard_body).widgets : w.properties.region == "us-east-1" if w.type != "text"])
    error_message = "Widgets must carry the provider's region."
  }

  assert {
    condition     = output.dashboard_url == "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/deck"
    error_message = "The console URL must use the provider's region and partition."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_log_data_protection_policy.this[0].policy_document).Statement[1].DataIdentifier[0] == "arn:aws:dataprotection::aws:data-identifier/AwsSecretKey"
    error_message = "Data identifiers must use the real partition."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_log_index_policy.this[0].policy_document).Fields == ["event", "model", "service"]
    error_message = "The field index policy must survive the real provider."
  }

  assert {
    condition     = jsondecode(aws_kms_key.sns[0].policy).Statement[0].Principal.AWS == "arn:aws:iam::123456789012:root"
    error_message = "The key policy must name the account root."
  }

  assert {
    condition     = jsondecode(aws_kms_key.sns[0].policy).Statement[1].Condition.ArnLike["aws:SourceArn"] == "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" && jsondecode(aws_kms_key.sns[0].policy).Statement[1].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "The key policy must limit CloudWatch to this account's alarms."
  }

  assert {
    condition     = length(aws_cloudwatch_log_metric_filter.this) == 16 && length(aws_cloudwatch_query_definition.this) == 10
    error_message = "The real provider must plan every filter and query."
  }
}

# A monitoring-account deck: the alarm metric queries carry the source account
# (metric_query.account_id) and the Contributor Insights rule lists ARNs in LogGroupARNs,
# as hashicorp/aws renders them.
run "monitoring_deck_renders_account_ids_and_arns" {
  command = plan

  module {
    source = "./modules/observability"
  }

  variables {
    name                   = "deck"
    package_path           = null
    function_names         = ["deck-fn"]
    custom_metrics         = { AICost = {} }
    log_group_name         = "arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/app"
    create_log_group       = false
    create_metric_filters  = false
    enable_data_protection = false
    enable_field_index     = false
    source_account_ids     = ["222222222222"]
    attribution_keys       = ["tenant"]
    alarms                 = { cost_pace_factor = 0, llm_error_rate_percent = 5, llm_latency_p99_ms = 2000 }
  }

  assert {
    condition     = [for q in aws_cloudwatch_metric_alarm.service["llm_error_rate/222222222222"].metric_query : q.account_id if length(q.metric) > 0] == ["222222222222", "222222222222"]
    error_message = "The error-rate alarm's metrics must be read in the source account."
  }

  assert {
    condition = [for q in aws_cloudwatch_metric_alarm.service["llm_latency_p99/222222222222"].metric_query : {
      account = q.account_id, stat = one(q.metric).stat, name = one(q.metric).metric_name, returned = q.return_data
    }] == [{ account = "222222222222", stat = "p99", name = "LatencyMs", returned = true }]
    error_message = "The p99 alarm must be one metric query in the source account."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_contributor_insight_rule.this["tenant"].rule_definition).LogGroupARNs == ["arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/app"]
    error_message = "The rule must list the source account's group in LogGroupARNs."
  }
}

# The examples.

run "complete_plans" {
  command = plan

  module {
    source = "./examples/complete"
  }

  assert {
    condition     = output.lambda_function_name == "genai-deck" && output.cloudwatch_log_group_name == "/aws/lambda/genai-deck"
    error_message = "The complete example must plan the function on its shared log group."
  }

  assert {
    condition     = length(output.query_definition_ids) == 11
    error_message = "The complete example must plan the ten saved questions and cost-by-tenant."
  }

  assert {
    condition     = output.disabled_lambda_function_arn == null
    error_message = "The disabled instance must plan nothing."
  }
}

run "existing_function_plans" {
  command = plan

  module {
    source = "./examples/existing-function"
  }

  variables {
    function_name = "billing-agent"
    package_path  = "modules/function/tests/fixtures/placeholder.zip"
  }

  assert {
    condition     = output.cloudwatch_log_group_name == "/aws/lambda/billing-agent"
    error_message = "The deck must attach to the existing function's log group."
  }

  assert {
    condition     = output.dashboard_name == "my-existing-agent-deck" && output.query_definition_names["daily-cost"] == "my-existing-agent-deck/daily-cost"
    error_message = "The deck must plan its dashboard and saved questions."
  }
}

run "teams_plan" {
  command = plan

  module {
    source = "./examples/teams"
  }

  assert {
    condition     = output.lambda_function_names == { search = "genai-search", support = "genai-support" }
    error_message = "Every team must get its own function."
  }

  assert {
    condition     = output.cloudwatch_log_group_names == { search = "/aws/lambda/genai-search", support = "/aws/lambda/genai-support" }
    error_message = "Every team must get its own log group."
  }

  assert {
    condition     = output.metric_namespace == "GenAI"
    error_message = "The teams must share one namespace."
  }
}

run "existing_function_with_the_layer_plans" {
  command = plan

  module {
    source = "./examples/existing-function"
  }

  variables {
    function_name         = "orders-agent"
    service_name          = "orders-agent"
    function_package_path = "modules/function/tests/fixtures/placeholder.zip"
    function_handler      = "orders/app.handler"
    layer_package_path    = "modules/layer/tests/fixtures/placeholder.zip"
    package_path          = "modules/function/tests/fixtures/placeholder.zip"
  }

  override_resource {
    target          = module.genai_layer.aws_lambda_layer_version.this
    override_during = plan
    values          = { arn = "arn:aws:lambda:us-east-1:123456789012:layer:genai-observability:1" }
  }

  assert {
    condition     = aws_lambda_function.app[0].handler == "orders/app.handler" && aws_lambda_function.app[0].function_name == "orders-agent"
    error_message = "The user's own function must keep its own handler."
  }

  assert {
    condition     = length(aws_lambda_function.app[0].layers) == 1 && aws_lambda_function.app[0].layers[0] == "arn:aws:lambda:us-east-1:123456789012:layer:genai-observability:1"
    error_message = "The function must carry the one layer the example publishes."
  }

  assert {
    condition     = aws_lambda_function.app[0].environment[0].variables["AWS_LAMBDA_EXEC_WRAPPER"] == "/opt/genai-observability" && aws_lambda_function.app[0].environment[0].variables["GENAI_SERVICE"] == "orders-agent"
    error_message = "The function's environment must merge the layer's wrapper variable into its own."
  }

  assert {
    condition     = output.cloudwatch_log_group_name == "/aws/lambda/orders-agent"
    error_message = "The deck must read the function's own log group."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.app[0].policy).Statement :
      alltrue([for r in flatten([s.Resource]) : r != "*"])
    ])
    error_message = "The function's role must name its resources (no *)."
  }
}

run "existing_function_without_its_code_attaches_the_deck_only" {
  command = plan

  module {
    source = "./examples/existing-function"
  }

  variables {
    package_path = "modules/function/tests/fixtures/placeholder.zip"
  }

  assert {
    condition     = length(aws_lambda_function.app) == 0 && output.lambda_layer_arn == null && output.lambda_function_arn == null
    error_message = "Without function_package_path the example must plan no function and no layer."
  }
}

run "organization_plans" {
  command = plan

  module {
    source = "./examples/organization"
  }

  providers = {
    aws.monitoring = aws
    aws.source     = aws
  }

  assert {
    condition     = jsondecode(output.oam_sink_policy_json).Statement[0].Principal.AWS == ["arn:aws:iam::222222222222:root"]
    error_message = "The sink must let the source account link."
  }

  assert {
    condition     = output.oam_link_filters == { log_group = "LogGroupName IN ('/aws/lambda/support-agent')", metric = "Namespace IN ('AWS/Bedrock', 'AWS/BedrockMantle', 'AWS/Lambda', 'GenAI')" }
    error_message = "The source account must share the deck's log group and namespaces only."
  }

  assert {
    condition     = output.source_dashboard_name == "support-agent-deck"
    error_message = "The source account keeps its own deck."
  }

  assert {
    condition     = module.monitoring_deck.cloudwatch_log_group_names == tolist(["arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/support-agent"])
    error_message = "The monitoring deck must read the source account's log group by ARN."
  }

  assert {
    condition     = alltrue([for q in output.source_account_spend_metric_queries["222222222222"] : q.AccountId == "222222222222" if can(q.MetricStat)])
    error_message = "The monitoring deck must read the source account's Bedrock metrics by account ID."
  }

  assert {
    condition     = module.monitoring_deck.metric_filters == null && module.monitoring_deck.cloudwatch_log_group_arn == null
    error_message = "Nothing may be created on another account's log group."
  }

  assert {
    condition     = output.disabled_oam_link_arn == null
    error_message = "The disabled instance must plan nothing."
  }
}
