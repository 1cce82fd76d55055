# Shared locals and the data sources every concern reads. Each concern lives in its
# own file: log_group.tf, metric_filters.tf, queries.tf, dashboard.tf, alarms.tf, sns.tf.

data "aws_region" "current" {
  count = var.create ? 1 : 0
}

data "aws_partition" "current" {
  count = var.create ? 1 : 0
}

locals {
  service_name = coalesce(var.service_name, var.name)

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
