# Your own code: your zip and handler, with the layer and its wrapper variable attached;
# our agent handler stays the default. A missing zip and an agent timeout too short for
# a recorded Bedrock call are refused with a sentence.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  name = "orders-agent"
}

run "agent_handler_is_the_default_without_layers" {
  command = plan

  assert {
    condition     = aws_lambda_function.this[0].handler == "genai_observability.handler.lambda_handler" && length(aws_lambda_function.this[0].layers) == 0
    error_message = "By default the function runs our agent handler, with no layer."
  }
}

run "own_code_with_the_layer_and_its_wrapper" {
  command = plan

  variables {
    handler = "orders/app.handler"
    layers  = ["arn:aws:lambda:us-east-1:123456789012:layer:genai-observability:4"]
    environment_variables = {
      AWS_LAMBDA_EXEC_WRAPPER = "/opt/genai-observability"
      ORDERS_TABLE            = "orders"
    }
    timeout = 3 # the agent's minimum does not apply to your own handler
  }

  assert {
    condition     = aws_lambda_function.this[0].handler == "orders/app.handler" && aws_lambda_function.this[0].layers[0] == "arn:aws:lambda:us-east-1:123456789012:layer:genai-observability:4"
    error_message = "The function must run the given handler with the given layer."
  }

  assert {
    condition = (
      aws_lambda_function.this[0].environment[0].variables["AWS_LAMBDA_EXEC_WRAPPER"] == "/opt/genai-observability"
      && aws_lambda_function.this[0].environment[0].variables["ORDERS_TABLE"] == "orders"
      && aws_lambda_function.this[0].environment[0].variables["GENAI_SERVICE"] == "orders-agent"
    )
    error_message = "The function's environment must carry the wrapper variable next to its own and the deck's."
  }

  assert {
    condition     = aws_lambda_function.this[0].source_code_hash == filebase64sha256("tests/fixtures/placeholder.zip")
    error_message = "The source_code_hash must be the zip's base64 SHA-256."
  }
}

run "missing_package_is_refused_with_how_to_build_it" {
  command = plan
  variables { package_path = "dist/not-built-yet.zip" }
  expect_failures = [aws_lambda_function.this]
}

run "agent_timeout_too_short_for_a_recorded_call" {
  command = plan
  variables { timeout = 9 }
  expect_failures = [aws_lambda_function.this]
}

run "agent_timeout_at_the_minimum" {
  command = plan

  variables {
    timeout = 10
  }

  assert {
    condition     = aws_lambda_function.this[0].timeout == 10
    error_message = "Ten seconds is enough for the agent handler."
  }
}

run "too_many_layers" {
  command = plan

  variables {
    layers = [for i in range(6) : "arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1"]
  }

  expect_failures = [var.layers]
}

run "a_layer_that_is_not_a_version_arn" {
  command = plan
  variables { layers = ["arn:aws:lambda:us-east-1:123456789012:layer:genai-observability"] }
  expect_failures = [var.layers]
}
