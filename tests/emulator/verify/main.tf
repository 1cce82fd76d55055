# Reads back, from the emulator, what the apply run created: the run fails if any of
# these does not exist. Used only by apply_complete.tftest.hcl.

terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # >= 5.83: the first release with aws_cloudwatch_log_index_policy (the deck's floor); tests run 5.100.
      # < 7.0: tests/repo/test_provider_compat.py checks every .tf against what 6.x removes or deprecates.
      version = ">= 5.83, < 7.0"
    }
  }
}

variable "lambda_function_name" {
  description = "Name of the applied function."
  type        = string
}

variable "cloudwatch_log_group_name" {
  description = "Name of the applied log group."
  type        = string
}

variable "sns_topic_arn" {
  description = "ARN of the applied SNS topic."
  type        = string
}

data "aws_lambda_function" "this" {
  function_name = var.lambda_function_name
}

data "aws_cloudwatch_log_group" "this" {
  name = var.cloudwatch_log_group_name
}

data "aws_iam_role" "lambda" {
  name = "${var.lambda_function_name}-lambda"
}

data "aws_iam_role" "scheduler" {
  name = "${var.lambda_function_name}-scheduler"
}

data "aws_sns_topic" "this" {
  name = element(split(":", var.sns_topic_arn), 5)
}

output "handler" {
  description = "Handler of the function."
  value       = data.aws_lambda_function.this.handler
}

output "environment" {
  description = "Environment variables of the function."
  value       = data.aws_lambda_function.this.environment[0].variables
}

output "log_retention_in_days" {
  description = "Retention of the log group."
  value       = data.aws_cloudwatch_log_group.this.retention_in_days
}

output "role_arns" {
  description = "ARNs of the function's role and of the scheduler's role."
  value       = { lambda = data.aws_iam_role.lambda.arn, scheduler = data.aws_iam_role.scheduler.arn }
}

output "sns_topic_arn" {
  description = "ARN of the SNS topic."
  value       = data.aws_sns_topic.this.arn
}
