# The monitoring account's side of CloudWatch cross-account observability (OAM): one sink
# and the policy that says which source accounts may link to it, and which kinds of data
# they may share. Source accounts link with modules/source-account.

locals {
  # One statement per kind of principal: listed accounts by their root ARN, and the
  # accounts of one organization through aws:PrincipalOrgID (any principal, conditioned:
  # the form AWS documents for an organization-wide sink).
  # What both grant: creating and updating links that share the chosen kinds of data.
  link_grant = {
    Effect    = "Allow"
    Action    = ["oam:CreateLink", "oam:UpdateLink"]
    Resource  = "*"
    Condition = { "ForAllValues:StringEquals" = { "oam:ResourceTypes" = sort(distinct(var.resource_types)) } }
  }

  account_statements = length(var.source_account_ids) == 0 ? [] : [merge(local.link_grant, {
    Sid       = "LinkFromSourceAccounts"
    Principal = { AWS = [for a in sort(distinct(var.source_account_ids)) : "arn:${local.partition}:iam::${a}:root"] }
  })]

  organization_statements = var.organization_id == null ? [] : [merge(local.link_grant, {
    Sid       = "LinkFromOrganization"
    Principal = "*"
    Condition = merge(local.link_grant.Condition, { StringEquals = { "aws:PrincipalOrgID" = var.organization_id } })
  })]

  sink_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.account_statements, local.organization_statements)
  })

  partition = try(data.aws_partition.current[0].partition, "aws")
}

data "aws_partition" "current" {
  count = var.create ? 1 : 0
}

resource "aws_oam_sink" "this" {
  count = var.create ? 1 : 0

  name = var.name
  tags = var.tags
}

resource "aws_oam_sink_policy" "this" {
  count = var.create ? 1 : 0

  sink_identifier = aws_oam_sink.this[0].arn
  policy          = local.sink_policy

  lifecycle {
    precondition {
      condition     = length(var.source_account_ids) > 0 || var.organization_id != null
      error_message = "Set source_account_ids or organization_id (or both): a sink that no account may link to is of no use."
    }
  }
}
