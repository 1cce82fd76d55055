# One dashboard, built as data and jsonencoded. Widgets are declared row by row with
# their widths; x and y are computed below, so rows never overlap and no row is wider
# than the 24-column grid. Per-model series use SEARCH over {namespace, Model, Service}
# (the model set is bounded but unknown); headline numbers use the {Service} rollups.

locals {
  # SEARCH needs double quotes around a namespace with non-alphanumeric characters.
  search_namespace = can(regex("^[A-Za-z0-9]+$", var.metric_namespace)) ? var.metric_namespace : "\"${var.metric_namespace}\""
  search_schema    = "{${local.search_namespace},Model,Service}"

  dashboard_url = "https://${local.region}.${lookup(local.console_domains, local.partition, "console.aws.amazon.com")}/cloudwatch/home?region=${local.region}#dashboards/dashboard/${var.name}"
  console_domains = {
    aws        = "console.aws.amazon.com"
    aws-cn     = "console.amazonaws.cn"
    aws-us-gov = "console.amazonaws-us-gov.com"
  }

  log_sources = join(" | ", [for g in local.log_group_names : "SOURCE '${g}'"])

  by_service = { for m in local.rollup_metrics : m => [var.metric_namespace, m, "Service", local.service_name] }

  # One SEARCH expression per model series: [metric, statistic, period, label, id].
  # Labels are dynamic (one line per model): ${PROP('Dim.Model')}.
  model_label = "$${PROP('Dim.Model')}"
  search_series = {
    cost_per_day  = [["CostUSD", "Sum", 86400, local.model_label, "cost"]]
    cost_by_model = [["CostUSD", "Sum", 3600, local.model_label, "cost"]]
    input_tokens  = [["InputTokens", "Sum", 300, local.model_label, "input"]]
    output_tokens = [["OutputTokens", "Sum", 300, local.model_label, "output"]]
    cache_tokens = [
      ["CacheReadTokens", "Sum", 300, "read ${local.model_label}", "read"],
      ["CacheWriteTokens", "Sum", 300, "write ${local.model_label}", "write"],
    ]
    latency = [
      ["LatencyMs", "p50", 300, "p50 ${local.model_label}", "p50"],
      ["LatencyMs", "p90", 300, "p90 ${local.model_label}", "p90"],
      ["LatencyMs", "p99", 300, "p99 ${local.model_label}", "p99"],
    ]
  }

  search_metrics = {
    for k, series in local.search_series : k => [
      for s in series : [{
        id         = s[4]
        expression = "SEARCH('${local.search_schema} MetricName=\"${s[0]}\" Service=\"${local.service_name}\"', '${s[1]}', ${s[2]})"
        label      = s[3]
      }]
    ]
  }

  lambda_widgets = [
    for m in [
      { title = "Lambda invocations", metric = "Invocations", stat = "Sum", width = 5 },
      { title = "Lambda errors", metric = "Errors", stat = "Sum", width = 5 },
      { title = "Lambda throttles", metric = "Throttles", stat = "Sum", width = 5 },
      { title = "Lambda duration p99 (ms)", metric = "Duration", stat = "p99", width = 5 },
      { title = "Lambda concurrent executions", metric = "ConcurrentExecutions", stat = "Maximum", width = 4 },
      ] : {
      type  = "metric"
      width = m.width
      properties = {
        title   = m.title
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 300
        metrics = [for f in var.function_names : ["AWS/Lambda", m.metric, "FunctionName", f, { stat = m.stat, label = f }]]
      }
    }
  ]

  # The first row answers the deck's question: how much was spent today, against the
  # budget, and on which models. The CloudWatch facts it relies on:
  # - a widget's own `start` is relative ("-PT24H", "-P7D") or, with `end`, an absolute
  #   ISO 8601 time; nothing means "since midnight" (Dashboard Body Structure,
  #   docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html;
  #   CDK SingleValueWidget `start`/`end`, docs.aws.amazon.com/cdk/api/v2/python/aws_cdk.aws_cloudwatch/SingleValueWidget.html);
  # - a single value shows "the most recent value for every metric", or with
  #   `setPeriodToTimeRange` "the value from the entire time range" (same CDK page);
  # - GetMetricData rounds a start time down to the minute, not to a day
  #   (docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html,
  #   StartTime), so no `period` lines up with midnight.
  # The calendar day therefore comes from the budget function's CostTodayUSD, read as its
  # latest value (dashboard_budget.tf, with the budget beside it and, below, as the
  # `annotations.horizontal` line of the 7-day chart). Without the budget function the row
  # says "last 24 hours", the window it really sums, never "today".
  header_widget = {
    type  = "text"
    width = 4
    properties = {
      markdown = join("\n", [
        "## ${var.name}",
        "Service `${local.service_name}`, namespace `${var.metric_namespace}`.",
        "One JSON line per LLM call in ${join(", ", [for g in local.log_group_names : "`${g}`"])}.",
        "Saved questions: Logs Insights folder `${var.name}`, or `genai-obs`.",
        "USD from the price catalog; unpriced calls are counted apart, never as 0.",
      ])
    }
  }

  # The spend of the last 24 hours at a glance, and its split by model: each sums its own
  # window (whatever range the dashboard shows) into one value per series.
  last_24_hours_widgets = [
    for w in [
      {
        title   = "Cost and calls, last 24 hours"
        view    = "singleValue"
        width   = local.create_budget_function ? 5 : 8
        period  = 300
        metrics = [concat(local.by_service["CostUSD"], [{ label = "Cost (USD)" }]), concat(local.by_service["Calls"], [{ label = "LLM calls" }])]
      },
      {
        title   = "Cost by model, last 24 hours (USD)"
        view    = "pie"
        width   = local.create_budget_function ? 9 : 12
        period  = 3600
        metrics = local.search_metrics["cost_by_model"]
      },
      ] : {
      type  = "metric"
      width = w.width
      properties = {
        title                = w.title
        region               = local.region
        view                 = w.view
        start                = "-PT24H"
        period               = w.period
        stat                 = "Sum"
        setPeriodToTimeRange = true
        metrics              = w.metrics
      }
    }
  ]

  # A saved question as a log table's query: over the deck's log groups, on one line.
  log_table_queries = { for q, query in local.queries : q => "${local.log_sources} | ${replace(query, "\n", " ")}" }

  # Rows of like widgets, by key: their type, width and shared properties, and per widget
  # its title and its own properties (dashboard_account.tf adds its rows). Every one is
  # drawn in this Region.
  like_widget_rows = merge(local.account_like_widget_rows, {
    tokens = {
      type = "metric", width = 8, properties = { view = "timeSeries", stacked = true, period = 300, stat = "Sum" }
      widgets = [
        { title = "Input tokens by model", properties = { metrics = local.search_metrics["input_tokens"] } },
        { title = "Output tokens by model", properties = { metrics = local.search_metrics["output_tokens"] } },
        { title = "Cache tokens by model (read, write)", properties = { metrics = local.search_metrics["cache_tokens"] } },
      ]
    }
    calls = {
      type = "log", width = 12, properties = { view = "table" }
      widgets = [
        { title = "Most expensive calls", properties = { query = local.log_table_queries["most-expensive-calls"] } },
        { title = "Slowest calls (latency next to tokens and cost)", properties = { query = local.log_table_queries["slowest-calls"] } },
      ]
    }
  })

  like_widgets = {
    for key, row in local.like_widget_rows : key => [
      for w in row.widgets : {
        type       = row.type
        width      = row.width
        properties = merge({ title = w.title, region = local.region }, row.properties, w.properties)
      }
    ]
  }

  dashboard_rows_all = [
    {
      height  = 6
      widgets = concat([local.header_widget], local.spent_today_widgets, local.last_24_hours_widgets) # dashboard_budget.tf
    },
    {
      height = 6
      widgets = concat(local.spent_week_widgets, [ # dashboard_budget.tf
        {
          type  = "metric"
          width = local.create_budget_function ? 12 : 24
          # Its own time range (the last 7 days, whatever range the dashboard shows), so
          # a shorter dashboard range never cuts the one-day data points off.
          properties = {
            title   = "Cost per day by model, last 7 days (USD)"
            region  = local.region
            view    = "timeSeries"
            stacked = true
            start   = "-P7D"
            period  = 86400
            stat    = "Sum"
            metrics = local.search_metrics["cost_per_day"]
            yAxis   = { left = { min = 0, label = "USD", showUnits = false } }
          }
        },
      ])
    },
    { height = 6, widgets = local.like_widgets["tokens"] },
    {
      height = 6
      widgets = [
        {
          type  = "metric"
          width = 12
          properties = {
            title   = "LLM latency by model: p50, p90, p99 (ms)"
            region  = local.region
            view    = "timeSeries"
            stacked = false
            period  = 300
            metrics = local.search_metrics["latency"]
          }
        },
        {
          type  = "metric"
          width = 12
          properties = {
            title   = "LLM calls, errors and unpriced calls"
            region  = local.region
            view    = "timeSeries"
            stacked = false
            period  = 300
            stat    = "Sum"
            metrics = [
              concat(local.by_service["Calls"], [{ label = "Calls" }]),
              concat(local.by_service["Errors"], [{ label = "Errors", color = "#d62728" }]),
              concat(local.by_service["UnpricedCalls"], [{ label = "Unpriced calls", color = "#ff7f0e" }]),
            ]
          }
        },
      ]
    },
    length(var.function_names) > 0 ? { height = 6, widgets = local.lambda_widgets } : null,
    { height = 8, widgets = local.like_widgets["calls"] },
    local.alarm_count > 0 ? {
      height = 3
      widgets = [{
        type  = "alarm"
        width = 24
        properties = {
          title  = "Alarms"
          alarms = values(local.alarm_arns)
        }
      }]
    } : null,
  ]

  dashboard_rows = concat(
    [for r in concat(local.dashboard_rows_all, local.dashboard_ttft_rows, local.attribution_dashboard_rows) : r if r != null], # dashboard_ttft.tf, dashboard_budget.tf
    local.account_dashboard_rows,                                                                                              # dashboard_account.tf
  )

  dashboard_row_y = [
    for i, _ in local.dashboard_rows : sum(concat([0], [for j in range(i) : local.dashboard_rows[j].height]))
  ]

  dashboard_widgets = flatten([
    for i, r in local.dashboard_rows : [
      for j, w in r.widgets : merge(w, {
        x      = sum(concat([0], [for k in range(j) : r.widgets[k].width]))
        y      = local.dashboard_row_y[i]
        height = r.height
      })
    ]
  ])
}

resource "aws_cloudwatch_dashboard" "this" {
  count = local.create_dashboard ? 1 : 0

  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
