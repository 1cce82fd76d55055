# A source account's side of CloudWatch cross-account observability (OAM): one link to
# the monitoring account's sink that shares the deck's metrics and log groups only.
#
# Filters (OAM API LinkConfiguration, LogGroupConfiguration/MetricConfiguration): names in
# single quotes, case sensitive, `IN ( ... )` lists, at most five AND/OR operands per
# filter; one IN list per filter uses none.

locals {
  log_group_names   = sort(distinct(var.log_group_names))
  metric_namespaces = sort(distinct(var.metric_namespaces))

  log_group_filter = length(local.log_group_names) == 0 ? null : "LogGroupName IN (${join(", ", [for n in local.log_group_names : "'${n}'"])})"
  metric_filter    = "Namespace IN (${join(", ", [for n in local.metric_namespaces : "'${n}'"])})"

  resource_types = concat(["AWS::CloudWatch::Metric"], local.log_group_filter == null ? [] : ["AWS::Logs::LogGroup"])
}

resource "aws_oam_link" "this" {
  count = var.create ? 1 : 0

  sink_identifier = var.sink_arn
  label_template  = var.label_template
  resource_types  = local.resource_types

  link_configuration {
    dynamic "log_group_configuration" {
      for_each = local.log_group_filter == null ? [] : [local.log_group_filter]
      content {
        filter = log_group_configuration.value
      }
    }

    metric_configuration {
      filter = local.metric_filter
    }
  }

  tags = var.tags
}
