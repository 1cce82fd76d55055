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
