# The sink and its policy: listed accounts, a whole organization, both, or nothing.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  source_account_ids = ["222222222222", "333333333333"]
}

run "accounts_may_link_metrics_and_log_groups" {
  command = apply

  assert {
    condition     = aws_oam_sink.this[0].name == "genai-observability" && output.oam_sink_arn == "arn:aws:oam:us-east-1:111111111111:sink/a1b2c3d4-5678-90ab-cdef-111111111111"
    error_message = "The sink must be created under its default name and exported by ARN."
  }

  assert {
    condition = jsondecode(output.oam_sink_policy_json).Statement == [{
      Sid       = "LinkFromSourceAccounts"
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"] }
      Action    = ["oam:CreateLink", "oam:UpdateLink"]
      Resource  = "*"
      Condition = { "ForAllValues:StringEquals" = { "oam:ResourceTypes" = ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"] } }
    }]
    error_message = "The policy must let exactly the listed accounts link, for metrics and log groups only."
  }

  assert {
    condition     = aws_oam_sink_policy.this[0].sink_identifier == aws_oam_sink.this[0].arn
    error_message = "The policy must be attached to the sink."
  }
}

run "organization_may_link" {
  command = plan

  variables {
    source_account_ids = []
    organization_id    = "o-a1b2c3d4e5"
    resource_types     = ["AWS::CloudWatch::Metric"]
    tags               = { team = "platform" }
  }

  assert {
    condition = jsondecode(aws_oam_sink_policy.this[0].policy).Statement == [{
      Sid       = "LinkFromOrganization"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["oam:CreateLink", "oam:UpdateLink"]
      Resource  = "*"
      Condition = {
        "ForAllValues:StringEquals" = { "oam:ResourceTypes" = ["AWS::CloudWatch::Metric"] }
        "StringEquals"              = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" }
      }
    }]
    error_message = "An organization must be allowed through aws:PrincipalOrgID, never any principal unconditioned."
  }

  assert {
    condition     = aws_oam_sink.this[0].tags == tomap({ team = "platform" })
    error_message = "The sink must carry the tags."
  }
}

run "accounts_and_organization_together" {
  command = plan

  variables {
    organization_id = "o-a1b2c3d4e5"
  }

  assert {
    condition     = [for s in jsondecode(aws_oam_sink_policy.this[0].policy).Statement : s.Sid] == ["LinkFromSourceAccounts", "LinkFromOrganization"]
    error_message = "Accounts and an organization must each get their own statement."
  }
}

run "disabled_plans_nothing" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_oam_sink.this) == 0 && length(aws_oam_sink_policy.this) == 0
    error_message = "create = false must plan zero resources."
  }

  assert {
    condition     = output.oam_sink_arn == null && output.oam_sink_id == null && output.oam_sink_policy_json == null
    error_message = "Every output must be null when disabled."
  }
}
