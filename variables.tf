################################################################################
# General
################################################################################

variable "create" {
  description = "Whether to create any resource at all. Set to false to plan zero resources."
  type        = bool
  default     = true
  nullable    = false
}

variable "name" {
  description = "Name of the function and of the deck: the log group is /aws/lambda/<name>, the dashboard and the query folder are <name>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,54}$", var.name))
    error_message = "The name must be 1 to 54 characters of letters, digits, hyphens or underscores."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key for the log group, the function's environment, the schedule, the dead-letter queue and the created SNS topic; null uses AWS managed encryption (and a key created for the SNS topic). Its key policy must allow CloudWatch Logs and CloudWatch alarms."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be null or a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

################################################################################
# Function
################################################################################

variable "package_path" {
  description = "Path to the deployment zip built by `make package` or `python -m genai_observability.package OUT.zip`."
  type        = string

  validation {
    condition     = endswith(lower(var.package_path), ".zip")
    error_message = "The package_path must point to a .zip file."
  }
}

variable "model_ids" {
  description = "Bedrock models the function may invoke: foundation model ids, cross-Region inference profile ids (us.*, eu.*, apac.*, global.* ...) or full ARNs. The function's role may invoke only these, and the foundation models behind an inference profile only through that profile."
  type        = list(string)

  validation {
    condition     = length(var.model_ids) > 0
    error_message = "The model_ids must list at least one model id."
  }

  validation {
    condition     = alltrue([for id in var.model_ids : can(regex("^[A-Za-z0-9][A-Za-z0-9._:/+-]*$", id)) && !strcontains(id, "*")])
    error_message = "Each entry of model_ids must be a model id, inference profile id or ARN without spaces or wildcards."
  }
}

variable "model_id" {
  description = "Model the handler calls; null uses the first entry of model_ids."
  type        = string
  default     = null
}

variable "service_name" {
  description = "Service label of the calls (GENAI_SERVICE), followed by the dashboard and the alarms; null uses the name."
  type        = string
  default     = null

  validation {
    condition     = var.service_name == null || can(regex("^[A-Za-z0-9._:/-]{1,128}$", var.service_name))
    error_message = "The service_name must be null or 1 to 128 characters of letters, digits, dots, colons, slashes, hyphens or underscores."
  }
}

variable "prompt" {
  description = "Default prompt of the handler, also sent by the schedule (required with schedule_expression); null sets none."
  type        = string
  default     = null
}

variable "model_prices" {
  description = "Price overrides in USD per 1M tokens by model id; they win over the bundled catalog."
  type = map(object({
    input       = number
    output      = number
    cache_read  = optional(number)
    cache_write = optional(number)
  }))
  default  = {}
  nullable = false

  validation {
    condition = alltrue(flatten([
      for price in values(var.model_prices) : [
        price.input >= 0,
        price.output >= 0,
        price.cache_read == null ? true : price.cache_read >= 0,
        price.cache_write == null ? true : price.cache_write >= 0,
      ]
    ]))
    error_message = "Every price in model_prices must be greater than or equal to 0 (USD per 1M tokens)."
  }
}

variable "log_content" {
  description = "Whether the function logs prompt and response text. Off by default."
  type        = bool
  default     = false
  nullable    = false
}

variable "memory_size" {
  description = "Memory of the function in MB (128 to 10240)."
  type        = number
  default     = 256
  nullable    = false

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "The memory_size must be a whole number of MB between 128 and 10240."
  }
}

variable "timeout" {
  description = "Timeout of the function in seconds (1 to 900)."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "The timeout must be a whole number of seconds between 1 and 900."
  }
}

variable "enable_tracing" {
  description = "Whether to turn on AWS X-Ray active tracing of the function."
  type        = bool
  default     = false
  nullable    = false
}

################################################################################
# Schedule
################################################################################

variable "schedule_expression" {
  description = "EventBridge Scheduler expression that invokes the function, such as rate(1 hour) or cron(0 9 * * ? *); null creates no schedule."
  type        = string
  default     = null

  validation {
    condition     = var.schedule_expression == null || can(regex("^(rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\)|cron\\(\\S+( \\S+){5}\\)|at\\([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\))$", var.schedule_expression))
    error_message = "The schedule_expression must be null, rate(<n> minute(s)|hour(s)|day(s)), cron(<6 fields>) or at(yyyy-mm-ddThh:mm:ss)."
  }
}

variable "create_dead_letter_queue" {
  description = "Whether to create an encrypted SQS dead-letter queue for schedule events that could not be delivered."
  type        = bool
  default     = false
  nullable    = false
}

variable "async_retry_attempts" {
  description = "How many times Lambda retries a failed asynchronous (for example scheduled) invocation of the function (0 to 2). The default 0 never pays for a failed LLM call twice."
  type        = number
  default     = 0
  nullable    = false

  validation {
    condition     = contains([0, 1, 2], var.async_retry_attempts)
    error_message = "The async_retry_attempts must be 0, 1 or 2."
  }
}

################################################################################
# Deck: log group, queries, dashboard
################################################################################

variable "log_retention_in_days" {
  description = "Retention of the log group in days."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "The log_retention_in_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the deck's metrics; teams may share one."
  type        = string
  default     = "GenAI"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metric_namespace)) && !startswith(var.metric_namespace, "AWS/")
    error_message = "The metric_namespace must be 1 to 255 characters of letters, digits and . _ / # : - characters, and must not start with AWS/."
  }
}

variable "create_dashboard" {
  description = "Whether to create the CloudWatch dashboard."
  type        = bool
  default     = true
  nullable    = false
}

variable "create_query_definitions" {
  description = "Whether to save the deck's Logs Insights queries under the folder named after the deck."
  type        = bool
  default     = true
  nullable    = false
}

variable "enable_data_protection" {
  description = "Whether to attach a data protection policy that audits and masks sensitive data in the log group."
  type        = bool
  default     = false
  nullable    = false
}

variable "enable_field_index" {
  description = "Whether to attach a field index policy (event, model, service) that cuts the data Logs Insights scans."
  type        = bool
  default     = false
  nullable    = false
}

################################################################################
# Alarms
################################################################################

variable "create_alarms" {
  description = "Whether to create the alarms set by daily_cost_budget_usd and alarms."
  type        = bool
  default     = true
  nullable    = false
}

variable "daily_cost_budget_usd" {
  description = "Daily LLM cost budget in USD; the cost alarm fires when a day's CostUSD exceeds it. Null creates no cost alarm."
  type        = number
  default     = null

  validation {
    condition     = var.daily_cost_budget_usd == null || try(var.daily_cost_budget_usd > 0, false)
    error_message = "The daily_cost_budget_usd must be null or a positive number of US dollars."
  }
}

variable "alarms" {
  description = "Other alarms: LLM error rate (percent), p99 LLM latency (ms), unpriced calls, and the function's errors and throttles; an unset threshold or a false flag turns that alarm off."
  type = object({
    llm_error_rate_percent = optional(number)
    llm_latency_p99_ms     = optional(number)
    unpriced_calls         = optional(bool, false)
    lambda_errors          = optional(bool, false)
    lambda_throttles       = optional(bool, false)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.alarms.llm_error_rate_percent == null || try(var.alarms.llm_error_rate_percent > 0 && var.alarms.llm_error_rate_percent <= 100, false)
    error_message = "The LLM error rate threshold must be a percentage greater than 0 and at most 100."
  }

  validation {
    condition     = var.alarms.llm_latency_p99_ms == null || try(var.alarms.llm_latency_p99_ms > 0, false)
    error_message = "The p99 LLM latency threshold must be a positive number of milliseconds."
  }
}

variable "alarm_sns_topic_arn" {
  description = "ARN of an existing SNS topic the alarms notify; null notifies none (or only the created topic)."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$", var.alarm_sns_topic_arn))
    error_message = "The alarm_sns_topic_arn must be null or an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts."
  }
}

variable "create_sns_topic" {
  description = "Whether to create an encrypted SNS topic that the alarms notify."
  type        = bool
  default     = false
  nullable    = false
}

variable "alarm_emails" {
  description = "Email addresses subscribed to the created SNS topic (each must confirm); needs create_sns_topic."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "Every alarm email must be an email address such as ops@example.com."
  }
}
