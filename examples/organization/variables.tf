variable "region" {
  description = "AWS Region of the deck, in both accounts (cross-account observability works within one Region)."
  type        = string
  default     = "us-east-1"
  nullable    = false
}

variable "monitoring_profile" {
  description = "Named AWS CLI profile with credentials for the monitoring account. Null uses the default credentials."
  type        = string
  default     = null
}

variable "source_profile" {
  description = "Named AWS CLI profile with credentials for the source account. Null uses the default credentials."
  type        = string
  default     = null
}

variable "source_account_id" {
  description = "ID of the source account (12 digits): the sink lets it link, the deck reads its metrics."
  type        = string
  default     = "222222222222"
  nullable    = false
}

variable "organization_id" {
  description = "ID of an AWS Organizations organization whose every account may link to the sink. Null means the listed source account only."
  type        = string
  default     = null
}

variable "function_name" {
  description = "Name of the existing Lambda function in the source account that logs llm_call lines."
  type        = string
  default     = "support-agent"
  nullable    = false
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the deck's metrics, in the source account and as the monitoring account reads them."
  type        = string
  default     = "GenAI"
  nullable    = false
}

variable "partition" {
  description = "AWS partition of both accounts (aws, aws-cn, aws-us-gov), for the source log group's ARN."
  type        = string
  default     = "aws"
  nullable    = false
}

variable "service_name" {
  description = "Service label (GENAI_SERVICE) of the source account's function: the deck's metrics' Service dimension."
  type        = string
  default     = "support-agent"
  nullable    = false
}

variable "model_ids" {
  description = "Models the source account calls (ids as called): the monitoring deck prices their Amazon Bedrock metrics per account."
  type        = list(string)
  default     = ["us.amazon.nova-micro-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0"]
  nullable    = false
}
