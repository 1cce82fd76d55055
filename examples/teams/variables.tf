variable "region" {
  description = "AWS Region to deploy to."
  type        = string
  default     = "us-east-1"
  nullable    = false
}

variable "name_prefix" {
  description = "Prefix of every team's function and deck name (<prefix>-<team>)."
  type        = string
  default     = "genai"
  nullable    = false
}

variable "package_path" {
  description = "Path to the deployment zip; run `make package` at the repository root first to build it."
  type        = string
  default     = "../../dist/genai_observability.zip"
  nullable    = false
}

variable "metric_namespace" {
  description = "CloudWatch namespace shared by every team's metrics."
  type        = string
  default     = "GenAI"
  nullable    = false
}

variable "teams" {
  description = "Teams by name: the models each may invoke, its daily cost budget in USD, and optionally a default prompt and a schedule."
  type = map(object({
    model_ids             = list(string)
    daily_cost_budget_usd = number
    prompt                = optional(string)
    schedule_expression   = optional(string)
  }))
  default = {
    search = {
      model_ids             = ["us.amazon.nova-micro-v1:0"]
      daily_cost_budget_usd = 5
    }
    support = {
      model_ids             = ["us.anthropic.claude-3-5-haiku-20241022-v1:0"]
      daily_cost_budget_usd = 20
      prompt                = "Summarise the open support tickets."
      schedule_expression   = "cron(0 8 ? * MON-FRI *)"
    }
  }
  nullable = false

  validation {
    condition     = alltrue([for k, _ in var.teams : can(regex("^[a-z0-9-]{1,32}$", k))])
    error_message = "Every team name must be 1 to 32 lowercase letters, digits or hyphens."
  }
}

variable "alarm_sns_topic_arn" {
  description = "ARN of an existing SNS topic every team's alarms notify; null notifies none."
  type        = string
  default     = null
}
