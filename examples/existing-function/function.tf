# Your own function, as you already have it in your configuration, with two additions
# (marked "added"): the layer, and its AWS_LAMBDA_EXEC_WRAPPER variable. Your code and your
# handler stay as they are: the layer's wrapper records every Bedrock Runtime call and
# binds each invocation's request id. Set function_package_path to manage it here; left
# null, the example attaches the deck only, to a function that already writes the lines.

locals {
  manage_function = var.function_package_path != null
  log_group_name  = coalesce(var.log_group_name, "/aws/lambda/${var.function_name}")

  partition  = data.aws_partition.current.partition
  account_id = one(data.aws_caller_identity.current[*].account_id)

  # Default: Amazon Nova Micro through its US inference profile, and the foundation model
  # in each Region that profile routes to (the function module derives these from model_ids).
  bedrock_resource_arns = length(var.bedrock_resource_arns) > 0 || !local.manage_function ? var.bedrock_resource_arns : concat(
    ["arn:${local.partition}:bedrock:${data.aws_region.current.id}:${local.account_id}:inference-profile/us.amazon.nova-micro-v1:0"],
    [for r in ["us-east-1", "us-east-2", "us-west-2"] : "arn:${local.partition}:bedrock:${r}::foundation-model/amazon.nova-micro-v1:0"],
  )
}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {
  count = local.manage_function ? 1 : 0
}

# added: the payload as a layer (build the zip with `make layer` at the repository root).
module "genai_layer" {
  source = "../../modules/layer"

  create       = local.manage_function
  package_path = var.layer_package_path
}

resource "aws_lambda_function" "app" {
  count = local.manage_function ? 1 : 0

  #checkov:skip=CKV_AWS_116:An example of a user's own function: a dead-letter queue for asynchronous invocations is the user's choice and outside what the example shows (attaching the layer).
  #checkov:skip=CKV_AWS_117:The example function only calls the public Amazon Bedrock and CloudWatch endpoints, so it runs outside a VPC.
  #checkov:skip=CKV_AWS_272:Code signing needs an AWS Signer profile that is outside the example's scope; the user's zip is pinned by source_code_hash.
  #checkov:skip=CKV_AWS_173:Environment variables are encrypted at rest with the AWS managed key; they hold no secret (a service label and the wrapper path).
  #checkov:skip=CKV_AWS_50:X-Ray tracing is the user's choice; the deck already measures each call's latency.
  #checkov:skip=CKV_AWS_115:Reserved concurrency is the user's choice; reserving it in an example would take capacity from the account's other functions.

  function_name    = var.function_name
  filename         = var.function_package_path
  source_code_hash = filebase64sha256(var.function_package_path)
  handler          = var.function_handler
  runtime          = "python3.12"
  architectures    = ["arm64"]
  role             = aws_iam_role.app[0].arn
  timeout          = 60

  layers = [module.genai_layer.lambda_layer_arn] # added

  environment {
    # added: merge the layer's AWS_LAMBDA_EXEC_WRAPPER into your own variables
    variables = merge({ GENAI_SERVICE = var.service_name }, module.genai_layer.environment_variables)
  }

  tags = local.tags

  # The deck's module creates the log group with its retention before the first invocation.
  depends_on = [module.observability]
}

data "aws_iam_policy_document" "app_assume_role" {
  count = local.manage_function ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "app" {
  count = local.manage_function ? 1 : 0

  name               = "${var.function_name}-lambda"
  assume_role_policy = data.aws_iam_policy_document.app_assume_role[0].json
  tags               = local.tags
}

data "aws_iam_policy_document" "app" {
  count = local.manage_function ? 1 : 0

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${local.partition}:logs:${data.aws_region.current.id}:${local.account_id}:log-group:${local.log_group_name}:*"]
  }

  statement {
    sid       = "InvokeItsModels"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = local.bedrock_resource_arns
  }
}

resource "aws_iam_role_policy" "app" {
  count = local.manage_function ? 1 : 0

  name   = "logs-and-bedrock"
  role   = aws_iam_role.app[0].id
  policy = data.aws_iam_policy_document.app[0].json
}
