# The layer module: one layer version, its wrapper variable and conditional creation.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  package_path = "tests/fixtures/placeholder.zip"
}

run "defaults_publish_one_python_layer_for_both_architectures" {
  command = plan

  assert {
    condition     = length(aws_lambda_layer_version.this) == 1 && aws_lambda_layer_version.this[0].layer_name == "genai-observability"
    error_message = "The module must publish one layer version named genai-observability."
  }

  assert {
    condition     = toset(aws_lambda_layer_version.this[0].compatible_runtimes) == toset(["python3.11", "python3.12", "python3.13"])
    error_message = "The layer must be compatible with python3.11 to python3.13."
  }

  assert {
    condition     = toset(aws_lambda_layer_version.this[0].compatible_architectures) == toset(["x86_64", "arm64"])
    error_message = "The layer must be compatible with x86_64 and arm64."
  }

  assert {
    condition     = aws_lambda_layer_version.this[0].source_code_hash == filebase64sha256("tests/fixtures/placeholder.zip")
    error_message = "The source_code_hash must be the zip's base64 SHA-256."
  }

  assert {
    condition     = length(output.environment_variables) == 1 && output.environment_variables["AWS_LAMBDA_EXEC_WRAPPER"] == "/opt/genai-observability"
    error_message = "The environment_variables output must point AWS_LAMBDA_EXEC_WRAPPER at the layer's wrapper."
  }
}

run "outputs_carry_the_version_arn" {
  command = apply

  assert {
    condition     = output.lambda_layer_arn == "arn:aws:lambda:us-east-1:123456789012:layer:genai-observability:3" && output.lambda_layer_version == "3"
    error_message = "The lambda_layer_arn output must be the layer version's ARN."
  }
}

run "runtimes_and_architectures_can_be_narrowed" {
  command = plan

  variables {
    name                     = "team-a_obs"
    compatible_runtimes      = ["python3.13"]
    compatible_architectures = ["arm64"]
    skip_destroy             = true
  }

  assert {
    condition     = aws_lambda_layer_version.this[0].compatible_runtimes == toset(["python3.13"]) && aws_lambda_layer_version.this[0].compatible_architectures == toset(["arm64"])
    error_message = "The narrowed runtimes and architectures must reach the layer version."
  }

  assert {
    condition     = aws_lambda_layer_version.this[0].skip_destroy && aws_lambda_layer_version.this[0].layer_name == "team-a_obs"
    error_message = "The name and skip_destroy must reach the layer version."
  }
}

run "disabled_plans_nothing" {
  command = plan

  variables {
    create       = false
    package_path = "does/not/exist.zip"
  }

  assert {
    condition     = length(aws_lambda_layer_version.this) == 0 && output.lambda_layer_arn == null && output.lambda_layer_version == null
    error_message = "With create = false the module must plan no resource and output null ARNs."
  }

  assert {
    condition     = length(output.environment_variables) == 0
    error_message = "With create = false there is no wrapper variable to merge."
  }
}
