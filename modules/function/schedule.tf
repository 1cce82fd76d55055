resource "aws_sqs_queue" "dead_letter" {
  count = local.create_dlq ? 1 : 0

  name                      = "${var.name}-schedule-dlq"
  message_retention_seconds = var.dead_letter_queue_message_retention_seconds
  sqs_managed_sse_enabled   = var.kms_key_arn == null ? true : null
  kms_master_key_id         = var.kms_key_arn

  tags = var.tags
}

resource "aws_scheduler_schedule" "this" {
  count = local.create_schedule ? 1 : 0

  #checkov:skip=CKV_AWS_297:The schedule holds only the function ARN and the default prompt; it is encrypted with an AWS owned key by default and kms_key_arn selects a customer managed key.

  name                         = var.name
  description                  = "Invokes the ${var.name} GenAI observability function."
  schedule_expression          = var.schedule_expression
  schedule_expression_timezone = var.schedule_timezone
  kms_key_arn                  = var.kms_key_arn

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.this[0].arn
    role_arn = aws_iam_role.execution["scheduler"].arn
    input    = jsonencode({ source = "schedule", prompt = var.prompt })

    retry_policy {
      maximum_retry_attempts       = var.schedule_maximum_retry_attempts
      maximum_event_age_in_seconds = var.schedule_maximum_event_age_in_seconds
    }

    dynamic "dead_letter_config" {
      for_each = local.create_dlq ? [true] : []

      content {
        arn = aws_sqs_queue.dead_letter[0].arn
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.prompt != null
      error_message = "A schedule needs a prompt: the handler has nothing to ask without one."
    }
  }

  # The role's permissions must be in place before the first scheduled delivery.
  depends_on = [aws_iam_role_policy.execution]
}
