# The root module runs your own code with the genai-observability layer and its exec
# wrapper attached; our agent handler (the default) needs neither.

mock_provider "aws" {
  override_during = plan
  source          = "./tests/mocks"
}

variables {
  name               = "orders-agent"
  layer_package_path = "modules/layer/tests/fixtures/placeholder.zip"
  model_ids          = ["us.amazon.nova-micro-v1:0"]
}

run "agent_handler_has_no_layer" {
  command = plan

  assert {
    condition     = output.lambda_layer_arn == null && module.function.lambda_function_name == "orders-agent"
    error_message = "Our agent handler must run without the layer."
  }
}

run "own_handler_runs_with_the_layer_and_its_wrapper" {
  command = plan

  variables {
    handler = "app.handler"
  }

  assert {
    condition     = output.lambda_layer_arn == "arn:aws:lambda:us-east-1:123456789012:layer:orders-agent-genai-observability:1"
    error_message = "Your own handler must get the layer, named after the deck."
  }

  assert {
    condition     = module.layer.environment_variables["AWS_LAMBDA_EXEC_WRAPPER"] == "/opt/genai-observability"
    error_message = "The layer's wrapper variable must reach the function."
  }
}

run "disabled_plans_no_layer" {
  command = plan

  variables {
    create  = false
    handler = "app.handler"
  }

  assert {
    condition     = output.lambda_layer_arn == null && length(module.layer.environment_variables) == 0
    error_message = "With create = false the root must plan no layer."
  }
}
