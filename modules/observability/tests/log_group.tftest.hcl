# Log group: created or attached (the filters and policies then attach to it by name),
# retention, KMS, class, data protection and field index.

mock_provider "aws" { source = "./tests/mocks" }

run "created_by_default" {
  command = apply

  assert {
    condition = (
      length(aws_cloudwatch_log_group.this) == 1
      && aws_cloudwatch_log_group.this[0].name == "/aws/lambda/deck-fn"
      && aws_cloudwatch_log_group.this[0].retention_in_days == 30
      && aws_cloudwatch_log_group.this[0].kms_key_id == null
      && aws_cloudwatch_log_group.this[0].log_group_class == "STANDARD"
    )
    error_message = "The default log group must be created with 30 days retention in the STANDARD class."
  }

  assert {
    condition     = length(aws_cloudwatch_log_data_protection_policy.this) == 0 && length(aws_cloudwatch_log_index_policy.this) == 0
    error_message = "Data protection and field index are opt-in."
  }

  assert {
    condition     = output.cloudwatch_log_group_name == "/aws/lambda/deck-fn" && output.cloudwatch_log_group_arn == "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/deck-fn"
    error_message = "The log group outputs must name the created group."
  }
}

run "retention_kms_and_tags" {
  command = apply

  variables {
    log_retention_in_days = 365
    kms_key_arn           = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    tags                  = { team = "ml" }
  }

  assert {
    condition = (
      aws_cloudwatch_log_group.this[0].retention_in_days == 365
      && aws_cloudwatch_log_group.this[0].kms_key_id == "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      && aws_cloudwatch_log_group.this[0].tags == tomap({ team = "ml" })
    )
    error_message = "Retention, KMS key and tags must reach the log group."
  }
}

run "existing_group" {
  command = apply

  variables {
    create_log_group       = false
    enable_data_protection = true
    enable_field_index     = true
  }

  assert {
    condition     = length(aws_cloudwatch_log_group.this) == 0
    error_message = "create_log_group = false must create no log group."
  }

  assert {
    condition = (
      aws_cloudwatch_log_data_protection_policy.this[0].log_group_name == "/aws/lambda/deck-fn"
      && aws_cloudwatch_log_index_policy.this[0].log_group_name == "/aws/lambda/deck-fn"
    )
    error_message = "Policies must attach to the existing group."
  }

  assert {
    condition     = output.cloudwatch_log_group_name == "/aws/lambda/deck-fn" && output.cloudwatch_log_group_arn == null
    error_message = "An existing group keeps its name in the outputs; its ARN is not looked up."
  }

  assert {
    condition     = length(aws_cloudwatch_log_group.this) == 0 && length(aws_cloudwatch_log_metric_filter.this) == 15
    error_message = "Filters must attach to an existing log group by name."
  }

  assert {
    condition     = alltrue([for f in aws_cloudwatch_log_metric_filter.this : f.log_group_name == "/aws/lambda/deck-fn"])
    error_message = "Filters must use the existing group's name."
  }
}

run "data_protection_and_index" {
  command = apply

  variables {
    enable_data_protection      = true
    enable_field_index          = true
    data_protection_identifiers = ["EmailAddress", "AwsSecretKey"]
  }

  assert {
    condition = (
      jsondecode(aws_cloudwatch_log_data_protection_policy.this[0].policy_document).Statement[0].DataIdentifier
      == ["arn:aws:dataprotection::aws:data-identifier/EmailAddress", "arn:aws:dataprotection::aws:data-identifier/AwsSecretKey"]
    )
    error_message = "The data protection policy must name the managed data identifiers by ARN."
  }

  assert {
    condition = (
      jsondecode(aws_cloudwatch_log_data_protection_policy.this[0].policy_document).Version == "2021-06-01"
      && can(jsondecode(aws_cloudwatch_log_data_protection_policy.this[0].policy_document).Statement[0].Operation.Audit)
      && can(jsondecode(aws_cloudwatch_log_data_protection_policy.this[0].policy_document).Statement[1].Operation.Deidentify.MaskConfig)
    )
    error_message = "The data protection policy must audit and then mask."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_log_index_policy.this[0].policy_document) == { Fields = ["event", "model", "service"] }
    error_message = "The field index must cover event, model and service."
  }
}

run "infrequent_access_without_filters" {
  command = apply

  variables {
    log_group_class       = "INFREQUENT_ACCESS"
    create_metric_filters = false
  }

  assert {
    condition     = aws_cloudwatch_log_group.this[0].log_group_class == "INFREQUENT_ACCESS" && length(aws_cloudwatch_log_metric_filter.this) == 0
    error_message = "An INFREQUENT_ACCESS group without metric filters must be allowed."
  }
}

run "infrequent_access_rejects_metric_filters" {
  command = plan

  variables {
    log_group_class = "INFREQUENT_ACCESS"
  }

  expect_failures = [aws_cloudwatch_log_group.this]
}
