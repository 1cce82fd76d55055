# Optional AWS Budgets backstop: the bill's own number for Amazon Bedrock, monthly. It is
# the truth the invoice will show, but it arrives hours late (Budgets refreshes from billing
# data several times a day); the deck's CostTodayUSD is minutes behind but only counts the
# calls this deck recorded. Both side by side tell recorded spend from untracked spend.

locals {
  create_aws_budget = var.create && var.aws_budget.limit_usd != null
}

resource "aws_budgets_budget" "this" {
  count = local.create_aws_budget ? 1 : 0

  name         = "${var.name}-bedrock"
  budget_type  = "COST"
  limit_amount = tostring(var.aws_budget.limit_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  # Cost Explorer's Service dimension: "Amazon Bedrock" by default. Models sold through
  # AWS Marketplace can be billed under their own service names: list them in services.
  cost_filter {
    name   = "Service"
    values = var.aws_budget.services
  }

  dynamic "notification" {
    for_each = toset(["ACTUAL", "FORECASTED"])

    content {
      notification_type          = notification.value
      comparison_operator        = "GREATER_THAN"
      threshold                  = var.aws_budget.threshold_percent
      threshold_type             = "PERCENTAGE"
      subscriber_email_addresses = var.aws_budget.emails
      subscriber_sns_topic_arns  = var.aws_budget.sns_topic_arn == null ? [] : [var.aws_budget.sns_topic_arn]
    }
  }

  tags = var.tags
}
