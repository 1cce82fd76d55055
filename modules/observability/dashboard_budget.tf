# The budget and cost attribution on the dashboard: "Spent today" as the budget function
# computed it (CostTodayUSD, the budget's calendar day, not a rolling 24 hours) in the first
# row, its last 7 days against the budget line in the second, and the top contributors of
# each attribution key. dashboard.tf places them.

locals {
  budget_title_suffix = local.budget_usd == null ? "" : " of ${local.budget_usd} USD"

  # The first row's "Spent today" (dashboard.tf): the budget function's CostTodayUSD, the
  # calendar day of budget_time_zone, next to what is left of the budget. A single value
  # shows the most recent data point of each series in the dashboard's range (the function
  # publishes every 5 minutes, even 0).
  spent_today_widgets = local.create_budget_function ? [
    {
      type  = "metric"
      width = 6
      properties = {
        title  = "Spent today${local.budget_title_suffix} (${var.budget_time_zone} day)"
        region = local.region
        view   = "singleValue"
        period = 300
        stat   = "Maximum"
        metrics = concat(
          [[var.metric_namespace, "CostTodayUSD", "Service", local.service_name, { id = "spent", label = "Spent today (USD)" }]],
          local.budget_usd == null ? [] : [[{ expression = "${local.budget_usd} - spent", id = "left", label = "Left of the budget (USD)" }]],
        )
      }
    },
  ] : []

  # The second row's budget chart (dashboard.tf): spend since the start of each day over
  # the last 7 days, against the budget line.
  spent_week_widgets = local.create_budget_function ? [
    {
      type  = "metric"
      width = 12
      properties = merge(
        {
          title   = "Spend since the start of the day, last 7 days (USD)"
          region  = local.region
          view    = "timeSeries"
          stacked = false
          start   = "-P7D"
          period  = 300
          stat    = "Maximum"
          metrics = [[var.metric_namespace, "CostTodayUSD", "Service", local.service_name, { label = "Spent today" }]]
          yAxis   = { left = { min = 0, label = "USD", showUnits = false } }
        },
        # The budget line, when there is a budget (annotations.horizontal).
        {
          for k, v in { annotations = { horizontal = [{ label = "Daily budget", value = local.budget_usd, color = "#d62728" }] } } :
          k => v if local.budget_usd != null
        },
      )
    },
  ] : []

  # Cost attribution, two keys per row (dashboard.tf adds the rows below the others).
  attribution_dashboard_rows = [
    for keys in chunklist(local.create_contributor_insights ? var.attribution_keys : [], 2) : {
      height = 6
      widgets = [
        for k in keys : {
          type  = "metric"
          width = 24 / length(keys)
          properties = {
            title   = "Top ${k} by cost (USD per hour)"
            region  = local.region
            view    = "timeSeries"
            stacked = false
            period  = 3600
            insightRule = {
              maxContributorCount = 10
              orderBy             = "Sum"
              ruleName            = local.contributor_rules[k].name
            }
            legend = { position = "right" }
          }
        }
      ]
    }
  ]
}
