# Time to first token (streams only): p50 and p90 per model, next to the slowest first
# tokens. TimeToFirstTokenMs comes from the ttft_ms key, which only streamed calls carry, so
# a deck without streams shows an empty graph, not zeros.

locals {
  ttft_series = [
    for s in [["p50", "p50"], ["p90", "p90"]] : [{
      id         = "ttft_${s[0]}"
      expression = "SEARCH('${local.search_schema} MetricName=\"TimeToFirstTokenMs\" Service=\"${local.service_name}\"', '${s[1]}', 300)"
      label      = "${s[0]} ${local.model_label}"
    }]
  ]

  dashboard_ttft_rows = [
    {
      height = 6
      widgets = [
        {
          type  = "metric"
          width = 12
          properties = {
            title   = "Time to first token by model: p50, p90 (ms, streams)"
            region  = local.region
            view    = "timeSeries"
            stacked = false
            period  = 300
            metrics = local.ttft_series
          }
        },
        {
          type  = "log"
          width = 12
          properties = {
            title  = "Slowest first tokens (streams)"
            region = local.region
            view   = "table"
            query  = local.log_table_queries["slowest-first-token"]
          }
        },
      ]
    },
  ]
}
