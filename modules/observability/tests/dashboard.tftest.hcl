# Dashboard: the body decodes, widgets stay on the 24-column grid without overlaps,
# and every widget reads a metric the deck publishes (or AWS/Lambda) or a saved query.
# create_dashboard = false: disabled.tftest.hcl.

mock_provider "aws" { source = "./tests/mocks" }

# The dashboard URL names the region: this file plans in eu-west-1.
override_data {
  target = data.aws_region.current
  values = { id = "eu-west-1", name = "eu-west-1" }
}

variables {
  lambda_metrics = ["Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions"]
}

run "default_layout" {
  command = apply

  assert {
    condition     = can(jsondecode(output.dashboard_body).widgets)
    error_message = "The dashboard body must be JSON with a widgets list."
  }

  assert {
    condition     = length(jsondecode(output.dashboard_body).widgets) == 13
    error_message = "Without functions or alarms the dashboard has 13 widgets."
  }

  assert {
    condition = (
      jsondecode(output.dashboard_body).widgets[0].type == "text"
      && jsondecode(output.dashboard_body).widgets[0].x == 0 && jsondecode(output.dashboard_body).widgets[0].y == 0
      && jsondecode(output.dashboard_body).widgets[0].width <= 6
    )
    error_message = "A small header text widget must come first, at the top left."
  }

  assert {
    condition = (
      [for w in jsondecode(output.dashboard_body).widgets : w.properties.title if w.y == 0 && w.type == "metric"] == ["Cost and calls, last 24 hours", "Cost by model, last 24 hours (USD)"]
      && sum([for w in jsondecode(output.dashboard_body).widgets : w.width if w.y == 0]) == 24
    )
    error_message = "Without the budget function the first row holds the spend of the last 24 hours and its split by model, and fills the 24 columns."
  }

  assert {
    condition     = one([for w in jsondecode(output.dashboard_body).widgets : w.properties.metrics[0][0].expression if w.y == 0 && try(w.properties.view, "") == "pie"]) == "SEARCH('{GenAI,Model,Service} MetricName=\"CostUSD\" Service=\"deck\"', 'Sum', 3600)"
    error_message = "The first row's split by model must read CostUSD by model of the deck's service."
  }

  assert {
    condition     = alltrue([for w in jsondecode(output.dashboard_body).widgets : w.x >= 0 && w.y >= 0 && w.width > 0 && w.height > 0 && w.x + w.width <= 24])
    error_message = "Every widget must fit the 24-column grid."
  }

  assert {
    condition = alltrue(flatten([for w in jsondecode(output.dashboard_body).widgets : [
      for m in w.properties.metrics : (
        can(m[0].expression)
        ? length(regexall("MetricName=\"([A-Za-z]+)\"", m[0].expression)) == 1 && alltrue([for n in regexall("MetricName=\"([A-Za-z]+)\"", m[0].expression) : contains(keys(output.metric_names), n[0])]) && strcontains(m[0].expression, "{GenAI,Model,Service}") && strcontains(m[0].expression, "Service=\"deck\"")
        : m[0] == "GenAI" && contains(keys(output.metric_names), m[1]) && m[2] == "Service" && m[3] == "deck"
      )
    ] if w.type == "metric"]))
    error_message = "Every metric widget must read a metric the filters publish, for the deck's service."
  }

  assert {
    condition = alltrue([for w in jsondecode(output.dashboard_body).widgets :
      contains([for q in values(output.queries) : "SOURCE '/aws/lambda/deck-fn' | ${replace(q, "\n", " ")}"], w.properties.query)
    if w.type == "log"])
    error_message = "Every log table must run a saved question on the deck's log group."
  }

  assert {
    condition     = length([for w in jsondecode(output.dashboard_body).widgets : w if w.type == "log"]) == 3 && alltrue([for w in jsondecode(output.dashboard_body).widgets : w.properties.region == "eu-west-1" if w.type != "text"])
    error_message = "Three log tables, and every data widget in the provider's region."
  }

  assert {
    condition     = length([for w in jsondecode(output.dashboard_body).widgets : w if w.type == "alarm" || strcontains(jsonencode(w), "AWS/Lambda")]) == 0
    error_message = "Without alarms or functions there is no alarm or Lambda widget."
  }

  assert {
    condition = alltrue([for w in jsondecode(output.dashboard_body).widgets :
      w.properties.setPeriodToTimeRange == true && w.properties.start == "-PT24H" && strcontains(w.properties.title, "last 24 hours") && !strcontains(lower(w.properties.title), "today")
    if w.type == "metric" && try(w.properties.view, "") == "singleValue"])
    error_message = "A single value widget sums its own last-24-hours window, says so, and claims no calendar \"today\"."
  }

  assert {
    condition = alltrue([for w in jsondecode(output.dashboard_body).widgets :
      try(w.properties.start, "") == "-P7D" && strcontains(w.properties.title, "last 7 days")
    if w.type == "metric" && try(w.properties.period, 0) == 86400])
    error_message = "A one-day period widget must carry its own 7-day time range, so a short dashboard range cannot hide its data points."
  }

  assert {
    condition     = length([for w in jsondecode(output.dashboard_body).widgets : w if w.type == "metric" && try(w.properties.period, 0) == 86400]) == 1
    error_message = "The per-day cost widget must exist."
  }

  assert {
    condition = (
      output.dashboard_name == "deck"
      && output.dashboard_url == "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/deck"
    )
    error_message = "The dashboard name and console URL must be output."
  }
}

run "functions_alarms_and_groups" {
  command = apply

  variables {
    function_names             = ["fn-a", "fn-b"]
    additional_log_group_names = ["/aws/lambda/team-a"]
    metric_namespace           = "Team/GenAI"
    service_name               = "chat"
    alarms = {
      llm_error_rate_percent = 5
      lambda_errors          = true
    }
  }

  assert {
    condition     = length(jsondecode(output.dashboard_body).widgets) == 19
    error_message = "Functions add five Lambda widgets and alarms add one alarm widget."
  }

  assert {
    condition     = alltrue([for w in jsondecode(output.dashboard_body).widgets : w.x + w.width <= 24])
    error_message = "Every widget must fit the 24-column grid."
  }

  assert {
    condition = alltrue(flatten([for w in jsondecode(output.dashboard_body).widgets : [
      for m in w.properties.metrics : (
        can(m[0].expression)
        ? alltrue([for n in regexall("MetricName=\"([A-Za-z]+)\"", m[0].expression) : contains(keys(output.metric_names), n[0])]) && strcontains(m[0].expression, "{\"Team/GenAI\",Model,Service}") && strcontains(m[0].expression, "Service=\"chat\"")
        : (m[0] == "Team/GenAI" && contains(keys(output.metric_names), m[1]) && m[3] == "chat") || (m[0] == "AWS/Lambda" && contains(var.lambda_metrics, m[1]) && m[2] == "FunctionName" && contains(["fn-a", "fn-b"], m[3]))
      )
    ] if w.type == "metric"]))
    error_message = "Metric widgets must read deck metrics (quoted namespace in SEARCH) or the functions' AWS/Lambda metrics."
  }

  assert {
    condition = toset(flatten([for w in jsondecode(output.dashboard_body).widgets : [
      for m in w.properties.metrics : m[1] if !can(m[0].expression) && m[0] == "AWS/Lambda"
    ] if w.type == "metric"])) == toset(var.lambda_metrics)
    error_message = "The Lambda row must show Invocations, Errors, Throttles, Duration and ConcurrentExecutions."
  }

  assert {
    condition = alltrue([for w in jsondecode(output.dashboard_body).widgets :
      startswith(w.properties.query, "SOURCE '/aws/lambda/deck-fn' | SOURCE '/aws/lambda/team-a' | filter event = \"llm_call\"")
    if w.type == "log"])
    error_message = "Log tables must scan every deck log group."
  }

  assert {
    condition = (
      [for w in jsondecode(output.dashboard_body).widgets : w.properties.alarms if w.type == "alarm"][0] == values(output.alarm_arns)
      && length(output.alarm_arns) == 3
    )
    error_message = "The alarm widget must show every alarm."
  }
}

# With the budget function, the first row answers the deck's question: spent today (the
# budget's calendar day, CostTodayUSD) against the budget, next to the split by model.
run "budget_first_row" {
  command = apply

  variables {
    create_budget_function = true
    package_path           = "../function/tests/fixtures/placeholder.zip"
    budget_time_zone       = "Europe/Paris"
    alarms = {
      daily_cost_budget_usd = 5
    }
  }

  assert {
    condition = [for w in jsondecode(output.dashboard_body).widgets : w.properties.title if w.y == 0 && w.type == "metric"] == [
      "Spent today of 5 USD (Europe/Paris day)", "Cost and calls, last 24 hours", "Cost by model, last 24 hours (USD)",
    ]
    error_message = "The first row must hold spent today against the budget, then the last 24 hours and the split by model."
  }

  assert {
    condition = alltrue([for w in jsondecode(output.dashboard_body).widgets : (
      w.properties.view == "singleValue" && w.properties.stat == "Maximum" && !can(w.properties.start) && !can(w.properties.setPeriodToTimeRange)
      && w.properties.metrics[0] == ["GenAI", "CostTodayUSD", "Service", "deck", { id = "spent", label = "Spent today (USD)" }]
      && w.properties.metrics[1] == [{ expression = "5 - spent", id = "left", label = "Left of the budget (USD)" }]
    ) if w.y == 0 && startswith(try(w.properties.title, ""), "Spent today")])
    error_message = "Spent today must show the latest CostTodayUSD, never a sum over a window, with what is left of the budget beside it."
  }

  assert {
    condition = (
      sum([for w in jsondecode(output.dashboard_body).widgets : w.width if w.y == 0]) == 24
      && length([for w in jsondecode(output.dashboard_body).widgets : w if strcontains(jsonencode(w), "CostTodayUSD")]) == 2
      && [for w in jsondecode(output.dashboard_body).widgets : w.properties.title if w.y == 6] == ["Spend since the start of the day, last 7 days (USD)", "Cost per day by model, last 7 days (USD)"]
      && [for w in jsondecode(output.dashboard_body).widgets : w.properties.annotations.horizontal[0].value if can(w.properties.annotations)] == [5]
      && [for w in jsondecode(output.dashboard_body).widgets : w.y if can(w.properties.annotations)] == [6]
    )
    error_message = "The first row fills the 24 columns; the second holds the last 7 days of spend against the budget line, beside the cost per day."
  }
}

# No two widgets overlap, in each layout planned above.
run "no_two_widgets_overlap_in_any_layout" {
  command = plan

  variables {
    overlapping_widgets = flatten([for layout, body in {
      default_layout              = run.default_layout.dashboard_body
      functions_alarms_and_groups = run.functions_alarms_and_groups.dashboard_body
      budget_first_row            = run.budget_first_row.dashboard_body
      } : [for i, a in jsondecode(body).widgets : [
        for j, b in jsondecode(body).widgets : "${layout}: widgets ${i} and ${j}"
        if j > i && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    ]]])
  }

  assert {
    condition     = var.overlapping_widgets == []
    error_message = "No two widgets may overlap: ${join(", ", var.overlapping_widgets)}."
  }
}
