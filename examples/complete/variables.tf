variable "region" {
  description = "AWS Region to deploy to."
  type        = string
  default     = "us-east-1"
  nullable    = false
}

variable "name" {
  description = "Name of the function and of the deck."
  type        = string
  default     = "genai-deck"
  nullable    = false
}

variable "package_path" {
  description = "Path to the deployment zip; run `make package` at the repository root first to build it."
  type        = string
  default     = "../../dist/genai_observability.zip"
  nullable    = false
}

variable "model_ids" {
  description = "Bedrock models the function may invoke; the first one is called."
  type        = list(string)
  default     = ["us.amazon.nova-micro-v1:0"]
  nullable    = false
}

variable "daily_cost_budget_usd" {
  description = "Daily LLM cost budget in USD for the cost alarm."
  type        = number
  default     = 5
  nullable    = false
}

variable "alarm_emails" {
  description = "Email addresses notified by the alarms (each must confirm its subscription)."
  type        = list(string)
  default     = ["genai-alerts@example.com"]
  nullable    = false
}

variable "create_query_definitions" {
  description = "Whether to save the deck's Logs Insights queries."
  type        = bool
  default     = true
  nullable    = false
}

variable "enable_data_protection" {
  description = "Whether to attach the data protection policy to the log group."
  type        = bool
  default     = true
  nullable    = false
}

variable "enable_field_index" {
  description = "Whether to attach the field index policy to the log group."
  type        = bool
  default     = true
  nullable    = false
}

variable "kms_key_arn" {
  description = "Optional customer managed KMS key ARN for logs, environment, queue and topic; null uses AWS managed keys."
  type        = string
  default     = null
}
