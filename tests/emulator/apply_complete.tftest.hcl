# Apply and destroy examples/complete against the embedded AWS emulator (moto server).
# Run from the repository root by tests/emulator/test_apply_complete.py:
#   AWS_ENDPOINT_URL=http://127.0.0.1:<port> TF_VAR_package_path=<zip> \
#   terraform test -test-directory=tests/emulator
# (AWS_ENDPOINT_URL sends every service of the provider below to the emulator: a test
# file's provider block cannot read a variable the module under test does not declare.)
# Every resource is really created in the emulator, except the three types moto has no
# API for (PutQueryDefinition, PutDataProtectionPolicy, PutIndexPolicy): those are
# overridden here, and only here. terraform test destroys everything at the end.

# package_path comes from TF_VAR_package_path.
variables {
  name         = "genai-emulator"
  alarm_emails = ["genai-alerts@example.com"]
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  max_retries                 = 3 # a connection the emulator dropped is tried again
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_requesting_account_id  = true
}

run "apply_complete" {
  module {
    source = "./examples/complete"
  }

  override_resource {
    target = module.genai_deck.module.observability.aws_cloudwatch_query_definition.this
    values = {
      query_definition_id = "00000000-0000-4000-8000-000000000000"
    }
  }

  override_resource {
    target = module.genai_deck.module.observability.aws_cloudwatch_log_data_protection_policy.this
  }

  override_resource {
    target = module.genai_deck.module.observability.aws_cloudwatch_log_index_policy.this
  }

  assert {
    condition     = output.lambda_function_name == var.name && startswith(output.lambda_function_arn, "arn:aws:lambda:us-east-1:")
    error_message = "The function must be created."
  }

  assert {
    condition     = output.cloudwatch_log_group_name == "/aws/lambda/${var.name}"
    error_message = "The shared log group must be /aws/lambda/<name>."
  }

  assert {
    condition     = startswith(output.schedule_arn, "arn:aws:scheduler:") && startswith(output.dead_letter_queue_arn, "arn:aws:sqs:")
    error_message = "The schedule and its dead-letter queue must be created."
  }

  assert {
    condition     = startswith(output.sns_topic_arn, "arn:aws:sns:") && length(output.alarm_arns) > 0
    error_message = "The SNS topic and the alarms must be created."
  }

  assert {
    condition     = output.dashboard_name == var.name
    error_message = "The dashboard must be created."
  }

  assert {
    condition     = length(output.query_definition_ids) == 11
    error_message = "The ten saved questions and cost-by-tenant must be planned (overridden in the emulator)."
  }

  assert {
    condition     = output.budget_function_name == "${var.name}-budget" && output.contributor_insight_rule_names == { tenant = "${var.name}-cost-by-tenant" }
    error_message = "The budget function (with its schedule) and the tenant's Contributor Insights rule must be created."
  }

  assert {
    condition     = output.disabled_lambda_function_arn == null
    error_message = "The disabled instance must create nothing."
  }
}

run "read_back_from_emulator" {
  module {
    source = "./tests/emulator/verify"
  }

  variables {
    lambda_function_name      = run.apply_complete.lambda_function_name
    cloudwatch_log_group_name = run.apply_complete.cloudwatch_log_group_name
    sns_topic_arn             = run.apply_complete.sns_topic_arn
  }

  assert {
    condition     = output.handler == "genai_observability.handler.lambda_handler"
    error_message = "The function must run the packaged handler."
  }

  assert {
    condition     = output.environment["GENAI_SERVICE"] == var.lambda_function_name && output.environment["GENAI_LOG_CONTENT"] == "false"
    error_message = "The function's environment must carry the service and keep content logging off."
  }

  assert {
    condition     = output.log_retention_in_days == 30
    error_message = "The log group must keep 30 days."
  }

  assert {
    condition     = output.sns_topic_arn == run.apply_complete.sns_topic_arn
    error_message = "The SNS topic must exist in the emulator."
  }
}
