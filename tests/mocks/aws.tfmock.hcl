# The one mock of the AWS provider for the root module's tests (Terraform >= 1.7:
# mock_provider "aws" { source = "./tests/mocks" }).

mock_data "aws_partition" {
  defaults = {
    partition  = "aws"
    dns_suffix = "amazonaws.com"
  }
}

mock_data "aws_region" {
  defaults = {
    id   = "us-east-1" # what the modules read; 6.x deprecates name
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

mock_resource "aws_lambda_function" {
  defaults = {
    arn = "arn:aws:lambda:us-east-1:123456789012:function:genai-deck"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn = "arn:aws:iam::123456789012:role/genai-deck-lambda"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/genai-deck"
  }
}

mock_resource "aws_sns_topic" {
  defaults = {
    arn = "arn:aws:sns:us-east-1:123456789012:genai-deck-alarms"
  }
}

mock_resource "aws_kms_key" {
  defaults = {
    arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
}

mock_resource "aws_cloudwatch_metric_alarm" {
  defaults = {
    arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:genai-deck"
  }
}

mock_resource "aws_scheduler_schedule" {
  defaults = {
    arn = "arn:aws:scheduler:us-east-1:123456789012:schedule/default/genai-deck"
  }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:us-east-1:123456789012:genai-deck-schedule-dlq"
  }
}

mock_resource "aws_cloudwatch_query_definition" {
  defaults = {
    query_definition_id = "00000000-0000-4000-8000-000000000000"
  }
}

# The layer version tests/layer.tftest.hcl's deck (name = "orders-agent") publishes.
mock_resource "aws_lambda_layer_version" {
  defaults = {
    arn = "arn:aws:lambda:us-east-1:123456789012:layer:orders-agent-genai-observability:1"
  }
}
