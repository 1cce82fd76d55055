# Every validation block rejects a bad value.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  sink_arn        = "arn:aws:oam:us-east-1:111111111111:sink/a1b2c3d4-5678-90ab-cdef-111111111111"
  log_group_names = ["/aws/lambda/support-agent"]
}

run "sink_arn_of_another_service" {
  command = plan

  variables {
    sink_arn = "arn:aws:sns:us-east-1:111111111111:sink"
  }

  expect_failures = [var.sink_arn]
}

run "sink_arn_with_a_short_account" {
  command = plan

  variables {
    sink_arn = "arn:aws:oam:us-east-1:11111111111:sink/a1b2c3d4"
  }

  expect_failures = [var.sink_arn]
}

run "empty_label" {
  command = plan

  variables {
    label_template = " "
  }

  expect_failures = [var.label_template]
}

run "log_group_name_with_a_quote" {
  command = plan

  variables {
    log_group_names = ["/aws/lambda/o'brien"]
  }

  expect_failures = [var.log_group_names]
}

run "no_namespace" {
  command = plan

  variables {
    metric_namespaces = []
  }

  expect_failures = [var.metric_namespaces]
}
