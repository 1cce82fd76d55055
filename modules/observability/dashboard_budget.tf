# Dashboard rows of the budget and of cost attribution, added once to dashboard.tf's rows:
# "Spent today" as the budget function computed it (CostTodayUSD, the budget's calendar
# day, not a rolling 24 hours), and the top contributors of each attribution key.

locals {
  budget_title_suffix = local.budget_usd == null ? "" : " of ${local.budget_usd} USD"

  budget_dashboard_rows = concat([
    local.create_budget_function ? {
      height = 6
      widgets = [
        {
          type  = "metric"
          width = 6
          properties = {
            title   = "Spent today${local.budget_title_suffix} (${var.budget_time_zone} day)"
            region  = local.region
            view    = "singleValue"
            period  = 300
            stat    = "Maximum"
            metrics = [[var.metric_namespace, "CostTodayUSD", "Service", local.service_name, { label = "Spent today (USD)" }]]
          }
        },
        {
          type  = "metric"
          width = 18
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
            # The budget line, when there is a budget.
            {
              for k, v in { annotations = { horizontal = [{ label = "Daily budget", value = local.budget_usd, color = "#d62728" }] } } :
              k => v if local.budget_usd != null
            },
          )
        },
      ]
    } : null,
    ],
    # Two attribution keys per row.
    [
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
    ],
  )
}
