locals {
  # The contract's metrics: JSON pattern condition (beyond event = "llm_call"), value and unit.
  # Numeric comparisons also guard the value: a null cost_usd (unknown price) fails
  # `>= 0`, so unpriced calls never publish a silent 0 to CostUSD.
  contract_metrics = {
    CostUSD          = { condition = "$.cost_usd >= 0", value = "$.cost_usd", unit = "None" }
    InputTokens      = { condition = "$.input_tokens >= 0", value = "$.input_tokens", unit = "Count" }
    OutputTokens     = { condition = "$.output_tokens >= 0", value = "$.output_tokens", unit = "Count" }
    CacheReadTokens  = { condition = "$.cache_read_tokens >= 0", value = "$.cache_read_tokens", unit = "Count" }
    CacheWriteTokens = { condition = "$.cache_write_tokens >= 0", value = "$.cache_write_tokens", unit = "Count" }
    LatencyMs        = { condition = "$.latency_ms >= 0", value = "$.latency_ms", unit = "Milliseconds" }
    Calls            = { condition = null, value = "1", unit = "Count" }
    Errors           = { condition = "$.status = \"error\"", value = "1", unit = "Count" }
    UnpricedCalls    = { condition = "$.pricing = \"unknown\"", value = "1", unit = "Count" }
    # Streams only: the ttft_ms key (time from the call to the first content delta).
    TimeToFirstTokenMs = { condition = "$.ttft_ms >= 0", value = "$.ttft_ms", unit = "Milliseconds" }
  }

  # Each metric is published per {Service, Model}; the ones alarms and headline widgets
  # need are also published per {Service} alone, because alarms cannot aggregate
  # across models with SEARCH. Same metric name, different dimension set.
  rollup_metrics = ["CostUSD", "Calls", "Errors", "LatencyMs", "UnpricedCalls"]

  model_dimensions   = { Service = "$.service", Model = "$.model" }
  service_dimensions = { Service = "$.service" }

  contract_filters = merge(
    {
      for m, d in local.contract_metrics : m => {
        name        = "${var.name}-${m}"
        pattern     = d.condition == null ? "{ $.event = \"llm_call\" }" : "{ $.event = \"llm_call\" && ${d.condition} }"
        metric_name = m
        value       = d.value
        unit        = d.unit
        dimensions  = local.model_dimensions
      }
    },
    {
      for m in local.rollup_metrics : "${m}-by-service" => {
        name        = "${var.name}-${m}-by-service"
        pattern     = local.contract_metrics[m].condition == null ? "{ $.event = \"llm_call\" }" : "{ $.event = \"llm_call\" && ${local.contract_metrics[m].condition} }"
        metric_name = m
        value       = local.contract_metrics[m].value
        unit        = local.contract_metrics[m].unit
        dimensions  = local.service_dimensions
      }
    },
  )

  # Blog-style log_metric lines: {"metric": "<name>", "value": <v>, "unit": ..., ...properties}.
  custom_filters = {
    for m, d in var.custom_metrics : "custom-${m}" => {
      name        = "${var.name}-custom-${m}"
      pattern     = "{ $.metric = \"${m}\" }"
      metric_name = m
      value       = "$.value"
      unit        = d.unit
      dimensions  = d.dimensions
    }
  }

  metric_filters = merge(local.contract_filters, local.custom_filters)

  metric_units = merge(
    { for m, d in local.contract_metrics : m => d.unit },
    { for m, d in var.custom_metrics : m => d.unit },
  )
}

resource "aws_cloudwatch_log_metric_filter" "this" {
  for_each = local.create_metric_filters ? local.metric_filters : {}

  name           = each.value.name
  log_group_name = local.primary_log_group_name
  pattern        = each.value.pattern

  metric_transformation {
    name      = each.value.metric_name
    namespace = var.metric_namespace
    value     = each.value.value
    unit      = each.value.unit
    # Metric filters with dimensions accept no default_value: no match, no data point.
    dimensions = length(each.value.dimensions) > 0 ? each.value.dimensions : null
  }
}
