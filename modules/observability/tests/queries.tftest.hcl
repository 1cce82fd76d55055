# Saved questions: one query definition per question, in the deck's folder, scoped to
# the deck's log groups, selecting on event = "llm_call" and reading contract keys only.
# create_query_definitions = false: disabled.tftest.hcl.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  questions = [
    "daily-cost", "cost-by-model", "cost-per-invocation", "latency-by-model", "slowest-calls",
    "most-expensive-calls", "errors-by-type", "unpriced-models", "log-metric-daily",
    "slowest-first-token",
  ]
  # Logs Insights QL commands, functions and keywords the queries use.
  query_words = [
    "filter", "stats", "sort", "limit", "fields", "by", "as", "and", "or", "not", "desc", "asc",
    "sum", "count", "avg", "pct", "max", "min", "bin", "count_distinct", "ispresent", "coalesce", "d",
  ]
}

run "questions" {
  command = apply

  assert {
    condition     = toset(keys(aws_cloudwatch_query_definition.this)) == toset(var.questions)
    error_message = "Every saved question must have a query definition."
  }

  assert {
    condition     = alltrue([for q, d in aws_cloudwatch_query_definition.this : d.name == "deck/${q}"])
    error_message = "Query definitions must be named <deck>/<question>."
  }

  assert {
    condition     = alltrue([for d in aws_cloudwatch_query_definition.this : d.log_group_names == tolist(["/aws/lambda/deck-fn"])])
    error_message = "Queries must be scoped to the deck's log group."
  }

  assert {
    condition     = alltrue([for q, d in aws_cloudwatch_query_definition.this : startswith(d.query_string, "filter event = \"llm_call\"") if q != "log-metric-daily"])
    error_message = "Every llm_call question must start by selecting event = \"llm_call\"."
  }

  assert {
    condition     = aws_cloudwatch_query_definition.this["log-metric-daily"].query_string == "filter metric = \"AICost\"\n| stats sum(value) as total by bin(1d) as day\n| sort day desc"
    error_message = "The blog's log_metric question must sum value of metric AICost by day."
  }

  # Every identifier that is not a command, function, keyword, alias or string literal
  # must be a key of the contract.
  assert {
    condition = alltrue([for q, d in aws_cloudwatch_query_definition.this : length(setsubtract(
      regexall("[A-Za-z_@][A-Za-z0-9_@]*", replace(d.query_string, "/\"[^\"]*\"/", "")),
      concat(var.query_words, [for a in regexall("as ([A-Za-z_][A-Za-z0-9_]*)", d.query_string) : a[0]], q == "log-metric-daily" ? var.log_metric_keys : var.contract_keys)
    )) == 0])
    error_message = "Every field a query reads must be a contract key."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_query_definition.this["errors-by-type"].query_string, "status = \"error\"") && strcontains(aws_cloudwatch_query_definition.this["unpriced-models"].query_string, "pricing = \"unknown\"")
    error_message = "Errors select status = error, unpriced models select pricing = unknown."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_query_definition.this["cost-by-model"].query_string, "sum(cache_read_tokens) as total_cache_read_tokens, sum(cache_write_tokens) as total_cache_write_tokens by model")
    error_message = "cost-by-model must sum the cache read and write tokens per model."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_query_definition.this["unpriced-models"].query_string, "coalesce(service_tier, \"standard\") as tier") && strcontains(aws_cloudwatch_query_definition.this["unpriced-models"].query_string, "by model, tier, latency, call_region\n| sort calls desc")
    error_message = "unpriced-models must group by model and the facts that select a price, missing ones given a value by coalesce, most calls first."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_query_definition.this["latency-by-model"].query_string, "pct(latency_ms, 99)") && strcontains(aws_cloudwatch_query_definition.this["slowest-calls"].query_string, "sort latency_ms desc")
    error_message = "Latency questions must use percentiles and sort by latency."
  }

  assert {
    condition     = output.queries == { for q, d in aws_cloudwatch_query_definition.this : q => d.query_string }
    error_message = "The queries output must carry the saved query strings."
  }

  assert {
    condition     = output.query_definition_names == { for q, d in aws_cloudwatch_query_definition.this : q => d.name }
    error_message = "The query_definition_names output must carry the saved names."
  }

  assert {
    condition     = keys(output.query_definition_ids) == keys(aws_cloudwatch_query_definition.this)
    error_message = "The query_definition_ids output must map every question."
  }
}

run "additional_groups_and_metric_name" {
  command = apply

  variables {
    additional_log_group_names = ["/aws/lambda/team-a", "/aws/lambda/team-b"]
    log_metric_name            = "TeamCost"
  }

  assert {
    condition     = alltrue([for d in aws_cloudwatch_query_definition.this : d.log_group_names == tolist(["/aws/lambda/deck-fn", "/aws/lambda/team-a", "/aws/lambda/team-b"])])
    error_message = "Queries must scan the primary and every additional log group."
  }

  assert {
    condition     = startswith(aws_cloudwatch_query_definition.this["log-metric-daily"].query_string, "filter metric = \"TeamCost\"")
    error_message = "The log_metric question must use log_metric_name."
  }
}
