# Every alarm of the deck, each off unless asked for: on the {Service} rollup metrics
# (alarms cannot aggregate models with SEARCH), on the AWS/Lambda metrics of function_names,
# the hourly cost's anomaly band, the account's Bedrock spend (account.tf's queries) and the
# biggest contributor's spend (contributor_insights.tf's rules). Period, evaluation periods
# and datapoints to alarm of each come from alarm_evaluation.tf.
#
# A new service or Lambda alarm is one row in a table below: a service alarm in
# service_alarms, a per-function Lambda alarm in lambda_alarms. Every row has the same
# columns; a service row leaves out those that have their usual value (alarm_defaults).

locals {
  alarm_actions = compact([var.alarm_sns_topic_arn, one(aws_sns_topic.this[*].arn)])

  # "M of N periods of P minutes", for the descriptions.
  alarm_window = {
    for id, e in local.alarm_evaluation : id => "${e.datapoints_to_alarm} of ${e.evaluation_periods} periods of ${e.period / 60} minutes"
  }

  # The columns an alarm row leaves out when it has the usual value: above the threshold,
  # missing data not breaching.
  alarm_defaults = {
    comparison         = "GreaterThanThreshold"
    treat_missing_data = "notBreaching"
  }

  # Service alarms by alarm id. A row has either metric (one metric and its statistic) or
  # metric_queries (a metric math expression over metrics); the other is left out (null).
  # Period, evaluation periods and datapoints to alarm come from local.alarm_evaluation
  # (alarm_evaluation.tf), by the same id.
  service_alarms = {
    # The calendar day: CostTodayUSD is published every 5 minutes by the budget function
    # (budget_function.tf), the spend since midnight in budget_time_zone, 0 on a quiet day.
    # Missing data is a run that failed or never came: breaching, so the alarm notifies
    # ("breaching: missing data points are treated as breaching the threshold", CloudWatch
    # User Guide, "Configuring how CloudWatch alarms treat missing data").
    daily_cost = {
      enabled            = var.alarms.daily_cost_budget_usd != null
      name_suffix        = "daily-cost"
      description        = "LLM spend of service ${local.service_name} today (since midnight, ${var.budget_time_zone}) exceeds the ${coalesce(var.alarms.daily_cost_budget_usd, 0)} USD daily budget, or the budget function stopped publishing it."
      metric             = { name = "CostTodayUSD", statistic = "Maximum", extended_statistic = null }
      threshold          = var.alarms.daily_cost_budget_usd
      treat_missing_data = "breaching"
    }
    # Runaway detection: one hour (by default) costing more than its share of the day's
    # budget times the pace factor.
    cost_pace = {
      enabled     = var.alarms.daily_cost_budget_usd != null && var.alarms.cost_pace_factor > 0
      name_suffix = "cost-pace"
      description = "LLM spend of service ${local.service_name} in ${local.alarm_evaluation.cost_pace.period / 60} minutes exceeds ${var.alarms.cost_pace_factor} x its share of the ${coalesce(var.alarms.daily_cost_budget_usd, 0)} USD daily budget: a runaway pace."
      metric      = { name = "CostUSD", statistic = "Sum", extended_statistic = null }
      threshold   = coalesce(var.alarms.daily_cost_budget_usd, 0) * local.alarm_evaluation.cost_pace.period / 86400 * var.alarms.cost_pace_factor
    }
    llm_error_rate = {
      enabled     = var.alarms.llm_error_rate_percent != null
      name_suffix = "llm-error-rate"
      description = "More than ${coalesce(var.alarms.llm_error_rate_percent, 0)}% of the LLM calls of service ${local.service_name} fail (${local.alarm_window.llm_error_rate})."
      metric_queries = [
        { id = "error_rate", expression = "100 * FILL(errors, 0) / calls", label = "LLM error rate (%)", return_data = true, metric_name = null, stat = null },
        { id = "errors", expression = null, label = null, return_data = false, metric_name = "Errors", stat = "Sum" },
        { id = "calls", expression = null, label = null, return_data = false, metric_name = "Calls", stat = "Sum" },
      ]
      threshold = var.alarms.llm_error_rate_percent
    }
    llm_latency_p99 = {
      enabled     = var.alarms.llm_latency_p99_ms != null
      name_suffix = "llm-latency-p99"
      description = "p99 latency of the LLM calls of service ${local.service_name} exceeds ${coalesce(var.alarms.llm_latency_p99_ms, 0)} ms (${local.alarm_window.llm_latency_p99})."
      metric      = { name = "LatencyMs", statistic = null, extended_statistic = "p99" }
      threshold   = var.alarms.llm_latency_p99_ms
    }
    unpriced_calls = {
      enabled     = var.alarms.unpriced_calls
      name_suffix = "unpriced-calls"
      description = "Service ${local.service_name} made LLM calls without a cost (missing from CostUSD): a model without a known price, cache tokens without a known price, or a call whose token usage was unknown (\"usage_unknown\": true, e.g. a stream closed before its metadata event). See the unpriced-models question; only unknown prices are fixed in model_prices."
      metric      = { name = "UnpricedCalls", statistic = "Sum", extended_statistic = null }
      threshold   = 0
    }
  }

  service_alarm_rows = {
    for id, row in local.service_alarms : id => merge(local.alarm_defaults, { metric = null, metric_queries = null }, row)
  }

  # Lambda alarms by alarm id; each enabled row is one alarm per entry of function_names.
  lambda_alarms = {
    errors = {
      enabled     = var.alarms.lambda_errors
      metric_name = "Errors"
      happened    = "reported errors"
    }
    throttles = {
      enabled     = var.alarms.lambda_throttles
      metric_name = "Throttles"
      happened    = "was throttled"
    }
  }

  # Columns every Lambda alarm shares: any error or throttle in a period (five minutes by
  # default; alarms.evaluation lambda_errors / lambda_throttles).
  lambda_alarm = merge(local.alarm_defaults, { statistic = "Sum", threshold = 0 })

  # The biggest contributor's spend, per attribution key (INSIGHT_RULE_METRIC ...
  # MaxContributorValue of its Contributor Insights rule).
  contributor_alarm_keys = var.create && var.alarms.contributor_cost_usd != null ? toset(var.attribution_keys) : toset([])

  # Where each service alarm reads its metrics: this account ("", keyed by the alarm id) and,
  # in a monitoring account, each source account ("<alarm id>/<account>", every metric query
  # with that account_id: MetricDataQuery AccountId, "use this to specify which account
  # contains the metric that the alarm is watching", CloudWatch API Reference). A monitoring
  # deck without metric filters of its own has no metrics here, so no alarm of its own.
  service_alarm_accounts = concat(
    length(var.source_account_ids) == 0 || local.create_metric_filters ? [""] : [],
    distinct(var.source_account_ids),
  )
  enabled_service_alarms = merge([
    for account in local.service_alarm_accounts : {
      for id, row in local.service_alarm_rows : (account == "" ? id : "${id}/${account}") => merge(row, {
        id         = id
        account_id = account == "" ? null : account
        # A source account's alarm is always metric math: an account is only given per query.
        metric_queries = account == "" || row.metric_queries != null ? row.metric_queries : [{
          id   = "m", expression = null, label = null, return_data = true, metric_name = row.metric.name,
          stat = coalesce(row.metric.statistic, row.metric.extended_statistic),
        }]
        metric = account == "" ? row.metric : null
      }) if var.create && row.enabled
    }
  ]...)
  # One instance per enabled Lambda row and function, keyed "<alarm id>/<function name>".
  lambda_alarm_instances = {
    for pair in setproduct(keys(local.lambda_alarms), var.function_names) : "${pair[0]}/${pair[1]}" => {
      id            = pair[0]
      function_name = pair[1]
    } if var.create && local.lambda_alarms[pair[0]].enabled
  }

  alarm_arns = merge(
    { for a in aws_cloudwatch_metric_alarm.service : a.alarm_name => a.arn },
    { for a in aws_cloudwatch_metric_alarm.lambda : a.alarm_name => a.arn },
    { for a in aws_cloudwatch_metric_alarm.account_daily_cost : a.alarm_name => a.arn },
    { for a in aws_cloudwatch_metric_alarm.cost_anomaly : a.alarm_name => a.arn },
    { for a in aws_cloudwatch_metric_alarm.contributor_cost : a.alarm_name => a.arn }, # contributor_insights.tf
  )

  # Known at plan time (from the tables), so the dashboard knows whether to show alarms.
  alarm_count = (
    length(local.enabled_service_alarms) + length(local.lambda_alarm_instances) + local.account_alarm_count
    + (var.create && var.alarms.cost_anomaly_band != null ? 1 : 0) + length(local.contributor_alarm_keys)
  )
}

resource "aws_cloudwatch_metric_alarm" "service" {
  for_each = local.enabled_service_alarms

  alarm_name          = each.value.account_id == null ? "${var.name}-${each.value.name_suffix}" : "${var.name}-${each.value.name_suffix}-${each.value.account_id}"
  alarm_description   = each.value.account_id == null ? each.value.description : "Account ${each.value.account_id}: ${each.value.description}"
  namespace           = each.value.metric == null ? null : var.metric_namespace
  metric_name         = try(each.value.metric.name, null)
  dimensions          = each.value.metric == null ? null : { Service = local.service_name }
  statistic           = try(each.value.metric.statistic, null)
  extended_statistic  = try(each.value.metric.extended_statistic, null)
  period              = each.value.metric == null ? null : local.alarm_evaluation[each.value.id].period
  evaluation_periods  = local.alarm_evaluation[each.value.id].evaluation_periods
  datapoints_to_alarm = local.alarm_evaluation[each.value.id].datapoints_to_alarm
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = each.value.treat_missing_data
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dynamic "metric_query" {
    for_each = coalesce(each.value.metric_queries, [])
    content {
      id          = metric_query.value.id
      expression  = metric_query.value.expression
      label       = metric_query.value.label
      return_data = metric_query.value.return_data
      account_id  = metric_query.value.metric_name == null ? null : each.value.account_id

      dynamic "metric" {
        for_each = metric_query.value.metric_name == null ? [] : [metric_query.value]
        content {
          namespace   = var.metric_namespace
          metric_name = metric.value.metric_name
          dimensions  = { Service = local.service_name }
          stat        = metric.value.stat
          period      = local.alarm_evaluation[each.value.id].period
        }
      }
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = !contains(local.alarm_evaluation_errors, each.value.id)
      error_message = "The alarms evaluation of ${each.value.id} must keep period x evaluation_periods within one day and datapoints_to_alarm at most evaluation_periods."
    }

    precondition {
      condition     = each.value.id != "daily_cost" || local.create_budget_function
      error_message = "The daily cost budget needs the budget function (create_budget_function = true and package_path): its alarm watches CostTodayUSD, which the function publishes."
    }
  }
}

moved {
  from = aws_cloudwatch_metric_alarm.daily_cost[0]
  to   = aws_cloudwatch_metric_alarm.service["daily_cost"]
}

moved {
  from = aws_cloudwatch_metric_alarm.llm_error_rate[0]
  to   = aws_cloudwatch_metric_alarm.service["llm_error_rate"]
}

moved {
  from = aws_cloudwatch_metric_alarm.llm_latency_p99[0]
  to   = aws_cloudwatch_metric_alarm.service["llm_latency_p99"]
}

moved {
  from = aws_cloudwatch_metric_alarm.unpriced_calls[0]
  to   = aws_cloudwatch_metric_alarm.service["unpriced_calls"]
}

# Opt-in runaway detection by shape rather than by amount: an hour's CostUSD above the
# band CloudWatch anomaly detection learns from the metric's history (ANOMALY_DETECTION_BAND
# with alarms.cost_anomaly_band standard deviations; the model needs some days of data
# before the band means much).
resource "aws_cloudwatch_metric_alarm" "cost_anomaly" {
  count = var.create && var.alarms.cost_anomaly_band != null ? 1 : 0

  alarm_name          = "${var.name}-cost-anomaly"
  alarm_description   = "The hourly LLM cost of service ${local.service_name} is above its anomaly detection band (${var.alarms.cost_anomaly_band} standard deviations)."
  comparison_operator = "GreaterThanUpperThreshold"
  evaluation_periods  = local.alarm_evaluation.cost_anomaly.evaluation_periods
  datapoints_to_alarm = local.alarm_evaluation.cost_anomaly.datapoints_to_alarm
  threshold_metric_id = "band"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "cost"
    return_data = true

    metric {
      namespace   = var.metric_namespace
      metric_name = "CostUSD"
      dimensions  = { Service = local.service_name }
      stat        = "Sum"
      period      = local.alarm_evaluation.cost_anomaly.period
    }
  }

  metric_query {
    id          = "band"
    expression  = "ANOMALY_DETECTION_BAND(cost, ${var.alarms.cost_anomaly_band})"
    label       = "Expected hourly cost (USD)"
    return_data = true
  }

  tags = var.tags
}

# The account's Bedrock spend (AWS/Bedrock and, for account_mantle_model_ids,
# AWS/BedrockMantle) against a daily budget. With the budget function (always in the root
# module): AccountCostTodayUSD, the spend since midnight in budget_time_zone that the
# function prices from the same metrics, like the deck's own daily_cost (missing data is a
# failed run: breaching). Without it: the last 24 hours by metric math, which may reference
# at most 10 metrics and 10 expressions (CloudWatch User Guide, "Limits
# that apply to alarms based on metric math expressions": a hard limit).
resource "aws_cloudwatch_metric_alarm" "account_daily_cost" {
  count = local.account_alarm_count

  alarm_name          = "${var.name}-account-daily-cost"
  alarm_description   = local.create_budget_function ? "Amazon Bedrock spend of the whole account in this Region (models ${join(", ", local.account_view_model_ids)}) today (since midnight, ${var.budget_time_zone}) exceeds the ${var.alarms.account_daily_cost_budget_usd} USD budget, or the budget function stopped publishing it." : "Amazon Bedrock spend of the whole account in this Region (models ${join(", ", local.account_view_model_ids)}) over one day exceeds the ${var.alarms.account_daily_cost_budget_usd} USD budget."
  namespace           = local.create_budget_function ? var.metric_namespace : null
  metric_name         = local.create_budget_function ? "AccountCostTodayUSD" : null
  statistic           = local.create_budget_function ? "Maximum" : null
  period              = local.create_budget_function ? local.alarm_evaluation.daily_cost.period : null
  evaluation_periods  = 1
  threshold           = var.alarms.account_daily_cost_budget_usd
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = local.create_budget_function ? "breaching" : "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dynamic "metric_query" {
    for_each = [for q in local.account_spend_queries_by_period["86400"] : q if !local.create_budget_function]
    content {
      id          = metric_query.value.Id
      label       = metric_query.value.Label
      return_data = metric_query.value.ReturnData
      expression  = try(metric_query.value.Expression, null)

      dynamic "metric" {
        for_each = can(metric_query.value.MetricStat) ? [metric_query.value.MetricStat] : []
        content {
          namespace   = metric.value.Metric.Namespace
          metric_name = metric.value.Metric.MetricName
          dimensions  = { for d in metric.value.Metric.Dimensions : d.Name => d.Value }
          period      = metric.value.Period
          stat        = metric.value.Stat
        }
      }
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.create_budget_function || (local.account_metric_count <= 10 && local.account_expression_count <= 10)
      error_message = "The account-spend alarm would reference ${local.account_metric_count} metrics and ${local.account_expression_count} expressions, but an alarm's metric math allows at most 10 of each: list fewer account_model_ids or account_mantle_model_ids, or turn the alarm off."
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "contributor_cost" {
  for_each = local.contributor_alarm_keys

  alarm_name          = "${var.name}-cost-per-${each.value}"
  alarm_description   = "One ${each.value} of service ${local.service_name} spent more than ${var.alarms.contributor_cost_usd} USD of LLM calls in ${local.alarm_evaluation.contributor_cost.period / 60} minutes (the top contributor of rule ${local.contributor_rules[each.value].name})."
  evaluation_periods  = local.alarm_evaluation.contributor_cost.evaluation_periods
  datapoints_to_alarm = local.alarm_evaluation.contributor_cost.datapoints_to_alarm
  threshold           = var.alarms.contributor_cost_usd
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "top"
    expression  = "INSIGHT_RULE_METRIC('${local.contributor_rules[each.value].name}', 'MaxContributorValue')"
    label       = "Biggest ${each.value}'s cost (USD)"
    period      = local.alarm_evaluation.contributor_cost.period
    return_data = true
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_contributor_insight_rule.this]
}

resource "aws_cloudwatch_metric_alarm" "lambda" {
  for_each = local.lambda_alarm_instances

  alarm_name          = "${var.name}-lambda-${each.value.id}-${each.value.function_name}"
  alarm_description   = "Lambda function ${each.value.function_name} ${local.lambda_alarms[each.value.id].happened}."
  namespace           = "AWS/Lambda"
  metric_name         = local.lambda_alarms[each.value.id].metric_name
  dimensions          = { FunctionName = each.value.function_name }
  statistic           = local.lambda_alarm.statistic
  period              = local.alarm_evaluation["lambda_${each.value.id}"].period
  evaluation_periods  = local.alarm_evaluation["lambda_${each.value.id}"].evaluation_periods
  datapoints_to_alarm = local.alarm_evaluation["lambda_${each.value.id}"].datapoints_to_alarm
  threshold           = local.lambda_alarm.threshold
  comparison_operator = local.lambda_alarm.comparison
  treat_missing_data  = local.lambda_alarm.treat_missing_data
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = var.tags

  lifecycle {
    precondition {
      condition     = !contains(local.alarm_evaluation_errors, "lambda_${each.value.id}")
      error_message = "The alarms evaluation of lambda_${each.value.id} must keep period x evaluation_periods within one day and datapoints_to_alarm at most evaluation_periods."
    }
  }
}

# The Lambda alarms were two resources keyed by function name. A moved block cannot name
# keys that come from function_names, so the old resources are forgotten, not destroyed:
# the new ones have the same alarm names and PutMetricAlarm updates an existing alarm of
# that name in place (CloudWatch API Reference, PutMetricAlarm).
removed {
  from = aws_cloudwatch_metric_alarm.lambda_errors

  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_cloudwatch_metric_alarm.lambda_throttles

  lifecycle {
    destroy = false
  }
}

# --- The budget function's own failures (issue 18: failures are loud) ---------------------
#
# A budget run that could not read, publish, brake or restore ends in a function error
# (genai_observability.budget.lambda_handler raises after doing all it can), which Lambda
# counts in AWS/Lambda Errors {FunctionName}. This alarm notifies the deck's topic on the
# first one. A run that never comes is caught by the daily alarms' missing data (breaching).
# It comes with the budget function and is not one of the deck's alarms (alarm_arns, the
# dashboard's alarm widget), which stay off unless asked for.
resource "aws_cloudwatch_metric_alarm" "budget_function_errors" {
  count = local.create_budget_function ? 1 : 0

  alarm_name          = "${local.budget_function_name}-errors"
  alarm_description   = "The budget function ${local.budget_function_name} failed: it could not read or publish today's spend, set a brake or lift one (see its log group /aws/lambda/${local.budget_function_name}: one budget_error line per failure)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = local.budget_function_name }
  statistic           = "Sum"
  period              = local.alarm_evaluation.daily_cost.period
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = var.tags
}
