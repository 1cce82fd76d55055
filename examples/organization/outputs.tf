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
