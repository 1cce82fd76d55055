# Every validation block rejects a bad value.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  sink_arn        = "arn:aws:oam:us-east-1:111111111111:sink/a1b2c3d4-5678-90ab-cdef-111111111111"
  log_group_names = ["/aws/lambda/support-agent"]
}

run "rejects_a_bad_value_of_each_input" {
  command = plan

  variables {
    sink_arn          = "arn:aws:sns:us-east-1:111111111111:sink" # sink arn of another service
    label_template    = " "                                       # empty label
    log_group_names   = ["/aws/lambda/o'brien"]                   # log group name with a quote
    metric_namespaces = []                                        # no namespace
  }

  expect_failures = [var.sink_arn, var.label_template, var.log_group_names, var.metric_namespaces]
}

run "sink_arn_with_a_short_account" {
  command = plan

  variables {
    sink_arn = "arn:aws:oam:us-east-1:11111111111:sink/a1b2c3d4"
  }

  expect_failures = [var.sink_arn]
}
