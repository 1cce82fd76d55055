# Optional AWS Budgets backstop: the bill's own number for Amazon Bedrock, monthly. It is
# the truth the invoice will show, but it arrives hours late (Budgets refreshes from billing
# data several times a day); the deck's CostTodayUSD is minutes behind but only counts the
# calls this deck recorded. Both side by side tell recorded spend from untracked spend.

locals {
  create_aws_budget = var.create && var.aws_budget.limit_usd != null

  # Models sold through AWS Marketplace bill under their own Cost Explorer service,
  # "<model> (Amazon Bedrock Edition)" (as `genai-obs reconcile` reads the bill), not under
  # "Amazon Bedrock": Anthropic's Claude models. Their service names by model id (without
  # its geographic prefix, date and version), to check against Cost Explorer's Service
  # dimension (GetDimensionValues SERVICE) and the Price List's servicename.
  marketplace_bill_services = {
    "anthropic.claude-3-haiku"    = "Claude 3 Haiku (Amazon Bedrock Edition)"
    "anthropic.claude-3-sonnet"   = "Claude 3 Sonnet (Amazon Bedrock Edition)"
    "anthropic.claude-3-opus"     = "Claude 3 Opus (Amazon Bedrock Edition)"
    "anthropic.claude-3-5-haiku"  = "Claude 3.5 Haiku (Amazon Bedrock Edition)"
    "anthropic.claude-3-5-sonnet" = "Claude 3.5 Sonnet (Amazon Bedrock Edition)"
    "anthropic.claude-3-7-sonnet" = "Claude 3.7 Sonnet (Amazon Bedrock Edition)"
    "anthropic.claude-sonnet-4"   = "Claude Sonnet 4 (Amazon Bedrock Edition)"
    "anthropic.claude-opus-4"     = "Claude Opus 4 (Amazon Bedrock Edition)"
    "anthropic.claude-opus-4-1"   = "Claude Opus 4.1 (Amazon Bedrock Edition)"
    "anthropic.claude-sonnet-4-5" = "Claude Sonnet 4.5 (Amazon Bedrock Edition)"
    "anthropic.claude-haiku-4-5"  = "Claude Haiku 4.5 (Amazon Bedrock Edition)"
    "anthropic.claude-opus-4-5"   = "Claude Opus 4.5 (Amazon Bedrock Edition)"
  }
  marketplace_providers = ["anthropic"]

  # us.anthropic.claude-haiku-4-5-20251001-v1:0 -> anthropic.claude-haiku-4-5 (an ARN: its
  # last path part).
  budget_model_keys = {
    for m in var.model_ids : m => replace(replace(
      element(split("/", m), length(split("/", m)) - 1),
      "/^(us-gov|us|eu|apac|jp|au|ca|global)\\./", ""),
    "/(-[0-9]{8})?(-v[0-9]+)?(:[0-9]+)?$/", "")
  }
  budget_marketplace_models = [
    for m, key in local.budget_model_keys : m if contains(local.marketplace_providers, split(".", key)[0])
  ]
  budget_unknown_marketplace_models = [
    for m in local.budget_marketplace_models : m if !contains(keys(local.marketplace_bill_services), local.budget_model_keys[m])
  ]
  # Listed by the user: an "(Amazon Bedrock Edition)" service in aws_budget.services.
  budget_lists_marketplace = anytrue([for s in var.aws_budget.services : endswith(s, "(Amazon Bedrock Edition)")])
  aws_budget_services = distinct(concat(var.aws_budget.services, [
    for m in local.budget_marketplace_models : local.marketplace_bill_services[local.budget_model_keys[m]]
    if contains(keys(local.marketplace_bill_services), local.budget_model_keys[m])
  ]))
}

resource "aws_budgets_budget" "this" {
  count = local.create_aws_budget ? 1 : 0

  name         = "${var.name}-bedrock"
  budget_type  = "COST"
  limit_amount = tostring(var.aws_budget.limit_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  # Cost Explorer's Service dimension: "Amazon Bedrock" by default, and the bill services of
  # the Marketplace-billed models of model_ids.
  cost_filter {
    name   = "Service"
    values = local.aws_budget_services
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

  lifecycle {
    precondition {
      condition     = length(local.budget_unknown_marketplace_models) == 0 || local.budget_lists_marketplace
      error_message = "The bill service of ${join(", ", local.budget_unknown_marketplace_models)} is not known: models sold through AWS Marketplace bill under their own service, such as \"Claude Haiku 4.5 (Amazon Bedrock Edition)\"; add theirs (Cost Explorer, Service) to aws_budget.services."
    }
  }
}
