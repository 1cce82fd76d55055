output "oam_sink_arn" {
  description = "ARN of the sink: the sink_arn input of modules/source-account in every source account."
  value       = one(aws_oam_sink.this[*].arn)
}

output "oam_sink_id" {
  description = "ID of the sink."
  value       = one(aws_oam_sink.this[*].sink_id)
}

output "oam_sink_policy_json" {
  description = "The sink policy as applied: who may link, and which resource types they may share."
  value       = one(aws_oam_sink_policy.this[*].policy)
}
