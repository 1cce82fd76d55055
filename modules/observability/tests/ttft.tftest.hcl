# Time to first token: the TimeToFirstTokenMs metric (Service, Model) from the ttft_ms key
# of streamed calls, its dashboard widget (p50 and p90 by model) and the saved question
# slowest-first-token.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  service_name = "support-bot"
}

run "ttft_metric_widget_and_question" {
  command = apply

  assert {
    condition = (
      aws_cloudwatch_log_metric_filter.this["TimeToFirstTokenMs"].pattern == "{ $.event = \"llm_call\" && $.ttft_ms >= 0 }"
      && aws_cloudwatch_log_metric_filter.this["TimeToFirstTokenMs"].metric_transformation[0].value == "$.ttft_ms"
      && aws_cloudwatch_log_metric_filter.this["TimeToFirstTokenMs"].metric_transformation[0].unit == "Milliseconds"
    )
    error_message = "TimeToFirstTokenMs must publish ttft_ms in milliseconds, only from lines that carry it."
  }

  assert {
    condition     = aws_cloudwatch_log_metric_filter.this["TimeToFirstTokenMs"].metric_transformation[0].dimensions["Service"] == "$.service" && aws_cloudwatch_log_metric_filter.this["TimeToFirstTokenMs"].metric_transformation[0].dimensions["Model"] == "$.model" && length(aws_cloudwatch_log_metric_filter.this["TimeToFirstTokenMs"].metric_transformation[0].dimensions) == 2
    error_message = "TimeToFirstTokenMs must have the Service and Model dimensions."
  }

  assert {
    condition     = !contains(keys(aws_cloudwatch_log_metric_filter.this), "TimeToFirstTokenMs-by-service")
    error_message = "TimeToFirstTokenMs needs no Service rollup (no alarm reads it)."
  }

  assert {
    condition = length([
      for w in jsondecode(output.dashboard_body).widgets : w
      if w.type == "metric" && strcontains(try(w.properties.title, ""), "first token")
      && try(length(w.properties.metrics), 0) == 2
      && strcontains(try(w.properties.metrics[0][0].expression, ""), "MetricName=\"TimeToFirstTokenMs\" Service=\"support-bot\"")
      && strcontains(try(w.properties.metrics[0][0].expression, ""), "'p50'")
      && strcontains(try(w.properties.metrics[1][0].expression, ""), "'p90'")
    ]) == 1
    error_message = "The dashboard must show TimeToFirstTokenMs p50 and p90 per model of the service."
  }

  assert {
    condition = length([
      for w in jsondecode(output.dashboard_body).widgets : w
      if w.type == "log" && strcontains(try(w.properties.query, ""), "sort ttft_ms desc")
    ]) == 1
    error_message = "The dashboard must list the slowest first tokens."
  }

  assert {
    condition = (
      strcontains(aws_cloudwatch_query_definition.this["slowest-first-token"].query_string, "ttft_ms >= 0")
      && strcontains(aws_cloudwatch_query_definition.this["slowest-first-token"].query_string, "sort ttft_ms desc")
      && aws_cloudwatch_query_definition.this["slowest-first-token"].name == "deck/slowest-first-token"
    )
    error_message = "The saved question slowest-first-token must list streamed calls by time to first token."
  }
}
