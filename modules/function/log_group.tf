resource "aws_cloudwatch_log_group" "this" {
  count = local.create_log_group ? 1 : 0

  #checkov:skip=CKV_AWS_158:Logs are encrypted at rest by CloudWatch Logs by default; kms_key_arn selects a customer managed key.
  #checkov:skip=CKV_AWS_338:Retention is an input (log_retention_in_days, default 30 days): one year of LLM call lines is rarely wanted and costs storage.

  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}
