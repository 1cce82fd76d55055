# The link shares the deck's log groups and namespaces, and nothing else.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  sink_arn        = "arn:aws:oam:us-east-1:111111111111:sink/a1b2c3d4-5678-90ab-cdef-111111111111"
  log_group_names = ["/aws/lambda/support-agent", "/aws/lambda/billing-agent"]
}

run "shares_the_deck_only" {
  command = apply

  assert {
    condition     = aws_oam_link.this[0].sink_identifier == var.sink_arn && aws_oam_link.this[0].label_template == "$AccountName"
    error_message = "The link must point at the sink and label the account by its name."
  }

  assert {
    condition     = aws_oam_link.this[0].resource_types == toset(["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"])
    error_message = "The link must share metrics and log groups."
  }

  assert {
    condition     = aws_oam_link.this[0].link_configuration[0].log_group_configuration[0].filter == "LogGroupName IN ('/aws/lambda/billing-agent', '/aws/lambda/support-agent')"
    error_message = "Only the deck's log groups may be shared."
  }

  assert {
    condition     = aws_oam_link.this[0].link_configuration[0].metric_configuration[0].filter == "Namespace IN ('AWS/Bedrock', 'AWS/BedrockMantle', 'AWS/Lambda', 'GenAI')"
    error_message = "Only the deck's namespace, Bedrock's and Lambda's may be shared."
  }

  assert {
    condition     = output.oam_link_arn == "arn:aws:oam:us-east-1:222222222222:link/b1b2c3d4-5678-90ab-cdef-222222222222" && output.oam_link_filters.metric == aws_oam_link.this[0].link_configuration[0].metric_configuration[0].filter
    error_message = "The outputs must describe the link."
  }
}

run "metrics_only" {
  command = plan

  variables {
    log_group_names   = []
    metric_namespaces = ["Team/GenAI", "Team/GenAI"]
    label_template    = "support-prod"
    tags              = { team = "support" }
  }

  assert {
    condition     = aws_oam_link.this[0].resource_types == toset(["AWS::CloudWatch::Metric"]) && length(aws_oam_link.this[0].link_configuration[0].log_group_configuration) == 0
    error_message = "Without log groups the link must share metrics only."
  }

  assert {
    condition     = aws_oam_link.this[0].link_configuration[0].metric_configuration[0].filter == "Namespace IN ('Team/GenAI')"
    error_message = "Namespaces must be listed once."
  }

  assert {
    condition     = aws_oam_link.this[0].tags == tomap({ team = "support" }) && output.oam_link_filters.log_group == null
    error_message = "The link must carry the tags, and say it shares no log group."
  }
}

run "disabled_plans_nothing" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_oam_link.this) == 0 && output.oam_link_arn == null && output.oam_link_filters == null
    error_message = "create = false must plan zero resources and null outputs."
  }
}
