# The root's account view: by default the deck's model_ids that have a price.

mock_provider "aws" {
  override_during = plan
  source          = "./tests/mocks"
}

variables {
  model_ids = ["us.amazon.nova-micro-v1:0", "acme.unknown-model-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"]
}

run "defaults_to_the_priced_model_ids" {
  command = plan

  assert {
    condition     = [for q in output.account_spend_metric_queries : q.Label if can(q.Expression) && !q.ReturnData] == ["us.amazon.nova-micro-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"]
    error_message = "The account view must default to the model_ids with a price, leaving the unknown one out."
  }
}

run "an_override_makes_a_model_known" {
  command = plan

  variables {
    model_prices = { "acme.unknown-model-v1:0" = { input = 1, output = 2 } }
  }

  assert {
    condition     = [for q in output.account_spend_metric_queries : q.Expression if q.Label == "acme.unknown-model-v1:0"] == ["(FILL(in1, 0) * 1 + FILL(out1, 0) * 2) / 1000000"]
    error_message = "A model priced by model_prices must be in the account view, at that price."
  }
}

run "explicit_list_and_off" {
  command = plan

  variables {
    account_model_ids = []
  }

  assert {
    condition     = output.account_spend_metric_queries == []
    error_message = "An empty account_model_ids turns the account view off."
  }
}

run "account_budget_passes_through" {
  command = plan

  variables {
    alarms = { account_daily_cost_budget_usd = 40 }
  }

  assert {
    condition     = contains(keys(module.observability.alarm_arns), "genai-deck-account-daily-cost")
    error_message = "The account alarm's budget must reach the deck."
  }
}

run "mantle_models_pass_through" {
  command = plan

  variables {
    account_mantle_model_ids = ["anthropic.claude-opus-4-8"]
  }

  assert {
    condition     = [for q in output.account_spend_metric_queries : q.MetricStat.Metric.Namespace if can(q.MetricStat) && q.Id == "min0"] == ["AWS/BedrockMantle"]
    error_message = "account_mantle_model_ids must reach the account view (AWS/BedrockMantle)."
  }
}
