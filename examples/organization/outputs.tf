output "oam_sink_arn" {
  description = "ARN of the monitoring account's sink: the sink_arn of every further source account."
  value       = module.monitoring_account.oam_sink_arn
}

output "oam_sink_policy_json" {
  description = "The sink policy: who may link and what they may share."
  value       = module.monitoring_account.oam_sink_policy_json
}

output "oam_link_arn" {
  description = "ARN of the source account's link."
  value       = module.source_account.oam_link_arn
}

output "oam_link_filters" {
  description = "What the source account shares: its log group filter and its metric filter."
  value       = module.source_account.oam_link_filters
}

output "source_dashboard_name" {
  description = "Name of the source account's own dashboard."
  value       = module.source_deck.dashboard_name
}

output "monitoring_dashboard_name" {
  description = "Name of the monitoring account's dashboard over the source accounts."
  value       = module.monitoring_deck.dashboard_name
}

output "monitoring_query_definition_names" {
  description = "The monitoring account's saved questions, over the source account's log group by ARN."
  value       = module.monitoring_deck.query_definition_names
}

output "source_account_spend_metric_queries" {
  description = "Per source account, the GetMetricData queries of its Amazon Bedrock spend, run from the monitoring account."
  value       = module.monitoring_deck.source_account_spend_metric_queries
}

output "disabled_oam_link_arn" {
  description = "The disabled link's ARN: null, since create = false plans nothing."
  value       = module.disabled_source_account.oam_link_arn
}
