# Every example plans offline with the real provider (fake keys, no network). Only
# data.aws_caller_identity would reach AWS; it is overridden in every module instance.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

variables {
  package_path = "modules/function/tests/fixtures/placeholder.zip"
}

run "complete_plans" {
  command = plan

  module {
    source = "./examples/complete"
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

  override_data {
    target = module.observability.data.aws_caller_identity.budget
    values = { account_id = "123456789012" }
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
