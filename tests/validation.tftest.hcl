# Every validation of the root module's inputs rejects a bad value.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  name         = "genai-deck"
  package_path = "modules/function/tests/fixtures/placeholder.zip"
  model_ids    = ["amazon.nova-micro-v1:0"]
}

run "name_invalid" {
  command = plan

  variables {
    name = "genai deck"
  }

  expect_failures = [var.name]
}

run "kms_key_arn_invalid" {
  command = plan

  variables {
    kms_key_arn = "my-key"
  }

  expect_failures = [var.kms_key_arn]
}

run "package_path_not_a_zip" {
  command = plan

  variables {
    package_path = "dist/genai_observability"
  }

  expect_failures = [var.package_path]
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
    model_ids = ["*"]
  }

  expect_failures = [var.model_ids]
}

run "service_name_invalid" {
  command = plan

  variables {
    service_name = "my service"
  }

  expect_failures = [var.service_name]
}

run "model_prices_negative" {
  command = plan

  variables {
    model_prices = { "amazon.nova-micro-v1:0" = { input = 0.035, output = -0.14 } }
  }

  expect_failures = [var.model_prices]
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

run "async_retry_attempts_too_many" {
  command = plan

  variables {
    async_retry_attempts = 3
  }

  expect_failures = [var.async_retry_attempts]
}

run "schedule_expression_invalid" {
  command = plan

  variables {
    schedule_expression = "rate(0 minutes)"
  }

  expect_failures = [var.schedule_expression]
}

run "log_retention_invalid" {
  command = plan

  variables {
    log_retention_in_days = 2
  }

  expect_failures = [var.log_retention_in_days]
}

run "metric_namespace_reserved" {
  command = plan

  variables {
    metric_namespace = "AWS/Lambda"
  }

  expect_failures = [var.metric_namespace]
}

run "daily_cost_budget_not_positive" {
  command = plan

  variables {
    daily_cost_budget_usd = 0
  }

  expect_failures = [var.daily_cost_budget_usd]
}

run "alarm_error_rate_over_100" {
  command = plan

  variables {
    alarms = { llm_error_rate_percent = 101 }
  }

  expect_failures = [var.alarms]
}

run "alarm_latency_not_positive" {
  command = plan

  variables {
    alarms = { llm_latency_p99_ms = -1 }
  }

  expect_failures = [var.alarms]
}

run "alarm_sns_topic_arn_invalid" {
  command = plan

  variables {
    alarm_sns_topic_arn = "ops-topic"
  }

  expect_failures = [var.alarm_sns_topic_arn]
}

run "alarm_emails_invalid" {
  command = plan

  variables {
    alarm_emails = ["not-an-email"]
  }

  expect_failures = [var.alarm_emails]
}
