# Offline plan with the real provider (fake credentials, no network) of a monitoring-account
# deck: the alarm metric queries carry the source account (metric_query.account_id) and the
# Contributor Insights rule lists ARNs in LogGroupARNs, as hashicorp/aws renders them.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

variables {
  log_group_name        = "arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/app"
  create_log_group      = false
  create_metric_filters = false
  source_account_ids    = ["222222222222"]
  attribution_keys      = ["tenant"]
  alarms                = { cost_pace_factor = 0, llm_error_rate_percent = 5, llm_latency_p99_ms = 2000 }
}

run "monitoring_deck_renders_account_ids_and_arns" {
  command = plan

  assert {
    condition     = [for q in aws_cloudwatch_metric_alarm.service["llm_error_rate/222222222222"].metric_query : q.account_id if length(q.metric) > 0] == ["222222222222", "222222222222"]
    error_message = "The error-rate alarm's metrics must be read in the source account."
  }

  assert {
    condition = [for q in aws_cloudwatch_metric_alarm.service["llm_latency_p99/222222222222"].metric_query : {
      account = q.account_id, stat = one(q.metric).stat, name = one(q.metric).metric_name, returned = q.return_data
    }] == [{ account = "222222222222", stat = "p99", name = "LatencyMs", returned = true }]
    error_message = "The p99 alarm must be one metric query in the source account."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_contributor_insight_rule.this["tenant"].rule_definition).LogGroupARNs == ["arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/app"]
    error_message = "The rule must list the source account's group in LogGroupARNs."
  }
}
