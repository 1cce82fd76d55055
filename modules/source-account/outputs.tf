output "oam_link_arn" {
  description = "ARN of the link to the monitoring account's sink."
  value       = one(aws_oam_link.this[*].arn)
}

output "oam_link_id" {
  description = "ID of the link."
  value       = one(aws_oam_link.this[*].link_id)
}

output "oam_link_label" {
  description = "Label of this source account as the monitoring account shows it."
  value       = one(aws_oam_link.this[*].label)
}

output "oam_link_filters" {
  description = "The link's filters: log_group (null when no log group is shared) and metric."
  value       = var.create ? { log_group = local.log_group_filter, metric = local.metric_filter } : null
}
