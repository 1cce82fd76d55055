# The account view: AWS/Bedrock token metrics priced with the package's catalog and the
# overrides, as GetMetricData queries, a dashboard row and a daily alarm.

mock_provider "aws" { source = "./tests/mocks" }

run "off_by_default" {
  command = plan

  assert {
    condition     = output.account_spend_metric_queries == [] && length(aws_cloudwatch_metric_alarm.account_daily_cost) == 0
    error_message = "Without account_model_ids there is no account view."
  }

  assert {
    condition     = !strcontains(aws_cloudwatch_dashboard.this[0].dashboard_body, "AWS/Bedrock")
    error_message = "Without account_model_ids the dashboard has no account row."
  }
}

run "model_ids_with_a_price_by_default" {
  command = plan

  variables {
    model_ids = ["us.amazon.nova-micro-v1:0", "acme.unknown-model-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"]
  }

  assert {
    condition     = [for q in output.account_spend_metric_queries : q.Label if can(q.Expression) && !q.ReturnData] == ["us.amazon.nova-micro-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"]
    error_message = "Left null, account_model_ids takes the model_ids that have a price, by the same candidate ids."
  }
}

run "catalog_prices_become_metric_math" {
  command = plan

  variables {
    account_model_ids = ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0", "us.amazon.nova-micro-v1:0"]
  }

  assert {
    condition     = [for q in output.account_spend_metric_queries : q.Id] == ["in0", "out0", "cr0", "cw0", "in1", "out1", "cr1", "cw1", "in2", "out2", "cr2", "cost0", "cost1", "cost2", "account_total"]
    error_message = "Each model gets one metric per priced token kind (Nova has a cache-read price, no cache-write price), its cost, and the account gets its total."
  }

  assert {
    condition     = output.account_spend_metric_queries[11].Expression == "(FILL(in0, 0) * 3.3 + FILL(out0, 0) * 16.5 + FILL(cr0, 0) * 0.33 + FILL(cw0, 0) * 4.125) / 1000000"
    error_message = "A geographic Claude profile must use its own catalog entry (the regional premium)."
  }

  assert {
    condition     = output.account_spend_metric_queries[12].Expression == "(FILL(in1, 0) * 1 + FILL(out1, 0) * 5 + FILL(cr1, 0) * 0.1 + FILL(cw1, 0) * 1.25) / 1000000"
    error_message = "A global profile without its own entry must use the model's price."
  }

  assert {
    condition     = output.account_spend_metric_queries[13].Expression == "(FILL(in2, 0) * 0.035 + FILL(out2, 0) * 0.14 + FILL(cr2, 0) * 0.00875) / 1000000" && output.account_spend_metric_queries[13].Label == "us.amazon.nova-micro-v1:0"
    error_message = "The us. Nova Micro profile must cost the model's price, with its cache-read price and no cache-write kind."
  }

  assert {
    condition = output.account_spend_metric_queries[4] == {
      Id = "in1"
      MetricStat = {
        Metric = { Namespace = "AWS/Bedrock", MetricName = "InputTokenCount", Dimensions = [{ Name = "ModelId", Value = "global.anthropic.claude-haiku-4-5-20251001-v1:0" }] }
        Period = 3600
        Stat   = "Sum"
      }
      Label      = "InputTokenCount global.anthropic.claude-haiku-4-5-20251001-v1:0"
      ReturnData = false
    }
    error_message = "A metric query must be a GetMetricData MetricStat on AWS/Bedrock by ModelId."
  }

  assert {
    condition     = [for q in output.account_spend_metric_queries : q.Id if q.ReturnData] == ["account_total"] && output.account_spend_metric_queries[14].Expression == "SUM([cost0, cost1, cost2])"
    error_message = "The one returned series must be the account total."
  }

  assert {
    condition     = length([for w in jsondecode(aws_cloudwatch_dashboard.this[0].dashboard_body).widgets : w if strcontains(try(w.properties.title, ""), "whole account")]) == 1
    error_message = "The dashboard must show the account's spend by model."
  }
}

run "overrides_win_and_reach_profiles" {
  command = plan

  variables {
    account_model_ids = ["us.amazon.nova-micro-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"]
    model_prices = {
      "amazon.nova-micro-v1:0" = { input = 0.05, output = 0.2, cache_read = 0.0125 }
    }
  }

  assert {
    condition     = output.account_spend_metric_queries[6].Expression == "(FILL(in0, 0) * 0.05 + FILL(out0, 0) * 0.2 + FILL(cr0, 0) * 0.0125) / 1000000"
    error_message = "An override of the model must price its profile, cache reads included."
  }

  assert {
    condition     = output.account_spend_metric_queries[7].Expression == "(FILL(in1, 0) * 0.06 + FILL(out1, 0) * 0.24 + FILL(cr1, 0) * 0.015) / 1000000"
    error_message = "A foundation-model ARN must be priced as its model id."
  }
}

run "account_alarm_from_the_same_queries" {
  command = plan

  variables {
    account_model_ids = ["us.amazon.nova-micro-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0"]
    alarms            = { account_daily_cost_budget_usd = 25 }
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.account_daily_cost[0].threshold == 25 && aws_cloudwatch_metric_alarm.account_daily_cost[0].alarm_name == "deck-account-daily-cost"
    error_message = "The account alarm must watch the daily budget."
  }

  assert {
    condition     = sort([for q in aws_cloudwatch_metric_alarm.account_daily_cost[0].metric_query : q.id]) == sort([for q in output.account_spend_metric_queries : q.Id])
    error_message = "The alarm must be built from the output's queries."
  }

  assert {
    condition     = alltrue([for q in aws_cloudwatch_metric_alarm.account_daily_cost[0].metric_query : q.metric[0].period == 86400 if length(q.metric) > 0])
    error_message = "The alarm must sum each metric over one day."
  }

  assert {
    condition     = [for q in aws_cloudwatch_metric_alarm.account_daily_cost[0].metric_query : q.id if q.return_data] == ["account_total"]
    error_message = "The alarm must watch the account total."
  }
}

run "unknown_model_is_refused" {
  command = plan

  variables {
    account_model_ids = ["us.amazon.nova-micro-v1:0", "acme.no-such-model-v1:0"]
  }

  expect_failures = [data.aws_partition.current]
}

run "application_profile_arn_needs_an_override" {
  command = plan

  variables {
    account_model_ids = ["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"]
  }

  expect_failures = [data.aws_partition.current]
}

run "more_than_ten_metrics_in_the_alarm_is_refused" {
  command = plan

  variables {
    account_model_ids = ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-opus-4-5-20251101-v1:0"]
    alarms            = { account_daily_cost_budget_usd = 25 }
  }

  expect_failures = [aws_cloudwatch_metric_alarm.account_daily_cost]
}

run "rejects_a_bad_value_of_each_input" {
  command = plan

  variables {
    account_model_ids        = ["anthropic.*"]    # bad account model id
    account_mantle_model_ids = ["openai.*"]       # bad bedrock-mantle model id
    source_account_ids       = ["2222-2222-2222"] # bad source account id
  }

  expect_failures = [var.account_model_ids, var.account_mantle_model_ids, var.source_account_ids]
}

run "bad_account_budget" {
  command = plan

  variables {
    account_model_ids = ["us.amazon.nova-micro-v1:0"]
    alarms            = { account_daily_cost_budget_usd = 0 }
  }

  expect_failures = [var.alarms]
}

run "disabled_deck_has_no_account_view" {
  command = plan

  variables {
    create            = false
    account_model_ids = ["us.amazon.nova-micro-v1:0"]
    alarms            = { account_daily_cost_budget_usd = 25 }
  }

  assert {
    condition     = output.account_spend_metric_queries == [] && length(aws_cloudwatch_metric_alarm.account_daily_cost) == 0
    error_message = "create = false must plan no account view."
  }
}

run "source_accounts_get_their_own_queries_and_rows" {
  command = plan

  variables {
    account_model_ids  = ["us.amazon.nova-micro-v1:0"]
    source_account_ids = ["222222222222", "333333333333"]
  }

  assert {
    condition     = [for q in output.source_account_spend_metric_queries["333333333333"] : q.Id] == ["a2_in0", "a2_out0", "a2_cr0", "a2_cost0", "a2_account_total"]
    error_message = "Each source account's queries must carry their own id prefix."
  }

  assert {
    condition     = alltrue([for q in output.source_account_spend_metric_queries["222222222222"] : q.AccountId == "222222222222" if can(q.MetricStat)])
    error_message = "Each source account's metrics must be read through its AccountId."
  }

  assert {
    condition     = output.source_account_spend_metric_queries["222222222222"][3].Expression == "(FILL(a1_in0, 0) * 0.035 + FILL(a1_out0, 0) * 0.14 + FILL(a1_cr0, 0) * 0.00875) / 1000000"
    error_message = "A source account's cost must be priced like this account's."
  }

  assert {
    condition     = alltrue([for q in output.account_spend_metric_queries : !can(q.AccountId)])
    error_message = "This account's queries carry no AccountId."
  }

  assert {
    condition     = length([for w in jsondecode(aws_cloudwatch_dashboard.this[0].dashboard_body).widgets : w if startswith(try(w.properties.title, ""), "Account 3333")]) == 2
    error_message = "Each source account must get its own dashboard row."
  }
}

# bedrock-mantle (OpenAI Responses, Chat Completions, Anthropic Messages on
# bedrock-mantle.<region>.api.aws) publishes to AWS/BedrockMantle, dimension Model.
run "mantle_models_are_read_from_their_own_namespace" {
  command = plan

  variables {
    account_model_ids        = ["us.amazon.nova-micro-v1:0"]
    account_mantle_model_ids = ["anthropic.claude-opus-4-8", "openai.gpt-oss-120b"]
    model_prices             = { "openai.gpt-oss-120b" = { input = 0.15, output = 0.6 } }
    alarms                   = { account_daily_cost_budget_usd = 25 }
  }

  assert {
    condition     = [for q in output.account_spend_metric_queries : q.Id] == ["in0", "out0", "cr0", "min0", "mout0", "min1", "mout1", "cost0", "mcost0", "mcost1", "account_total"]
    error_message = "Each mantle model gets its input and output metrics (no cache metric is published) and its own cost, in the same total."
  }

  assert {
    condition = output.account_spend_metric_queries[3].MetricStat.Metric == {
      Namespace  = "AWS/BedrockMantle"
      MetricName = "TotalInputTokens"
      Dimensions = [{ Name = "Model", Value = "anthropic.claude-opus-4-8" }]
    }
    error_message = "A mantle model's tokens are TotalInputTokens / TotalOutputTokens of AWS/BedrockMantle by Model."
  }

  assert {
    condition     = output.account_spend_metric_queries[8].Expression == "(FILL(min0, 0) * 5.5 + FILL(mout0, 0) * 27.5) / 1000000" && output.account_spend_metric_queries[8].Label == "anthropic.claude-opus-4-8"
    error_message = "A mantle model is priced with the same catalog."
  }

  assert {
    condition     = output.account_spend_metric_queries[9].Expression == "(FILL(min1, 0) * 0.15 + FILL(mout1, 0) * 0.6) / 1000000"
    error_message = "A mantle model is priced with the same overrides."
  }

  assert {
    condition     = output.account_spend_metric_queries[10].Expression == "SUM([cost0, mcost0, mcost1])"
    error_message = "The account total sums both namespaces."
  }

  assert {
    condition     = sort([for q in aws_cloudwatch_metric_alarm.account_daily_cost[0].metric_query : q.id]) == sort([for q in output.account_spend_metric_queries : q.Id])
    error_message = "The account alarm watches the mantle models too."
  }
}

run "mantle_models_alone_make_an_account_view" {
  command = plan

  variables {
    account_model_ids        = []
    account_mantle_model_ids = ["anthropic.claude-opus-4-8"]
  }

  assert {
    condition     = [for q in output.account_spend_metric_queries : q.Id] == ["min0", "mout0", "mcost0", "account_total"]
    error_message = "account_mantle_model_ids alone is an account view."
  }

  assert {
    condition     = !strcontains(aws_cloudwatch_dashboard.this[0].dashboard_body, "EstimatedTPMQuotaUsage")
    error_message = "Without AWS/Bedrock models the dashboard has no latency row (mantle publishes none)."
  }
}

run "unknown_mantle_model_is_refused" {
  command = plan

  variables {
    account_mantle_model_ids = ["acme.no-such-model"]
  }

  expect_failures = [data.aws_partition.current]
}

run "mantle_metrics_count_in_the_alarm_limit" {
  command = plan

  variables {
    account_model_ids        = ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0"]
    account_mantle_model_ids = ["anthropic.claude-opus-4-8", "openai.gpt-oss-120b"]
    model_prices             = { "openai.gpt-oss-120b" = { input = 0.15, output = 0.6 } }
    alarms                   = { account_daily_cost_budget_usd = 25 }
  }

  expect_failures = [aws_cloudwatch_metric_alarm.account_daily_cost]
}

run "mantle_ids_are_priced_by_the_payloads_candidate_rule" {
  command = plan

  variables {
    account_mantle_model_ids = ["openai.gpt-oss-20b", "anthropic.claude-haiku-4-5"]
  }

  assert {
    condition     = [for q in output.account_spend_metric_queries : q.Expression if can(q.Expression) && !q.ReturnData] == ["(FILL(min0, 0) * 0.07 + FILL(mout0, 0) * 0.3) / 1000000", "(FILL(min1, 0) * 1 + FILL(mout1, 0) * 5) / 1000000"]
    error_message = "A mantle id of the payload's MANTLE_IDS is priced as the id it names (openai.gpt-oss-20b-1:0, global.anthropic.claude-haiku-4-5-20251001-v1:0)."
  }
}
