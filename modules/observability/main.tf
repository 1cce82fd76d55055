# Shared locals and the data sources every concern reads. Each concern lives in its
# own file: log_group.tf, metric_filters.tf, queries.tf, dashboard.tf, alarms.tf, sns.tf.

data "aws_region" "current" {
  count = var.create ? 1 : 0
}

data "aws_partition" "current" {
  count = var.create ? 1 : 0

  # Input checks that span several variables (a variable's validation may name only that
  # variable before Terraform 1.9; this module supports 1.7): on the first object the module
  # reads, so plan stops here before anything is built on a wrong combination.
  lifecycle {
    # A source account's log group (an ARN, in a monitoring account) is only read here.
    precondition {
      condition     = !startswith(var.log_group_name, "arn:") || !(var.create_log_group || var.create_metric_filters || var.enable_data_protection || var.enable_field_index)
      error_message = "The log_group_name is a log group ARN (another account's group): set create_log_group, create_metric_filters, enable_data_protection and enable_field_index to false, because a metric filter or policy can only act on a log group of this account."
    }

    precondition {
      condition     = length(var.alarm_emails) == 0 || var.create_sns_topic
      error_message = "The alarm_emails need create_sns_topic = true, because emails subscribe to the created topic."
    }

    precondition {
      condition     = var.budget_action == "alert" || (var.alarms.daily_cost_budget_usd != null && var.create_budget_function)
      error_message = "The budget_action stop needs a daily budget (alarms.daily_cost_budget_usd) and the budget function (create_budget_function = true)."
    }

    # Terraform has no time zone database: the committed list of IANA names
    # (scripts/time_zones.py, kept equal to Python's zoneinfo by a test).
    precondition {
      condition     = contains(local.time_zones, var.budget_time_zone)
      error_message = "The budget_time_zone ${var.budget_time_zone} is not an IANA time zone name (see time_zones.json), such as UTC, Europe/Paris or America/New_York."
    }

    # Monitoring-account decks (source_account_ids): the service alarms read each source
    # account's metrics (alarms.tf); what reads only this account's metrics is refused until
    # it can read theirs: the budget function (it sums this account's CostUSD), the anomaly
    # band and the Lambda alarms (their metrics carry no account).
    precondition {
      condition     = length(var.source_account_ids) == 0 || !(var.create_budget_function || var.alarms.daily_cost_budget_usd != null || var.budget_action == "stop")
      error_message = "A monitoring-account deck (source_account_ids) cannot have the budget function or the daily cost budget yet, because the function adds up this account's CostUSD only: deploy the budget with the deck in each source account."
    }

    precondition {
      condition     = length(var.source_account_ids) == 0 || (var.alarms.cost_anomaly_band == null && !var.alarms.lambda_errors && !var.alarms.lambda_throttles)
      error_message = "A monitoring-account deck (source_account_ids) cannot have the cost anomaly or Lambda alarms yet, because they would watch this account's metrics, not the source accounts': set them in each source account's deck."
    }

    # account.tf: every listed model needs a price (catalog or override).
    precondition {
      condition     = length(local.account_unpriced_models) == 0
      error_message = "No price is known for ${join(", ", local.account_unpriced_models)} in account_model_ids or account_mantle_model_ids: add it to model_prices (USD per 1M tokens), or remove it."
    }
  }
}

locals {
  service_name = coalesce(var.service_name, var.name)
  time_zones   = jsondecode(file("${path.module}/time_zones.json"))

  # The primary group carries the metric filters and policies; the additional ones
  # are only scanned by the saved queries and the dashboard's log tables.
  log_group_names = distinct(concat([var.log_group_name], var.additional_log_group_names))

  # Empty when create = false (nothing reads them then; locals are still evaluated).
  region    = try(data.aws_region.current[0].id, "") # `id`: 6.x deprecates `name`
  partition = try(data.aws_partition.current[0].partition, "aws")

  create_log_group         = var.create && var.create_log_group
  create_metric_filters    = var.create && var.create_metric_filters
  create_query_definitions = var.create && var.create_query_definitions
  create_dashboard         = var.create && var.create_dashboard
}
