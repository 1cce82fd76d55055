# Every validation block and precondition rejects a bad value.

mock_provider "aws" { source = "./tests/mocks" }

run "rejects_a_bad_value_of_each_input" {
  command = plan

  variables {
    name                                        = "genai agent!"                                                                                                      # name with invalid characters
    package_path                                = "tests/fixtures/placeholder.tar.gz"                                                                                 # package path not a zip
    runtime                                     = "python3.9"                                                                                                         # runtime not supported
    architecture                                = "arm"                                                                                                               # architecture not supported
    memory_size                                 = 64                                                                                                                  # memory size too small
    timeout                                     = 0                                                                                                                   # timeout zero
    reserved_concurrent_executions              = -1                                                                                                                  # reserved concurrency negative
    async_retry_attempts                        = 3                                                                                                                   # async retry attempts too many
    async_maximum_event_age_in_seconds          = 59                                                                                                                  # async maximum event age too short
    kms_key_arn                                 = "alias/my-key"                                                                                                      # kms key arn not an arn
    environment_variables                       = { GENAI_MODEL_ID = "other" }                                                                                        # environment variables override reserved name
    model_ids                                   = []                                                                                                                  # model ids empty
    service_name                                = "my service"                                                                                                        # service name with spaces
    model_prices                                = { "amazon.nova-micro-v1:0" = { input = -1, output = 0.14 } }                                                        # model prices negative
    price_catalog_path                          = "prices.json"                                                                                                       # price catalog path not absolute
    application_profiles                        = { "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-micro-v1:0" = "amazon.nova-micro-v1:0" } # application profiles key not an application profile arn
    log_retention_in_days                       = 42                                                                                                                  # log retention not allowed
    schedule_expression                         = "every 5 minutes"                                                                                                   # schedule expression invalid
    schedule_maximum_retry_attempts             = 186                                                                                                                 # schedule retry attempts too many
    schedule_maximum_event_age_in_seconds       = 30                                                                                                                  # schedule event age too short
    dead_letter_queue_message_retention_seconds = 1209601                                                                                                             # dead letter queue retention too long
  }

  expect_failures = [
    var.name, var.package_path, var.runtime, var.architecture, var.memory_size, var.timeout,
    var.reserved_concurrent_executions, var.async_retry_attempts,
    var.async_maximum_event_age_in_seconds, var.kms_key_arn, var.environment_variables,
    var.model_ids, var.service_name, var.model_prices, var.price_catalog_path,
    var.application_profiles, var.log_retention_in_days, var.schedule_expression,
    var.schedule_maximum_retry_attempts, var.schedule_maximum_event_age_in_seconds,
    var.dead_letter_queue_message_retention_seconds,
  ]
}

run "rejects_a_second_bad_value" {
  command = plan

  variables {
    name                               = "a123456789b123456789c123456789d123456789e123456789f12345"                                                                                               # name too long
    memory_size                        = 10241                                                                                                                                                    # memory size too large
    timeout                            = 901                                                                                                                                                      # timeout too long
    async_retry_attempts               = -1                                                                                                                                                       # async retry attempts negative
    async_maximum_event_age_in_seconds = 21601                                                                                                                                                    # async maximum event age too long
    model_ids                          = ["anthropic.*"]                                                                                                                                          # model ids wildcard
    service_name                       = "ops@example.com"                                                                                                                                        # service name with at sign
    price_catalog_path                 = "/opt/genai/prices.txt"                                                                                                                                  # price catalog path not json
    application_profiles               = { "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3" = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0" } # application profiles value is an arn
    environment_variables              = { GENAI_PRICE_CATALOG = "/opt/prices.json" }                                                                                                             # environment variables must not set the catalog
    schedule_expression                = "cron(0 9 * * *)"                                                                                                                                        # schedule expression cron with five fields
  }

  expect_failures = [
    var.name, var.memory_size, var.timeout, var.async_retry_attempts,
    var.async_maximum_event_age_in_seconds, var.model_ids, var.service_name, var.price_catalog_path,
    var.application_profiles, var.environment_variables, var.schedule_expression,
  ]
}

run "service_name_starting_with_a_dot" {
  command = plan

  variables {
    service_name = ".chat"
  }

  expect_failures = [var.service_name]
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
