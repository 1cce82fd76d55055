# Every validation block and precondition rejects a bad value.

mock_provider "aws" { source = "./tests/mocks" }

run "name_with_invalid_characters" {
  command = plan

  variables {
    name = "genai agent!"
  }

  expect_failures = [var.name]
}

run "name_too_long" {
  command = plan

  variables {
    name = "a123456789b123456789c123456789d123456789e123456789f12345"
  }

  expect_failures = [var.name]
}

run "package_path_not_a_zip" {
  command = plan

  variables {
    package_path = "tests/fixtures/placeholder.tar.gz"
  }

  expect_failures = [var.package_path]
}

run "runtime_not_supported" {
  command = plan

  variables {
    runtime = "python3.9"
  }

  expect_failures = [var.runtime]
}

run "architecture_not_supported" {
  command = plan

  variables {
    architecture = "arm"
  }

  expect_failures = [var.architecture]
}

run "memory_size_too_small" {
  command = plan

  variables {
    memory_size = 64
  }

  expect_failures = [var.memory_size]
}

run "memory_size_too_large" {
  command = plan

  variables {
    memory_size = 10241
  }

  expect_failures = [var.memory_size]
}

run "timeout_zero" {
  command = plan

  variables {
    timeout = 0
  }

  expect_failures = [var.timeout]
}

run "timeout_too_long" {
  command = plan

  variables {
    timeout = 901
  }

  expect_failures = [var.timeout]
}

run "reserved_concurrency_negative" {
  command = plan

  variables {
    reserved_concurrent_executions = -1
  }

  expect_failures = [var.reserved_concurrent_executions]
}

run "async_retry_attempts_too_many" {
  command = plan

  variables {
    async_retry_attempts = 3
  }

  expect_failures = [var.async_retry_attempts]
}

run "async_retry_attempts_negative" {
  command = plan

  variables {
    async_retry_attempts = -1
  }

  expect_failures = [var.async_retry_attempts]
}

run "async_maximum_event_age_too_short" {
  command = plan

  variables {
    async_maximum_event_age_in_seconds = 59
  }

  expect_failures = [var.async_maximum_event_age_in_seconds]
}

run "async_maximum_event_age_too_long" {
  command = plan

  variables {
    async_maximum_event_age_in_seconds = 21601
  }

  expect_failures = [var.async_maximum_event_age_in_seconds]
}

run "kms_key_arn_not_an_arn" {
  command = plan

  variables {
    kms_key_arn = "alias/my-key"
  }

  expect_failures = [var.kms_key_arn]
}

run "environment_variables_override_reserved_name" {
  command = plan

  variables {
    environment_variables = { GENAI_MODEL_ID = "other" }
  }

  expect_failures = [var.environment_variables]
}

run "model_ids_empty" {
  command = plan

  variables {
    model_ids = []
  }

  expect_failures = [var.model_ids]
}

run "model_ids_wildcard" {
  command = plan

  variables {
    model_ids = ["anthropic.*"]
  }

  expect_failures = [var.model_ids]
}

run "service_name_with_spaces" {
  command = plan

  variables {
    service_name = "my service"
  }

  expect_failures = [var.service_name]
}

run "service_name_with_at_sign" {
  command = plan

  variables {
    service_name = "ops@example.com"
  }

  expect_failures = [var.service_name]
}

run "service_name_starting_with_a_dot" {
  command = plan

  variables {
    service_name = ".chat"
  }

  expect_failures = [var.service_name]
}

run "model_prices_negative" {
  command = plan

  variables {
    model_prices = { "amazon.nova-micro-v1:0" = { input = -1, output = 0.14 } }
  }

  expect_failures = [var.model_prices]
}

run "price_catalog_path_not_absolute" {
  command = plan

  variables {
    price_catalog_path = "prices.json"
  }

  expect_failures = [var.price_catalog_path]
}

run "price_catalog_path_not_json" {
  command = plan

  variables {
    price_catalog_path = "/opt/genai/prices.txt"
  }

  expect_failures = [var.price_catalog_path]
}

run "application_profiles_key_not_an_application_profile_arn" {
  command = plan

  variables {
    application_profiles = { "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-micro-v1:0" = "amazon.nova-micro-v1:0" }
  }

  expect_failures = [var.application_profiles]
}

run "application_profiles_value_is_an_arn" {
  command = plan

  variables {
    application_profiles = { "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3" = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0" }
  }

  expect_failures = [var.application_profiles]
}

run "environment_variables_must_not_set_the_catalog" {
  command = plan

  variables {
    environment_variables = { GENAI_PRICE_CATALOG = "/opt/prices.json" }
  }

  expect_failures = [var.environment_variables]
}

run "log_retention_not_allowed" {
  command = plan

  variables {
    log_retention_in_days = 42
  }

  expect_failures = [var.log_retention_in_days]
}

run "schedule_expression_invalid" {
  command = plan

  variables {
    schedule_expression = "every 5 minutes"
  }

  expect_failures = [var.schedule_expression]
}

run "schedule_expression_cron_with_five_fields" {
  command = plan

  variables {
    schedule_expression = "cron(0 9 * * *)"
  }

  expect_failures = [var.schedule_expression]
}

run "schedule_retry_attempts_too_many" {
  command = plan

  variables {
    schedule_maximum_retry_attempts = 186
  }

  expect_failures = [var.schedule_maximum_retry_attempts]
}

run "schedule_event_age_too_short" {
  command = plan

  variables {
    schedule_maximum_event_age_in_seconds = 30
  }

  expect_failures = [var.schedule_maximum_event_age_in_seconds]
}

run "dead_letter_queue_retention_too_long" {
  command = plan

  variables {
    dead_letter_queue_message_retention_seconds = 1209601
  }

  expect_failures = [var.dead_letter_queue_message_retention_seconds]
}

run "existing_log_group_without_name" {
  command = plan

  variables {
    create_log_group = false
  }

  expect_failures = [aws_lambda_function.this]
}

run "model_id_not_in_model_ids" {
  command = plan

  variables {
    model_id = "amazon.nova-pro-v1:0"
  }

  expect_failures = [aws_lambda_function.this]
}

run "schedule_without_prompt" {
  command = plan

  variables {
    schedule_expression = "rate(1 hour)"
  }

  expect_failures = [aws_scheduler_schedule.this]
}
