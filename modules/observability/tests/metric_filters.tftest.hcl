# Metric filters: one per contract metric per {Service, Model}, {Service} rollups for
# alarms, blog-style custom metrics; every pattern and value names a contract key. On an
# existing log group: log_group.tftest.hcl; create_metric_filters = false: disabled.tftest.hcl.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  contract_metrics = [
    "CostUSD", "InputTokens", "OutputTokens", "CacheReadTokens", "CacheWriteTokens", "LatencyMs", "Calls", "Errors", "UnpricedCalls",
    "TimeToFirstTokenMs",
  ]
}

run "contract_filters" {
  command = apply

  assert {
    condition     = length(aws_cloudwatch_log_metric_filter.this) == 15
    error_message = "Expected 9 {Service, Model} filters and 5 {Service} rollups."
  }

  assert {
    condition     = toset([for f in aws_cloudwatch_log_metric_filter.this : f.metric_transformation[0].name]) == toset(var.contract_metrics)
    error_message = "Every contract metric must have a filter, and no other metric."
  }

  assert {
    condition     = alltrue([for f in aws_cloudwatch_log_metric_filter.this : startswith(f.pattern, "{ $.event = \"llm_call\"")])
    error_message = "Every contract filter must select event = llm_call lines."
  }

  assert {
    condition = alltrue(flatten([for f in aws_cloudwatch_log_metric_filter.this : [
      for k in regexall("\\$\\.([A-Za-z0-9_]+)", join(" ", concat([f.pattern, f.metric_transformation[0].value], values(f.metric_transformation[0].dimensions)))) : contains(var.contract_keys, k[0])
    ]]))
    error_message = "Every $.key in a filter pattern, value or dimension must be a contract key."
  }

  assert {
    condition     = alltrue([for f in aws_cloudwatch_log_metric_filter.this : f.metric_transformation[0].value == "1" || can(regex("^\\$\\.[a-z_]+$", f.metric_transformation[0].value))])
    error_message = "Every filter value must be 1 or a $.key selector."
  }

  assert {
    condition     = alltrue([for f in aws_cloudwatch_log_metric_filter.this : f.log_group_name == "/aws/lambda/deck-fn" && f.metric_transformation[0].namespace == "GenAI"])
    error_message = "Filters must sit on the primary log group and publish to the namespace."
  }

  assert {
    condition = alltrue([for k, f in aws_cloudwatch_log_metric_filter.this :
      f.metric_transformation[0].dimensions == (endswith(k, "-by-service") ? { Service = "$.service" } : { Service = "$.service", Model = "$.model" })
    ])
    error_message = "Dimensions must be Service and Model (rollups: Service only), never a request id."
  }

  assert {
    condition     = alltrue([for f in aws_cloudwatch_log_metric_filter.this : f.metric_transformation[0].default_value == null])
    error_message = "Filters with dimensions must not set a default value."
  }

  assert {
    condition = (
      aws_cloudwatch_log_metric_filter.this["CostUSD"].pattern == "{ $.event = \"llm_call\" && $.cost_usd >= 0 }"
      && aws_cloudwatch_log_metric_filter.this["CostUSD"].metric_transformation[0].value == "$.cost_usd"
      && aws_cloudwatch_log_metric_filter.this["Errors"].pattern == "{ $.event = \"llm_call\" && $.status = \"error\" }"
      && aws_cloudwatch_log_metric_filter.this["UnpricedCalls"].pattern == "{ $.event = \"llm_call\" && $.pricing = \"unknown\" }"
      && aws_cloudwatch_log_metric_filter.this["Calls"].pattern == "{ $.event = \"llm_call\" }"
    )
    error_message = "Cost must only count numeric cost_usd; errors, unpriced calls and calls have their own conditions."
  }

  assert {
    condition = (
      aws_cloudwatch_log_metric_filter.this["CostUSD"].metric_transformation[0].unit == "None"
      && aws_cloudwatch_log_metric_filter.this["InputTokens"].metric_transformation[0].unit == "Count"
      && aws_cloudwatch_log_metric_filter.this["OutputTokens"].metric_transformation[0].unit == "Count"
      && aws_cloudwatch_log_metric_filter.this["LatencyMs"].metric_transformation[0].unit == "Milliseconds"
      && aws_cloudwatch_log_metric_filter.this["Calls"].metric_transformation[0].unit == "Count"
    )
    error_message = "Units must be None for cost, Count for tokens and calls, Milliseconds for latency."
  }

  assert {
    condition     = output.metric_names == { for m in var.contract_metrics : m => aws_cloudwatch_log_metric_filter.this[m].metric_transformation[0].unit }
    error_message = "The metric_names output must list every metric with its unit."
  }

  assert {
    condition     = length(output.metric_filters) == 15 && output.metric_filters["CostUSD"].name == "deck-CostUSD"
    error_message = "The metric_filters output must describe every filter."
  }
}

run "custom_metrics" {
  command = apply

  variables {
    metric_namespace = "Team/GenAI"
    custom_metrics = {
      AICost   = {}
      AITokens = { unit = "Count", dimensions = { Model = "$.model", Team = "$.team" } }
    }
  }

  assert {
    condition     = length(aws_cloudwatch_log_metric_filter.this) == 17
    error_message = "Each custom metric must add one filter."
  }

  assert {
    condition = (
      aws_cloudwatch_log_metric_filter.this["custom-AICost"].pattern == "{ $.metric = \"AICost\" }"
      && aws_cloudwatch_log_metric_filter.this["custom-AICost"].metric_transformation[0].value == "$.value"
      && aws_cloudwatch_log_metric_filter.this["custom-AICost"].metric_transformation[0].unit == "None"
      && aws_cloudwatch_log_metric_filter.this["custom-AICost"].metric_transformation[0].namespace == "Team/GenAI"
    )
    error_message = "A log_metric line must be matched on $.metric and valued by $.value."
  }

  assert {
    condition = alltrue(flatten([for k, f in aws_cloudwatch_log_metric_filter.this : [
      for key in regexall("\\$\\.([A-Za-z0-9_]+)", join(" ", [f.pattern, f.metric_transformation[0].value])) : contains(var.log_metric_keys, key[0])
    ] if startswith(k, "custom-")]))
    error_message = "Custom filters must read only the log_metric keys."
  }

  assert {
    condition = (
      aws_cloudwatch_log_metric_filter.this["custom-AITokens"].metric_transformation[0].dimensions == tomap({ Model = "$.model", Team = "$.team" })
      && aws_cloudwatch_log_metric_filter.this["custom-AITokens"].metric_transformation[0].unit == "Count"
    )
    error_message = "Custom metric dimensions and units must be passed through."
  }

  assert {
    condition     = output.metric_names["AICost"] == "None" && output.metric_names["AITokens"] == "Count"
    error_message = "The metric_names output must include custom metrics."
  }
}

run "additional_groups_get_no_filters" {
  command = apply

  variables {
    additional_log_group_names = ["/aws/lambda/other"]
  }

  assert {
    condition     = length(aws_cloudwatch_log_metric_filter.this) == 15
    error_message = "Additional log groups must not get metric filters (no double counting)."
  }
}
