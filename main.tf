# The complete deck: one function and its observability, sharing one log group.
# modules/observability owns the log group /aws/lambda/<name>; the function only writes to it.

locals {
  service_name   = coalesce(var.service_name, var.name)
  log_group_name = "/aws/lambda/${var.name}"

  # Your own handler gets the layer and its exec wrapper; our agent handler records its
  # calls itself.
  attach_layer = var.handler != "genai_observability.handler.lambda_handler"
}

module "layer" {
  source = "./modules/layer"

  create       = var.create && local.attach_layer
  name         = "${var.name}-genai-observability"
  package_path = var.layer_package_path
}

module "observability" {
  source = "./modules/observability"

  create       = var.create
  name         = var.name
  service_name = local.service_name

  create_log_group       = true
  log_group_name         = local.log_group_name
  log_retention_in_days  = var.log_retention_in_days
  kms_key_arn            = var.kms_key_arn
  enable_data_protection = var.enable_data_protection
  enable_field_index     = var.enable_field_index

  metric_namespace         = var.metric_namespace
  create_query_definitions = var.create_query_definitions
  create_dashboard         = var.create_dashboard
  function_names           = [var.name]

  alarms = var.alarms

  # The account view prices account_model_ids, by default the model_ids with a price.
  account_model_ids        = var.account_model_ids
  account_mantle_model_ids = var.account_mantle_model_ids
  model_ids                = var.model_ids
  model_prices             = var.model_prices
  # The budget function runs from the same zip as the function.
  create_budget_function     = true
  package_path               = var.package_path
  budget_time_zone           = var.budget_time_zone
  budget_action              = var.budget_action
  budget_stop_function_names = var.budget_stop_function_names
  attribution_keys           = var.attribution_keys
  aws_budget                 = var.aws_budget

  alarm_sns_topic_arn = var.alarm_sns_topic_arn
  create_sns_topic    = var.create_sns_topic
  alarm_emails        = var.alarm_emails

  tags = var.tags
}

module "function" {
  source = "./modules/function"

  create       = var.create
  name         = var.name
  package_path = var.package_path
  handler      = var.handler

  layers                = local.attach_layer && var.create ? [module.layer.lambda_layer_arn] : []
  environment_variables = module.layer.environment_variables

  model_ids    = var.model_ids
  model_id     = var.model_id
  service_name = local.service_name
  prompt       = var.prompt
  model_prices = var.model_prices
  log_content  = var.log_content

  price_catalog_path   = var.price_catalog_path
  application_profiles = var.application_profiles

  memory_size    = var.memory_size
  timeout        = var.timeout
  enable_tracing = var.enable_tracing
  kms_key_arn    = var.kms_key_arn

  # The shared group is managed by modules/observability.
  create_log_group = false
  log_group_name   = module.observability.cloudwatch_log_group_name

  schedule_expression      = var.schedule_expression
  create_dead_letter_queue = var.create_dead_letter_queue
  async_retry_attempts     = var.async_retry_attempts

  tags = var.tags
}
