# Cost per tenant, user or any attribution key the payload binds (bind_request(context,
# tenant=...)): far too many values for a metric dimension, so each key gets a Contributor
# Insights rule (Sum of $.cost_usd by $.<key> over the deck's log groups), a top-contributors
# widget, a saved question cost-by-<key> and, optionally, an alarm on the biggest
# contributor's hourly spend (alarms.tf).
#
# Rule syntax: Amazon CloudWatch User Guide, "Contributor Insights rule syntax"
# (Schema CloudWatchLogRule v1; up to 4 Keys, 4 Filters; In / IsPresent operators;
# AggregateOn Sum with ValueOf). LogGroupNames takes names; in a cross-account observability
# monitoring account, LogGroupARNs takes ARNs of source accounts' (and its own) log groups,
# and a rule has "either LogGroupNames or LogGroupARNs, but not both" (same page).

locals {
  create_contributor_insights = var.create && length(var.attribution_keys) > 0

  # Names, or ARNs when any group is an ARN (a rule has one list or the other; a mix is
  # refused below).
  contributor_log_groups_are_arns = anytrue([for g in local.log_group_names : startswith(g, "arn:")])
  contributor_log_groups = (local.contributor_log_groups_are_arns
    ? { LogGroupARNs = local.log_group_names }
    : { LogGroupNames = local.log_group_names }
  )

  contributor_rules = {
    for k in var.attribution_keys : k => {
      name = "${var.name}-cost-by-${k}"
      definition = jsonencode(merge(local.contributor_log_groups, {
        Schema    = { Name = "CloudWatchLogRule", Version = 1 }
        LogFormat = "JSON"
        Contribution = {
          Keys    = ["$.${k}"]
          ValueOf = "$.cost_usd"
          Filters = [
            { Match = "$.event", In = ["llm_call"] },
            { Match = "$.service", In = [local.service_name] },
            { Match = "$.${k}", IsPresent = true },
          ]
        }
        AggregateOn = "Sum"
      }))
    }
  }

  # Saved questions, merged into local.queries (queries.tf).
  attribution_queries = {
    for k in var.attribution_keys : "cost-by-${k}" => chomp(<<-EOT
      filter event = "llm_call" and ispresent(${k})
      | stats sum(cost_usd) as total_cost_usd, count(*) as calls, sum(input_tokens) as total_input_tokens, sum(output_tokens) as total_output_tokens by ${k}
      | sort total_cost_usd desc
      | limit 100
    EOT
    )
  }
}

resource "aws_cloudwatch_contributor_insight_rule" "this" {
  for_each = local.create_contributor_insights ? local.contributor_rules : {}

  rule_name       = each.value.name
  rule_state      = "ENABLED"
  rule_definition = each.value.definition

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.this]

  lifecycle {
    precondition {
      condition     = alltrue([for g in local.log_group_names : startswith(g, "arn:") == local.contributor_log_groups_are_arns])
      error_message = "The Contributor Insights rules need every log group (log_group_name and additional_log_group_names) as a name or every one as an ARN, because a rule lists either LogGroupNames or LogGroupARNs, not both: give this account's groups as ARNs too."
    }
  }
}
