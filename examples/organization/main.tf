# One deck over many accounts with CloudWatch cross-account observability (OAM).
# Order: 1. the sink in the monitoring account, 2. a link in every source account,
# 3. the decks. Terraform orders the three here because the link reads the sink's ARN.

provider "aws" {
  alias   = "monitoring"
  region  = var.region
  profile = var.monitoring_profile
}

provider "aws" {
  alias   = "source"
  region  = var.region
  profile = var.source_profile
}

# Tags on every taggable resource in both accounts; put your own here.
locals {
  tags = { project = "genai-observability", example = "organization" }
}

# 1. Monitoring account: the sink, open to the source account (or the organization).
module "monitoring_account" {
  source = "../../modules/monitoring-account"
  providers = {
    aws = aws.monitoring
  }

  name               = "genai-observability"
  source_account_ids = [var.source_account_id]
  organization_id    = var.organization_id

  tags = local.tags
}

# 2. Source account: the deck's metric filters stay next to the function's log group
# (a metric filter reads its own account's logs only) ...
module "source_deck" {
  source = "../../modules/observability"
  providers = {
    aws = aws.source
  }

  name             = "${var.function_name}-deck"
  service_name     = var.service_name
  create_log_group = false
  log_group_name   = "/aws/lambda/${var.function_name}"
  function_names   = [var.function_name]
  metric_namespace = var.metric_namespace

  tags = local.tags
}

# ... and the link shares that log group and the deck's namespaces, nothing else.
module "source_account" {
  source = "../../modules/source-account"
  providers = {
    aws = aws.source
  }

  sink_arn          = module.monitoring_account.oam_sink_arn
  log_group_names   = [module.source_deck.cloudwatch_log_group_name]
  metric_namespaces = [var.metric_namespace, "AWS/Bedrock", "AWS/BedrockMantle", "AWS/Lambda"]

  tags = local.tags
}

# 3. Monitoring account: one deck over the source account, reading what the link shares:
# the log group by ARN (saved questions and log tables) and the metrics by account ID
# (one dashboard row per source account, with its Bedrock spend and untracked spend).
# Nothing is created on the source account's log group from here.
module "monitoring_deck" {
  source = "../../modules/observability"
  providers = {
    aws = aws.monitoring
  }

  name                  = "organization-deck"
  service_name          = var.service_name
  create_log_group      = false
  create_metric_filters = false
  log_group_name        = "arn:${var.partition}:logs:${var.region}:${var.source_account_id}:log-group:/aws/lambda/${var.function_name}"
  metric_namespace      = var.metric_namespace

  source_account_ids = [var.source_account_id]
  account_model_ids  = var.model_ids

  tags = local.tags

  # The link must exist before the deck reads across accounts.
  depends_on = [module.source_account]
}

# Conditional creation: create = false plans nothing.
module "disabled_source_account" {
  source = "../../modules/source-account"
  providers = {
    aws = aws.source
  }

  create   = false
  sink_arn = "arn:aws:oam:us-east-1:111111111111:sink/00000000-0000-0000-0000-000000000000"
}
