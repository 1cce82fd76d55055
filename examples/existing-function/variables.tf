variable "region" {
  description = "AWS Region of the existing function."
  type        = string
  default     = "us-east-1"
  nullable    = false
}

variable "function_name" {
  description = "Name of the existing Lambda function that logs llm_call lines."
  type        = string
  default     = "my-existing-agent"
  nullable    = false
}

variable "log_group_name" {
  description = "Name of the function's existing log group; null means /aws/lambda/<function_name>."
  type        = string
  default     = null
}

variable "deck_name" {
  description = "Name of the deck: dashboard name and saved query folder."
  type        = string
  default     = "my-existing-agent-deck"
  nullable    = false
}

variable "service_name" {
  description = "Service label the function writes on its llm_call lines (its GENAI_SERVICE)."
  type        = string
  default     = "my-existing-agent"
  nullable    = false
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the deck's metrics."
  type        = string
  default     = "GenAI"
  nullable    = false
}

variable "daily_cost_budget_usd" {
  description = "Daily LLM cost budget in USD for the cost alarm."
  type        = number
  default     = 10
  nullable    = false
}

variable "alarm_sns_topic_arn" {
  description = "ARN of an existing SNS topic the alarms notify; null notifies none."
  type        = string
  default     = null
}

variable "package_path" {
  description = "Path to the payload zip the budget function runs (make package)."
  type        = string
  default     = "../../dist/genai_observability.zip"
  nullable    = false
}

variable "function_package_path" {
  description = "Path to your function's own deployment zip; set it to define the function here with the layer attached, leave null to attach the deck only."
  type        = string
  default     = null
}

variable "function_handler" {
  description = "Your function's own handler (module.function), unchanged by the layer."
  type        = string
  default     = "app.handler"
  nullable    = false
}

variable "layer_package_path" {
  description = "Path to the layer zip built by `make layer` at the repository root; used when function_package_path is set."
  type        = string
  default     = "../../dist/genai_observability_layer.zip"
  nullable    = false
}

variable "bedrock_resource_arns" {
  description = "Bedrock resource ARNs your function's role may invoke; empty means Amazon Nova Micro through its US inference profile."
  type        = list(string)
  default     = []
  nullable    = false
}
