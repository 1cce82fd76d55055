# Every example plans offline with the real provider (fake keys, no network); one provider
# configuration stands in for examples/organization's two accounts. Only
# data.aws_caller_identity would reach AWS: it is overridden wherever an example has one
# (an override whose target a run's example does not have is not used by that run).

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
