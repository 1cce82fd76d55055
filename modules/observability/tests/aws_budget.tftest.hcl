# The optional AWS Budgets backstop on the billed Amazon Bedrock cost.

mock_provider "aws" { source = "./tests/mocks" }

run "no_budget_by_default" {
  command = plan

  assert {
    condition     = length(aws_budgets_budget.this) == 0 && output.aws_budget_name == null
    error_message = "No AWS budget unless a monthly limit is set."
  }
}

run "monthly_bedrock_budget_notifies_actual_and_forecast" {
  command = apply

  variables {
    aws_budget = {
      limit_usd     = 300
      emails        = ["finops@example.com"]
      sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:billing"
    }
  }

  assert {
    condition = (
      aws_budgets_budget.this[0].name == "deck-bedrock" && aws_budgets_budget.this[0].budget_type == "COST"
      && aws_budgets_budget.this[0].time_unit == "MONTHLY" && tonumber(aws_budgets_budget.this[0].limit_amount) == 300
      && aws_budgets_budget.this[0].limit_unit == "USD"
    )
    error_message = "A monthly cost budget of the given amount in USD."
  }

  assert {
    condition     = jsonencode([for f in aws_budgets_budget.this[0].cost_filter : [f.name, f.values]]) == jsonencode([["Service", ["Amazon Bedrock"]]])
    error_message = "The budget counts the Amazon Bedrock service only."
  }

  assert {
    condition = jsonencode(sort([for n in aws_budgets_budget.this[0].notification : n.notification_type])) == jsonencode(["ACTUAL", "FORECASTED"]) && alltrue([
      for n in aws_budgets_budget.this[0].notification : n.threshold == 100 && n.threshold_type == "PERCENTAGE"
      && jsonencode(n.subscriber_email_addresses) == jsonencode(["finops@example.com"]) && jsonencode(n.subscriber_sns_topic_arns) == jsonencode(["arn:aws:sns:us-east-1:123456789012:billing"])
    ])
    error_message = "Actual and forecasted spend over 100% notify the emails and the topic."
  }

  assert {
    condition     = output.aws_budget_name == "deck-bedrock"
    error_message = "The output names the budget."
  }
}

run "budget_needs_someone_to_tell" {
  command = plan

  variables {
    aws_budget = { limit_usd = 300 }
  }

  expect_failures = [var.aws_budget]
}

run "limit_is_positive" {
  command = plan

  variables {
    aws_budget = { limit_usd = 0, emails = ["finops@example.com"] }
  }

  expect_failures = [var.aws_budget]
}

run "threshold_is_a_percentage" {
  command = plan

  variables {
    aws_budget = { limit_usd = 10, threshold_percent = 0, emails = ["finops@example.com"] }
  }

  expect_failures = [var.aws_budget]
}

run "emails_are_addresses" {
  command = plan

  variables {
    aws_budget = { limit_usd = 10, emails = ["finops"] }
  }

  expect_failures = [var.aws_budget]
}

run "topic_is_an_sns_arn" {
  command = plan

  variables {
    aws_budget = { limit_usd = 10, sns_topic_arn = "billing" }
  }

  expect_failures = [var.aws_budget]
}
