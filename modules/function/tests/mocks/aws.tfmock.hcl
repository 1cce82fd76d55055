# The one mock of the AWS provider for this module's tests (Terraform >= 1.7:
# mock_provider "aws" { source = "./tests/mocks" }). Values are
# known at plan time (override_during = plan): the module's plan-time assertions read them.

mock_data "aws_partition" {
  override_during = plan

  defaults = {
    partition = "aws"
  }
}

mock_data "aws_region" {
  override_during = plan

  defaults = {
    id   = "us-east-1" # what the module reads; 6.x deprecates name
    name = "us-east-1"
  }
}

mock_data "aws_caller_identity" {
  override_during = plan

  defaults = {
    account_id = "123456789012"
  }
}

mock_data "aws_iam_policy_document" {
  override_during = plan

  defaults = {
    json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  }
}

mock_resource "aws_lambda_function" {
  override_during = plan

  defaults = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:genai-agent"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:genai-agent/invocations"
  }
}

mock_resource "aws_iam_role" {
  override_during = plan

  defaults = {
    arn = "arn:aws:iam::123456789012:role/genai-agent-lambda"
  }
}

override_resource {
  override_during = plan
  target          = aws_iam_role.execution["scheduler"]
  values = {
    arn = "arn:aws:iam::123456789012:role/genai-agent-scheduler"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  override_during = plan

  defaults = {
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/genai-agent"
  }
}

mock_resource "aws_sqs_queue" {
  override_during = plan

  defaults = {
    arn = "arn:aws:sqs:us-east-1:123456789012:genai-agent-schedule-dlq"
    url = "https://sqs.us-east-1.amazonaws.com/123456789012/genai-agent-schedule-dlq"
  }
}

mock_resource "aws_scheduler_schedule" {
  override_during = plan

  defaults = {
    arn = "arn:aws:scheduler:us-east-1:123456789012:schedule/default/genai-agent"
  }
}
