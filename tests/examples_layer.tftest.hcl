# examples/existing-function with your own function: the layer and its wrapper variable
# attached, your code and handler unchanged. Real provider, fake keys, no network; the
# caller identity is overridden.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
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

  override_data {
    target = data.aws_caller_identity.current[0]
    values = { account_id = "123456789012" }
  }

  override_data {
    target = module.observability.data.aws_caller_identity.budget
    values = { account_id = "123456789012" }
  }

  override_data {
    target = module.observability.data.aws_caller_identity.current
    values = { account_id = "123456789012" }
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

  override_data {
    target = module.observability.data.aws_caller_identity.budget
    values = { account_id = "123456789012" }
  }

  assert {
    condition     = length(aws_lambda_function.app) == 0 && output.lambda_layer_arn == null && output.lambda_function_arn == null
    error_message = "Without function_package_path the example must plan no function and no layer."
  }
}
