# Offline plan with the real provider (fake credentials, no network): the JSON the
# provider will send (dashboard body, data protection, field index and key policies)
# is rendered and validated by hashicorp/aws itself, not by a mock.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

# The only data source that would reach the network.
override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

variables {
  function_names         = ["deck-fn"]
  enable_data_protection = true
  enable_field_index     = true
  create_sns_topic       = true
  custom_metrics         = { AICost = {} }
}

run "real_json" {
  command = plan

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.this[0].dashboard_body).widgets) == 18
    error_message = "The real provider must accept and keep the dashboard body."
  }

  assert {
    condition     = alltrue([for w in jsondecode(aws_cloudwatch_dashboard.this[0].dashboard_body).widgets : w.properties.region == "us-east-1" if w.type != "text"])
    error_message = "Widgets must carry the provider's region."
  }

  assert {
    condition     = output.dashboard_url == "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/deck"
    error_message = "The console URL must use the provider's region and partition."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_log_data_protection_policy.this[0].policy_document).Statement[1].DataIdentifier[0] == "arn:aws:dataprotection::aws:data-identifier/AwsSecretKey"
    error_message = "Data identifiers must use the real partition."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_log_index_policy.this[0].policy_document).Fields == ["event", "model", "service"]
    error_message = "The field index policy must survive the real provider."
  }

  assert {
    condition     = jsondecode(aws_kms_key.sns[0].policy).Statement[0].Principal.AWS == "arn:aws:iam::123456789012:root"
    error_message = "The key policy must name the account root."
  }

  assert {
    condition     = jsondecode(aws_kms_key.sns[0].policy).Statement[1].Condition.ArnLike["aws:SourceArn"] == "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" && jsondecode(aws_kms_key.sns[0].policy).Statement[1].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "The key policy must limit CloudWatch to this account's alarms."
  }

  assert {
    condition     = length(aws_cloudwatch_log_metric_filter.this) == 16 && length(aws_cloudwatch_query_definition.this) == 10
    error_message = "The real provider must plan every filter and query."
  }
}

# A monitoring-account deck: the alarm metric queries carry the source account
# (metric_query.account_id) and the Contributor Insights rule lists ARNs in LogGroupARNs,
# as hashicorp/aws renders them.
run "monitoring_deck_renders_account_ids_and_arns" {
  command = plan

  variables {
    log_group_name         = "arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/app"
    create_log_group       = false
    create_metric_filters  = false
    enable_data_protection = false
    enable_field_index     = false
    source_account_ids     = ["222222222222"]
    attribution_keys       = ["tenant"]
    alarms                 = { cost_pace_factor = 0, llm_error_rate_percent = 5, llm_latency_p99_ms = 2000 }
  }

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
