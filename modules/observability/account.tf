# The account view: Amazon Bedrock's own per-model token metrics (namespace AWS/Bedrock,
# dimension ModelId: every caller in the account, instrumented or not) priced with metric
# math at the same catalog prices the payload uses and the same model_prices overrides. The
# catalog's standard prices are generated into this module (price_catalog.json, written by
# genai_observability.pricing_terraform from the payload's prices.json; a test keeps the two
# equal), so the module reads no file outside its own directory. The GetMetricData queries
# are an output; the dashboard's account row and the account-spend alarm (alarms.tf) are
# built from them.
#
# AWS/Bedrock metric names and the ModelId dimension: Amazon Bedrock User Guide, "Monitor
# bedrock-runtime inference using CloudWatch metrics" (docs.aws.amazon.com/bedrock/latest/
# userguide/monitoring-runtime-metrics.html: InputTokenCount, OutputTokenCount,
# Invocations, InvocationThrottles); AWS Machine Learning Blog, 2026-03-12, "Improve
# operational visibility for inference workloads on Amazon Bedrock with new CloudWatch
# metrics for TTFT and Estimated Quota Consumption" (TimeToFirstToken,
# EstimatedTPMQuotaUsage, ModelId dimension); CacheReadInputTokenCount /
# CacheWriteInputTokenCount as published per ModelId (AWS blog "Effectively use prompt
# caching on Amazon Bedrock", cited by grafana/grafana-aws-sdk#436, 2026-04-21).
# Read 2026-12-01.
#
# AWS/BedrockMantle (the bedrock-mantle endpoint: OpenAI Responses, OpenAI Chat Completions
# and Anthropic Messages APIs; no call of these is in AWS/Bedrock): Amazon Bedrock User
# Guide, "Monitor bedrock-mantle inference using CloudWatch metrics" (docs.aws.amazon.com/
# bedrock/latest/userguide/monitoring-mantle-metrics.html): TotalInputTokens and
# TotalOutputTokens, unit Count, the billable tokens of the publish interval, published at
# the Account, Project and Model levels (InputTokens / OutputTokens are per inference, at
# the Project+Model level only: not summed here, they would count each call twice). The
# Model level's dimension is named Model, its value the model id as the API names it
# (openai.gpt-oss-120b, anthropic.claude-opus-4-8); the page lists no cache-token metric,
# so mantle tokens are priced as input and output only. Read 2026-12-06.

locals {
  # One catalog for the payload and the deck: model or inference-profile id -> price.
  price_catalog = jsondecode(file("${path.module}/price_catalog.json")).prices
  # bedrock-mantle ids the catalog prices under another id (the payload's MANTLE_IDS,
  # generated beside the prices): openai.gpt-oss-120b -> openai.gpt-oss-120b-1:0 ...
  mantle_ids = jsondecode(file("${path.module}/price_catalog.json")).mantle_ids

  # The ids tried for a model, most specific first, as the payload's pricing.candidates():
  # the id as given; the id inside a foundation-model or inference-profile ARN; that id
  # without its inference-profile prefix; for a bedrock-mantle id of mantle_ids, the id
  # priced the same. Any other ARN is priced only by an override.
  # The one place Terraform states this rule: for the models listed (account_model_ids)
  # and for the models the deck's functions call (model_ids), which the account view
  # takes by default when they have a price.
  model_ids_to_price = distinct(concat(var.account_model_ids == null ? [] : var.account_model_ids, var.model_ids, var.account_mantle_model_ids))
  model_id_ident = {
    for m in local.model_ids_to_price : m => (
      startswith(m, "arn:")
      ? try(regex("^arn:[^:]+:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile)/(.+)$", m)[0], null)
      : m
    )
  }
  model_id_candidates = {
    for m, ident in local.model_id_ident : m => contains(keys(local.mantle_ids), m) ? [m, local.mantle_ids[m]] : distinct(compact([
      m,
      ident,
      ident == null ? null : try(regex("^(?:us-gov|us|eu|apac|jp|au|ca|global)\\.(.+)$", ident)[0], null),
    ]))
  }

  priced_model_ids = setunion(keys(local.price_catalog), keys(var.model_prices))

  # Listed, or by default the deck's model_ids that have a price (a model without one is
  # left out of the default; listed, it is refused).
  account_model_ids = distinct(var.account_model_ids != null ? var.account_model_ids : [
    for m in var.model_ids : m if length(setintersection(local.model_id_candidates[m], local.priced_model_ids)) > 0
  ])

  # The models read from AWS/BedrockMantle (Model dimension): listed only.
  account_mantle_model_ids = distinct(var.account_mantle_model_ids)

  # Every model of the account view, either endpoint: what the deck side is compared on.
  account_view_model_ids = distinct(concat(local.account_model_ids, local.account_mantle_model_ids))

  # Overrides win over the catalog; within each, the most specific id wins.
  account_model_prices = {
    for m in local.account_view_model_ids : m => try(
      [for n in local.model_id_candidates[m] : {
        input       = var.model_prices[n].input
        output      = var.model_prices[n].output
        cache_read  = var.model_prices[n].cache_read
        cache_write = var.model_prices[n].cache_write
        pricing     = "override"
      } if contains(keys(var.model_prices), n)][0],
      [for n in local.model_id_candidates[m] : {
        input       = local.price_catalog[n].input
        output      = local.price_catalog[n].output
        cache_read  = try(local.price_catalog[n].cache_read, null)
        cache_write = try(local.price_catalog[n].cache_write, null)
        pricing     = "catalog"
      } if contains(keys(local.price_catalog), n)][0],
      null
    )
  }

  account_unpriced_models = [for m in keys(local.account_model_prices) : m if local.account_model_prices[m] == null]

  # Token kinds: Bedrock metric, query id prefix, price field. A cache kind whose price is
  # unknown (null in the catalog) is not priced: the catalog says unknown, never zero.
  account_token_kinds = [
    { kind = "input", metric = "InputTokenCount", id = "in" },
    { kind = "output", metric = "OutputTokenCount", id = "out" },
    { kind = "cache_read", metric = "CacheReadInputTokenCount", id = "cr" },
    { kind = "cache_write", metric = "CacheWriteInputTokenCount", id = "cw" },
  ]

  # Prices as metric-math literals: plain decimals, never exponent notation.
  account_price_literals = {
    for m, p in local.account_model_prices : m => {
      for k in local.account_token_kinds : k.kind => replace(format("%.10f", p[k.kind]), "/\\.?0+$/", "")
      if p != null && try(p[k.kind] != null, false)
    }
  }

  # The same for bedrock-mantle: its two token metrics (no cache metric is published).
  account_mantle_token_kinds = [
    { kind = "input", metric = "TotalInputTokens", id = "min" },
    { kind = "output", metric = "TotalOutputTokens", id = "mout" },
  ]

  # One entry per (namespace, model): AWS/Bedrock's models, then bedrock-mantle's (ids
  # m<kind><N>, cost mcost<N>), each with its priced token kinds.
  account_namespaces = [
    { ids = local.account_model_ids, namespace = "AWS/Bedrock", dimension = "ModelId", cost = "cost", kinds = local.account_token_kinds },
    { ids = local.account_mantle_model_ids, namespace = "AWS/BedrockMantle", dimension = "Model", cost = "mcost", kinds = local.account_mantle_token_kinds },
  ]
  account_models = flatten([
    for ns in local.account_namespaces : [
      for i, m in ns.ids : {
        index     = i
        model     = m
        namespace = ns.namespace
        dimension = ns.dimension
        cost_id   = "${ns.cost}${i}"
        kinds     = [for k in ns.kinds : k if contains(keys(try(local.account_price_literals[m], {})), k.kind)]
      }
    ]
  ])

  # Where the metrics live: "" is this account; in a monitoring account (CloudWatch
  # cross-account observability), each source account's metrics are read through the
  # query's AccountId, with ids prefixed a<N>_ so several accounts fit one widget.
  account_scopes = concat([""], distinct(var.source_account_ids))
  account_scope_prefix = {
    for j, a in local.account_scopes : a => a == "" ? "" : "a${j}_"
  }

  # The queries for one (account, period): per model one metric per priced token kind
  # (hidden), the model's cost expression (hidden), and the account total (the one
  # returned series).
  account_spend_queries = {
    for pair in setproduct(local.account_scopes, ["3600", "86400"]) : "${pair[0]}/${pair[1]}" => concat(
      flatten([
        for mm in local.account_models : [
          for k in mm.kinds : merge(
            {
              Id = "${local.account_scope_prefix[pair[0]]}${k.id}${mm.index}"
              MetricStat = {
                Metric = {
                  Namespace  = mm.namespace
                  MetricName = k.metric
                  Dimensions = [{ Name = mm.dimension, Value = mm.model }]
                }
                Period = tonumber(pair[1])
                Stat   = "Sum"
              }
              Label      = "${k.metric} ${mm.model}"
              ReturnData = false
            },
            { for key, value in { AccountId = pair[0] } : key => value if value != "" },
          )
        ]
      ]),
      [
        for mm in local.account_models : {
          Id         = "${local.account_scope_prefix[pair[0]]}${mm.cost_id}"
          Expression = "(${join(" + ", [for k in mm.kinds : "FILL(${local.account_scope_prefix[pair[0]]}${k.id}${mm.index}, 0) * ${local.account_price_literals[mm.model][k.kind]}"])}) / 1000000"
          Label      = mm.model
          ReturnData = false
        }
      ],
      length(local.account_models) == 0 ? [] : [{
        Id         = "${local.account_scope_prefix[pair[0]]}account_total"
        Expression = "SUM([${join(", ", [for mm in local.account_models : "${local.account_scope_prefix[pair[0]]}${mm.cost_id}"])}])"
        Label      = pair[0] == "" ? "Bedrock spend, whole account, this Region (USD)" : "Bedrock spend, account ${pair[0]}, this Region (USD)"
        ReturnData = true
      }],
    )
  }

  account_spend_queries_by_period = {
    for period in ["3600", "86400"] : period => local.account_spend_queries["/${period}"]
  }

  account_spend_metric_queries = local.account_spend_queries_by_period["3600"]

  account_metric_count     = length([for q in local.account_spend_metric_queries : q if can(q.MetricStat)])
  account_expression_count = length([for q in local.account_spend_metric_queries : q if can(q.Expression)])

  enable_account_view = var.create && length(local.account_models) > 0
  account_alarm_count = local.enable_account_view && var.alarms.account_daily_cost_budget_usd != null ? 1 : 0
}
