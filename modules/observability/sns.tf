# Optional SNS topic for alarm actions. CloudWatch alarms cannot publish to a topic
# encrypted with the AWS managed key alias/aws/sns (its key policy does not let
# CloudWatch use it), so without kms_key_arn the module creates a customer
# managed key whose policy does.

locals {
  create_sns_topic = var.create && var.create_sns_topic
  create_sns_key   = local.create_sns_topic && var.kms_key_arn == null
}

data "aws_caller_identity" "current" {
  count = local.create_sns_key ? 1 : 0
}

resource "aws_kms_key" "sns" {
  count = local.create_sns_key ? 1 : 0

  description             = "Encrypts the ${var.name} alarm SNS topic."
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${data.aws_caller_identity.current[0].account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        # Only on behalf of alarms of this account and region (confused deputy).
        Sid       = "CloudWatchAlarmsPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current[0].account_id }
          ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:cloudwatch:${local.region}:${data.aws_caller_identity.current[0].account_id}:alarm:*" }
        }
      },
    ]
  })

  tags = var.tags
}

resource "aws_sns_topic" "this" {
  count = local.create_sns_topic ? 1 : 0

  name              = "${var.name}-alarms"
  kms_master_key_id = coalesce(var.kms_key_arn, one(aws_kms_key.sns[*].arn))

  tags = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each = local.create_sns_topic ? toset(var.alarm_emails) : toset([])

  topic_arn = aws_sns_topic.this[0].arn
  protocol  = "email"
  endpoint  = each.value
}
