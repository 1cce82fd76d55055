# Every validation block and precondition rejects a bad value.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  source_account_ids = ["222222222222"]
}

run "bad_name" {
  command = plan

  variables {
    name = "genai deck!"
  }

  expect_failures = [var.name]
}

run "bad_account_id" {
  command = plan

  variables {
    source_account_ids = ["22222222222"]
  }

  expect_failures = [var.source_account_ids]
}

run "bad_organization_id" {
  command = plan

  variables {
    organization_id = "r-a1b2"
  }

  expect_failures = [var.organization_id]
}

run "unknown_resource_type" {
  command = plan

  variables {
    resource_types = ["AWS::S3::Bucket"]
  }

  expect_failures = [var.resource_types]
}

run "nobody_may_link" {
  command = plan

  variables {
    source_account_ids = []
  }

  expect_failures = [aws_oam_sink_policy.this]
}
