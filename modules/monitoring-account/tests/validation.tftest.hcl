# Every validation block and precondition rejects a bad value.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  source_account_ids = ["222222222222"]
}

run "rejects_a_bad_value_of_each_input" {
  command = plan

  variables {
    name               = "genai deck!"       # bad name
    source_account_ids = ["22222222222"]     # bad account id
    organization_id    = "r-a1b2"            # bad organization id
    resource_types     = ["AWS::S3::Bucket"] # unknown resource type
  }

  expect_failures = [var.name, var.source_account_ids, var.organization_id, var.resource_types]
}

run "nobody_may_link" {
  command = plan

  variables {
    source_account_ids = []
  }

  expect_failures = [aws_oam_sink_policy.this]
}
