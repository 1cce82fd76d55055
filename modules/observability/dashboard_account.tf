# The dashboard's account rows (only with account_model_ids): the account's Bedrock spend
# by model and in total (the account_spend_metric_queries, drawn), the untracked spend
# (account total minus the deck's own CostUSD), and Bedrock's TimeToFirstToken,
# InvocationThrottles and EstimatedTPMQuotaUsage by model. dashboard.tf adds
# local.account_dashboard_rows to its rows.

locals {
  # GetMetricData queries -> dashboard metric arrays: a MetricStat becomes
  # [namespace, name, dim, value, {options}], an Expression becomes [{expression, ...}];
  # ReturnData false becomes visible = false.
  account_dashboard_metric_rows = {
    for key, queries in local.account_spend_queries : key => [
      for q in queries : concat(
        [q.MetricStat.Metric.Namespace, q.MetricStat.Metric.MetricName],
        flatten([for d in q.MetricStat.Metric.Dimensions : [d.Name, d.Value]]),
        [merge(
          { id = q.Id, stat = q.MetricStat.Stat, period = q.MetricStat.Period, label = q.Label, visible = false },
          { for k, v in { accountId = try(q.AccountId, "") } : k => v if v != "" },
        )],
      ) if can(q.MetricStat)
    ]
  }

  # Per account: the spend by model and in total (every cost expression shown) ...
  account_spend_by_model_metrics = {
    for scope in local.account_scopes : scope => concat(
      local.account_dashboard_metric_rows["${scope}/3600"],
      [for q in local.account_spend_queries["${scope}/3600"] : [{ expression = q.Expression, id = q.Id, label = q.Label, visible = true }] if can(q.Expression)],
    )
  }

  # ... and the account total next to the deck's CostUSD of the same models (the account
  # view's, either endpoint: a model the account side does not read is not subtracted),
  # the difference untracked.
  account_untracked_metrics = {
    for scope in local.account_scopes : scope => concat(
      local.account_dashboard_metric_rows["${scope}/3600"],
      [for q in local.account_spend_queries["${scope}/3600"] : [{ expression = q.Expression, id = q.Id, label = q.Label, visible = q.ReturnData }] if can(q.Expression)],
      [
        for i, m in local.account_view_model_ids : [var.metric_namespace, "CostUSD", "Service", local.service_name, "Model", m, merge(
          { id = "${local.account_scope_prefix[scope]}deck${i}", stat = "Sum", period = 3600, label = "Deck ${m}", visible = false },
          { for k, v in { accountId = scope } : k => v if v != "" },
        )]
      ],
      [
        [{ expression = join(" + ", [for i, m in local.account_view_model_ids : "FILL(${local.account_scope_prefix[scope]}deck${i}, 0)"]), id = "${local.account_scope_prefix[scope]}deck_cost", label = "Deck (CostUSD of ${local.service_name})" }],
        [{ expression = "${local.account_scope_prefix[scope]}account_total - ${local.account_scope_prefix[scope]}deck_cost", id = "${local.account_scope_prefix[scope]}untracked", label = "Untracked spend (USD)" }],
      ],
    )
  }

  account_model_metrics = {
    for key, spec in {
      ttft     = { metric = "TimeToFirstToken", stat = "Average", period = 300 }
      throttle = { metric = "InvocationThrottles", stat = "Sum", period = 300 }
      tpm      = { metric = "EstimatedTPMQuotaUsage", stat = "Sum", period = 60 }
      } : key => [
      for m in local.account_model_ids : ["AWS/Bedrock", spec.metric, "ModelId", m, { stat = spec.stat, period = spec.period, label = m }]
    ]
  }

  # The account rows' like widgets (dashboard.tf's like_widget_rows): per account, its
  # spend; then latency, throttles and quota by model.
  account_like_widget_rows = merge(
    {
      for scope in local.account_scopes : "account_spend/${scope}" => {
        type = "metric", width = 12, properties = { period = 3600 }
        widgets = [
          {
            title      = scope == "" ? "Bedrock spend by model, whole account, this Region (USD per hour)" : "Account ${scope}: Bedrock spend by model, this Region (USD per hour)"
            properties = { view = "timeSeries", stacked = false, metrics = local.account_spend_by_model_metrics[scope], yAxis = { left = { min = 0, label = "USD", showUnits = false } } }
          },
          # Every caller in the account (AWS/Bedrock, priced with the catalog) next to what
          # the deck's lines recorded; the difference is spend nobody instrumented.
          {
            title      = scope == "" ? "Account vs deck spend, this Region, last 24 hours (USD)" : "Account ${scope}: account vs deck spend, this Region, last 24 hours (USD)"
            properties = { view = "singleValue", start = "-PT24H", setPeriodToTimeRange = true, metrics = local.account_untracked_metrics[scope] }
          },
        ]
      }
    },
    {
      account_models = {
        type = "metric", width = 8, properties = { view = "timeSeries", stacked = false }
        widgets = [
          { title = "Bedrock time to first token by model (ms, streams)", properties = { metrics = local.account_model_metrics["ttft"] } },
          { title = "Bedrock throttled invocations by model", properties = { metrics = local.account_model_metrics["throttle"] } },
          { title = "Bedrock estimated TPM quota usage by model (tokens per minute)", properties = { metrics = local.account_model_metrics["tpm"] } },
        ]
      }
    },
  )

  account_dashboard_rows = [for r in concat(
    [{ height = 6, widgets = local.like_widgets["account_spend/"] }],
    # Latency, throttles and quota by model: AWS/Bedrock's models (bedrock-mantle publishes
    # none of these).
    length(local.account_model_ids) == 0 ? [] : [{ height = 6, widgets = local.like_widgets["account_models"] }],
    [for a in distinct(var.source_account_ids) : { height = 6, widgets = local.like_widgets["account_spend/${a}"] }],
  ) : r if local.enable_account_view]
}
