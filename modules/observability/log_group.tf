resource "aws_cloudwatch_log_group" "this" {
  count = local.create_log_group ? 1 : 0

  #checkov:skip=CKV_AWS_338:Retention is a validated input (default 30 days); keeping LLM call logs a year is the owner's cost and privacy decision.
  #checkov:skip=CKV_AWS_158:A customer managed KMS key is optional (kms_key_arn); CloudWatch Logs encrypts every group at rest by default.
  name              = var.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
  log_group_class   = var.log_group_class

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.log_group_class == "STANDARD" || !var.create_metric_filters
      error_message = "An INFREQUENT_ACCESS log group supports no metric filters: set create_metric_filters = false or log_group_class = \"STANDARD\"."
    }
  }
}

locals {
  # Metric filters and policies wait for the created group; an existing group is used by name.
  primary_log_group_name = local.create_log_group ? aws_cloudwatch_log_group.this[0].name : var.log_group_name

  data_protection_identifier_arns = [
    for i in var.data_protection_identifiers : "arn:${local.partition}:dataprotection::aws:data-identifier/${i}"
  ]
}

resource "aws_cloudwatch_log_data_protection_policy" "this" {
  count = var.create && var.enable_data_protection ? 1 : 0

  log_group_name = local.primary_log_group_name
  policy_document = jsonencode({
    Name        = "${var.name}-data-protection"
    Description = "Audits and masks personal data and secrets in the ${var.name} GenAI call logs."
    Version     = "2021-06-01"
    Statement = [
      {
        Sid            = "Audit"
        DataIdentifier = local.data_protection_identifier_arns
        Operation = {
          Audit = {
            FindingsDestination = {}
          }
        }
      },
      {
        Sid            = "Redact"
        DataIdentifier = local.data_protection_identifier_arns
        Operation = {
          Deidentify = {
            MaskConfig = {}
          }
        }
      },
    ]
  })
}

resource "aws_cloudwatch_log_index_policy" "this" {
  count = var.create && var.enable_field_index ? 1 : 0

  log_group_name = local.primary_log_group_name
  policy_document = jsonencode({
    Fields = ["event", "model", "service"]
  })
}
