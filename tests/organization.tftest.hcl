# examples/organization plans offline with the real provider (fake keys, no network), one
# provider configuration per account.

provider "aws" {
  alias                       = "monitoring"
  region                      = "us-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

provider "aws" {
  alias                       = "source"
  region                      = "us-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

run "organization_plans" {
  command = plan

  module {
    source = "./examples/organization"
  }

  assert {
    condition     = jsondecode(output.oam_sink_policy_json).Statement[0].Principal.AWS == ["arn:aws:iam::222222222222:root"]
    error_message = "The sink must let the source account link."
  }

  assert {
    condition     = output.oam_link_filters == { log_group = "LogGroupName IN ('/aws/lambda/support-agent')", metric = "Namespace IN ('AWS/Bedrock', 'AWS/Lambda', 'GenAI')" }
    error_message = "The source account must share the deck's log group and namespaces only."
  }

  assert {
    condition     = output.source_dashboard_name == "support-agent-deck"
    error_message = "The source account keeps its own deck."
  }

  assert {
    condition     = module.monitoring_deck.cloudwatch_log_group_names == tolist(["arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/support-agent"])
    error_message = "The monitoring deck must read the source account's log group by ARN."
  }

  assert {
    condition     = alltrue([for q in output.source_account_spend_metric_queries["222222222222"] : q.AccountId == "222222222222" if can(q.MetricStat)])
    error_message = "The monitoring deck must read the source account's Bedrock metrics by account ID."
  }

  assert {
    condition     = module.monitoring_deck.metric_filters == null && module.monitoring_deck.cloudwatch_log_group_arn == null
    error_message = "Nothing may be created on another account's log group."
  }

  assert {
    condition     = output.disabled_oam_link_arn == null
    error_message = "The disabled instance must plan nothing."
  }
}
