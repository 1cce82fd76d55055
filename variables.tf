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
}

################################################################################
# Function
################################################################################

variable "package_path" {
  description = "Path to the function's zip: our agent's, built by `make package` or `genai-obs package OUT.zip`, or your own code's (then set handler)."
  type        = string
}

variable "handler" {
  description = "The function's entry point: our agent handler by default; your own (module.function) runs with the genai-observability layer and its exec wrapper attached, so every Bedrock call it makes is recorded with no code change."
  type        = string
  default     = "genai_observability.handler.lambda_handler"
  nullable    = false
}

variable "layer_package_path" {
  description = "Path to the layer zip built by `make layer` or `genai-obs package --layer OUT.zip`; read only when handler is your own."
  type        = string
  default     = "dist/genai_observability_layer.zip"
  nullable    = false
}

variable "model_ids" {
  description = "Bedrock models the function may invoke: foundation model ids, cross-Region inference profile ids (us.*, eu.*, apac.*, global.* ...) or full ARNs. The function's role may invoke only these, and the foundation models behind an inference profile only through that profile."
  type        = list(string)
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
}

variable "timeout" {
  description = "Timeout of the function in seconds (1 to 900)."
  type        = number
  default     = 60
  nullable    = false
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
}

################################################################################
# Deck: log group, queries, dashboard
################################################################################

variable "log_retention_in_days" {
  description = "Retention of the log group in days."
  type        = number
  default     = 30
  nullable    = false
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the deck's metrics; teams may share one."
  type        = string
  default     = "GenAI"
  nullable    = false
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

variable "alarms" {
  description = "Alarms to create, passed to modules/observability, which sets the defaults and checks the values: daily cost budget (USD), the whole account's daily Amazon Bedrock cost budget (USD, with the account view), LLM error rate (percent), p99 LLM latency (ms), unpriced calls, and the function's errors and throttles, the pace factor, the cost anomaly band, the per-contributor cost and per-alarm evaluation settings; an unset threshold or a false flag turns that alarm off."
  # The shape of modules/observability's alarms, every attribute optional without a default
  # here: an unset (null) attribute takes the observability module's default.
  type = object({
    daily_cost_budget_usd         = optional(number)
    account_daily_cost_budget_usd = optional(number)
    llm_error_rate_percent        = optional(number)
    llm_latency_p99_ms            = optional(number)
    unpriced_calls                = optional(bool)
    lambda_errors                 = optional(bool)
    lambda_throttles              = optional(bool)
    cost_pace_factor              = optional(number)
    cost_anomaly_band             = optional(number)
    contributor_cost_usd          = optional(number)
    evaluation = optional(map(object({
      period              = optional(number)
      evaluation_periods  = optional(number)
      datapoints_to_alarm = optional(number)
    })))
  })
  default  = {}
  nullable = false
}

variable "alarm_sns_topic_arn" {
  description = "ARN of an existing SNS topic the alarms notify; null notifies none (or only the created topic)."
  type        = string
  default     = null
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
}

################################################################################
# Budget, brake and cost attribution (passed to modules/observability as they are)
################################################################################

variable "budget_time_zone" {
  description = "IANA time zone whose calendar day the daily budget counts, such as UTC or Europe/Paris."
  type        = string
  default     = "UTC"
  nullable    = false
}

variable "budget_action" {
  description = "What happens when today's spend passes the daily budget: alert, or stop (reserved concurrency 0 on the function until the next day)."
  type        = string
  default     = "alert"
  nullable    = false
}

variable "budget_stop_function_names" {
  description = "Names of further Lambda functions the brake stops (budget_action = stop), besides the deck's function."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "attribution_keys" {
  description = "Attribution keys (bind_request(context, tenant=...)) to show cost by: a Contributor Insights rule, a widget and a saved question cost-by-<key> each."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "aws_budget" {
  description = "Optional AWS Budgets backstop on the billed Amazon Bedrock cost, passed to modules/observability, which sets the defaults and checks the values: monthly limit_usd (null turns it off), threshold_percent, services, emails, sns_topic_arn."
  # Every attribute optional without a default here: unset takes the module's default.
  type = object({
    limit_usd         = optional(number)
    threshold_percent = optional(number)
    services          = optional(list(string))
    emails            = optional(list(string))
    sns_topic_arn     = optional(string)
  })
  default  = {}
  nullable = false
}

variable "account_model_ids" {
  description = "Models whose Amazon Bedrock metrics (AWS/Bedrock, every caller in the account) the account view prices; null means the entries of model_ids that have a price, [] turns the account view off."
  type        = list(string)
  default     = null
}

variable "account_mantle_model_ids" {
  description = "Models called through the bedrock-mantle endpoint (ids as the Model dimension of AWS/BedrockMantle names them) whose token metrics the account view prices beside account_model_ids; empty (the default) reads none."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "price_catalog_path" {
  description = "Absolute path, inside the function, of a price catalog file the payload uses instead of the bundled one (GENAI_PRICE_CATALOG); null uses the bundled catalog."
  type        = string
  default     = null
}

variable "application_profiles" {
  description = "Application inference profile ARN -> the model or inference profile id it routes to (GENAI_APPLICATION_PROFILES), so calls through the profile are priced."
  type        = map(string)
  default     = {}
  nullable    = false
}
