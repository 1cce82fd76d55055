# Cost per attribution key: a Contributor Insights rule per key (Sum of $.cost_usd by
# $.<key>), its saved question and widget, and the optional per-contributor alarm.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  service_name               = "chat"
  additional_log_group_names = ["/aws/lambda/deck-batch"]
  attribution_keys           = ["tenant", "user_id"]
}

run "one_rule_per_key" {
  command = apply

  assert {
    condition     = keys(aws_cloudwatch_contributor_insight_rule.this) == ["tenant", "user_id"] && aws_cloudwatch_contributor_insight_rule.this["tenant"].rule_name == "deck-cost-by-tenant"
    error_message = "Each attribution key gets its own rule, named after the deck and the key."
  }

  assert {
    condition = jsondecode(aws_cloudwatch_contributor_insight_rule.this["tenant"].rule_definition) == {
      Schema        = { Name = "CloudWatchLogRule", Version = 1 }
      LogGroupNames = ["/aws/lambda/deck-fn", "/aws/lambda/deck-batch"]
      LogFormat     = "JSON"
      Contribution = {
        Keys    = ["$.tenant"]
        ValueOf = "$.cost_usd"
        Filters = [
          { Match = "$.event", In = ["llm_call"] },
          { Match = "$.service", In = ["chat"] },
          { Match = "$.tenant", IsPresent = true },
        ]
      }
      AggregateOn = "Sum"
    }
    error_message = "The rule sums cost_usd by the key over the deck's log groups, for this service's llm_call lines that carry the key."
  }

  assert {
    condition     = aws_cloudwatch_contributor_insight_rule.this["user_id"].rule_state == "ENABLED"
    error_message = "The rules are enabled."
  }

  assert {
    condition     = output.contributor_insight_rule_names == { tenant = "deck-cost-by-tenant", user_id = "deck-cost-by-user_id" }
    error_message = "The output maps each key to its rule."
  }

  assert {
    condition     = startswith(output.queries["cost-by-tenant"], "filter event = \"llm_call\" and ispresent(tenant)") && strcontains(output.queries["cost-by-tenant"], "by tenant")
    error_message = "Each key gets a saved question cost-by-<key>."
  }

  assert {
    condition     = contains(keys(aws_cloudwatch_query_definition.this), "cost-by-user_id")
    error_message = "The question is saved in the deck's folder."
  }

  assert {
    condition = [
      for w in jsondecode(aws_cloudwatch_dashboard.this[0].dashboard_body).widgets : w.properties.insightRule.ruleName
      if can(w.properties.insightRule)
    ] == ["deck-cost-by-tenant", "deck-cost-by-user_id"]
    error_message = "The dashboard shows the top contributors of each rule."
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.contributor_cost) == 0
    error_message = "No per-contributor alarm unless a threshold is set."
  }
}

run "per_contributor_alarm_on_the_top_contributor" {
  command = apply

  variables {
    alarms = { contributor_cost_usd = 2.5 }
  }

  assert {
    condition     = one(aws_cloudwatch_metric_alarm.contributor_cost["tenant"].metric_query).expression == "INSIGHT_RULE_METRIC('deck-cost-by-tenant', 'MaxContributorValue')"
    error_message = "The alarm watches the biggest contributor's value of the key's rule."
  }

  assert {
    condition     = one(aws_cloudwatch_metric_alarm.contributor_cost["tenant"].metric_query).period == 3600 && aws_cloudwatch_metric_alarm.contributor_cost["tenant"].threshold == 2.5
    error_message = "One contributor's hourly spend is compared with the threshold."
  }

  assert {
    condition     = contains(keys(output.alarm_arns), "deck-cost-per-user_id")
    error_message = "The alarm is listed with the deck's alarms."
  }
}

run "no_rules_without_keys" {
  command = plan

  variables {
    attribution_keys = []
  }

  assert {
    condition     = length(aws_cloudwatch_contributor_insight_rule.this) == 0 && output.contributor_insight_rule_names == null
    error_message = "No rule without attribution keys."
  }
}

run "keys_are_snake_case_names" {
  command = plan
  variables { attribution_keys = ["Tenant-ID"] }
  expect_failures = [var.attribution_keys]
}

run "keys_are_not_contract_keys" {
  command = plan
  variables { attribution_keys = ["model"] }
  expect_failures = [var.attribution_keys]
}

run "at_most_four_distinct_keys" {
  command = plan
  variables { attribution_keys = ["a", "b", "c", "d", "e"] }
  expect_failures = [var.attribution_keys]
}

run "keys_are_distinct" {
  command = plan
  variables { attribution_keys = ["tenant", "tenant"] }
  expect_failures = [var.attribution_keys]
}
