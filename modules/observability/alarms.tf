# Alarms on the {Service} rollup metrics (alarms cannot aggregate models with SEARCH)
# and on the AWS/Lambda metrics of function_names. Each alarm is off unless asked for.

locals {
  alarm_actions = compact([var.alarm_sns_topic_arn, one(aws_sns_topic.this[*].arn)])

  lambda_error_alarm_functions    = var.create && var.alarms.lambda_errors ? toset(var.function_names) : toset([])
  lambda_throttle_alarm_functions = var.create && var.alarms.lambda_throttles ? toset(var.function_names) : toset([])

  alarm_arns = merge(
    { for a in aws_cloudwatch_metric_alarm.daily_cost : a.alarm_name => a.arn },
    { for a in aws_cloudwatch_metric_alarm.llm_error_rate : a.alarm_name => a.arn },
    { for a in aws_cloudwatch_metric_alarm.llm_latency_p99 : a.alarm_name => a.arn },
    { for a in aws_cloudwatch_metric_alarm.unpriced_calls : a.alarm_name => a.arn },
    { for a in aws_cloudwatch_metric_alarm.lambda_errors : a.alarm_name => a.arn },
    { for a in aws_cloudwatch_metric_alarm.lambda_throttles : a.alarm_name => a.arn },
  )

  # Known at plan time (names only), so the dashboard knows whether to show alarms.
  alarm_count = (
    (var.create && var.alarms.daily_cost_budget_usd != null ? 1 : 0)
    + (var.create && var.alarms.llm_error_rate_percent != null ? 1 : 0)
    + (var.create && var.alarms.llm_latency_p99_ms != null ? 1 : 0)
    + (var.create && var.alarms.unpriced_calls ? 1 : 0)
    + length(local.lambda_error_alarm_functions)
    + length(local.lambda_throttle_alarm_functions)
  )
}

resource "aws_cloudwatch_metric_alarm" "daily_cost" {
  count = var.create && var.alarms.daily_cost_budget_usd != null ? 1 : 0

  alarm_name          = "${var.name}-daily-cost"
  alarm_description   = "LLM cost of service ${local.service_name} over one day exceeds the ${var.alarms.daily_cost_budget_usd} USD budget."
  namespace           = var.metric_namespace
  metric_name         = "CostUSD"
  dimensions          = { Service = local.service_name }
  statistic           = "Sum"
  period              = 86400
  evaluation_periods  = 1
  threshold           = var.alarms.daily_cost_budget_usd
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "llm_error_rate" {
  count = var.create && var.alarms.llm_error_rate_percent != null ? 1 : 0

  alarm_name          = "${var.name}-llm-error-rate"
  alarm_description   = "More than ${var.alarms.llm_error_rate_percent}% of the LLM calls of service ${local.service_name} fail (2 of 3 five-minute periods)."
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = var.alarms.llm_error_rate_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "error_rate"
    expression  = "100 * FILL(errors, 0) / calls"
    label       = "LLM error rate (%)"
    return_data = true
  }

  metric_query {
    id          = "errors"
    return_data = false
    metric {
      namespace   = var.metric_namespace
      metric_name = "Errors"
      dimensions  = { Service = local.service_name }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id          = "calls"
    return_data = false
    metric {
      namespace   = var.metric_namespace
      metric_name = "Calls"
      dimensions  = { Service = local.service_name }
      stat        = "Sum"
      period      = 300
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "llm_latency_p99" {
  count = var.create && var.alarms.llm_latency_p99_ms != null ? 1 : 0

  alarm_name          = "${var.name}-llm-latency-p99"
  alarm_description   = "p99 latency of the LLM calls of service ${local.service_name} exceeds ${var.alarms.llm_latency_p99_ms} ms (2 of 3 five-minute periods)."
  namespace           = var.metric_namespace
  metric_name         = "LatencyMs"
  dimensions          = { Service = local.service_name }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = var.alarms.llm_latency_p99_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "unpriced_calls" {
  count = var.create && var.alarms.unpriced_calls ? 1 : 0

  alarm_name          = "${var.name}-unpriced-calls"
  alarm_description   = "Service ${local.service_name} made LLM calls without a cost (missing from CostUSD): a model without a known price, cache tokens without a known price, or a call whose token usage was unknown (\"usage_unknown\": true, e.g. a stream closed before its metadata event). See the unpriced-models question; only unknown prices are fixed in model_prices."
  namespace           = var.metric_namespace
  metric_name         = "UnpricedCalls"
  dimensions          = { Service = local.service_name }
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  for_each = local.lambda_error_alarm_functions

  alarm_name          = "${var.name}-lambda-errors-${each.value}"
  alarm_description   = "Lambda function ${each.value} reported errors."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "lambda_throttles" {
  for_each = local.lambda_throttle_alarm_functions

  alarm_name          = "${var.name}-lambda-throttles-${each.value}"
  alarm_description   = "Lambda function ${each.value} was throttled."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = var.tags
}
