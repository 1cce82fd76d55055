locals {
  # The deck's saved questions, in Logs Insights QL. Every llm_call question selects
  # on event = "llm_call" and reads only keys of the one-line-per-call contract; the
  # last one reads the blog-style log_metric lines ({"metric": ..., "value": ...}).
  queries = merge({
    "daily-cost" = chomp(<<-EOT
      filter event = "llm_call"
      | stats sum(cost_usd) as total_cost_usd, count(*) as calls, sum(input_tokens) as total_input_tokens, sum(output_tokens) as total_output_tokens by bin(1d) as day
      | sort day desc
    EOT
    )

    "cost-by-model" = chomp(<<-EOT
      filter event = "llm_call"
      | stats sum(cost_usd) as total_cost_usd, count(*) as calls, sum(input_tokens) as total_input_tokens, sum(output_tokens) as total_output_tokens, sum(cache_read_tokens) as total_cache_read_tokens, sum(cache_write_tokens) as total_cache_write_tokens by model
      | sort total_cost_usd desc
    EOT
    )

    # Two stats commands: the second reads only what the first defines, and keeps to
    # functions the Logs Insights documentation shows there (count, sum, min, max, avg).
    "cost-per-invocation" = chomp(<<-EOT
      filter event = "llm_call"
      | stats sum(cost_usd) as invocation_cost_usd, count(*) as calls by request_id
      | stats count(*) as invocations, avg(invocation_cost_usd) as avg_cost_usd, max(invocation_cost_usd) as max_cost_usd, avg(calls) as avg_calls
    EOT
    )

    "latency-by-model" = chomp(<<-EOT
      filter event = "llm_call"
      | stats count(*) as calls, avg(latency_ms) as avg_ms, pct(latency_ms, 50) as p50_ms, pct(latency_ms, 90) as p90_ms, pct(latency_ms, 99) as p99_ms, max(latency_ms) as max_ms by model
      | sort p99_ms desc
    EOT
    )

    "slowest-calls" = chomp(<<-EOT
      filter event = "llm_call"
      | fields timestamp, model, latency_ms, input_tokens, output_tokens, cost_usd, status, request_id
      | sort latency_ms desc
      | limit 25
    EOT
    )

    "most-expensive-calls" = chomp(<<-EOT
      filter event = "llm_call" and cost_usd >= 0
      | fields timestamp, model, cost_usd, input_tokens, output_tokens, latency_ms, request_id
      | sort cost_usd desc
      | limit 25
    EOT
    )

    "errors-by-type" = chomp(<<-EOT
      filter event = "llm_call" and status = "error"
      | stats count(*) as errors by error_type, model
      | sort errors desc
    EOT
    )

    # Unpriced calls by model and by the facts that select a price (tier, latency mode,
    # Region), so the answer says why. Those keys are written only when known: coalesce
    # ("Returns the first non-null value from the list", Logs Insights QL general
    # functions, CWL_QuerySyntax-operations-functions) gives a missing one a value, so no
    # group depends on how stats groups a missing field (undocumented). The fields step
    # names every field stats reads, so it holds whether or not fields projects. stats
    # groups by several fields ("stats count(*) by queryType, bin(1h)", CWL_QuerySyntax-Stats).
    "unpriced-models" = chomp(<<-EOT
      filter event = "llm_call" and pricing = "unknown"
      | fields model, input_tokens, output_tokens, coalesce(service_tier, "standard") as tier, coalesce(latency_mode, "standard") as latency, coalesce(region, "-") as call_region
      | stats count(*) as calls, sum(input_tokens) as total_input_tokens, sum(output_tokens) as total_output_tokens by model, tier, latency, call_region
      | sort calls desc
    EOT
    )

    # Streamed calls only (ttft_ms is written for streams): the slowest first tokens, next
    # to the whole call's latency, the output size and the tier that served it.
    "slowest-first-token" = chomp(<<-EOT
      filter event = "llm_call" and ttft_ms >= 0
      | fields timestamp, model, ttft_ms, latency_ms, output_tokens, service_tier, request_id
      | sort ttft_ms desc
      | limit 25
    EOT
    )

    "log-metric-daily" = chomp(<<-EOT
      filter metric = "${var.log_metric_name}"
      | stats sum(value) as total by bin(1d) as day
      | sort day desc
    EOT
    )
  }, local.attribution_queries) # cost-by-<key>: contributor_insights.tf
}

resource "aws_cloudwatch_query_definition" "this" {
  for_each = local.create_query_definitions ? local.queries : {}

  # The slash makes the console show the deck's questions in one folder.
  name = "${var.name}/${each.key}"
  # Names only: the provider refuses log group ARNs here (hashicorp/terraform-provider-aws
  # #37986), so a source account's group (an ARN) is chosen when the question runs: in the
  # console, or `genai-obs ask QUESTION --log-group ARN` (StartQuery logGroupIdentifiers).
  log_group_names = [for g in local.log_group_names : g if !startswith(g, "arn:")]
  query_string    = each.value

  # Query definitions name log groups; wait for a created group to exist.
  depends_on = [aws_cloudwatch_log_group.this]
}
