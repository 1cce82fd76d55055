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
  description = "Name of the Lambda function; also the prefix of the IAM roles, the schedule and the dead-letter queue."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,54}$", var.name))
    error_message = "The name must be 1 to 54 characters of letters, digits, hyphens or underscores (54 leaves room for the role name suffixes)."
  }
}

variable "description" {
  description = "Description of the Lambda function."
  type        = string
  default     = "Calls Amazon Bedrock and writes one JSON line per LLM call for the GenAI observability deck."
  nullable    = false
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

################################################################################
# Function
################################################################################

variable "package_path" {
  description = "Path to the deployment zip: our agent's, built by `make package` or `genai-obs package OUT.zip`, or your own function's code (its SHA-256 becomes source_code_hash)."
  type        = string

  validation {
    condition     = endswith(lower(var.package_path), ".zip")
    error_message = "The package_path must point to a .zip file."
  }
}

variable "handler" {
  description = "Function entry point inside the package: our agent handler by default, or your own (module.function) with your package_path."
  type        = string
  default     = "genai_observability.handler.lambda_handler"
  nullable    = false
}

variable "layers" {
  description = "ARNs of Lambda layer versions to attach, such as modules/layer's lambda_layer_arn (merge its environment_variables into environment_variables too)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = length(var.layers) <= 5 && alltrue([for l in var.layers : can(regex("^arn:[a-z-]+:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", l))])
    error_message = "The layers must be at most 5 layer version ARNs (arn:PARTITION:lambda:REGION:ACCOUNT:layer:NAME:VERSION)."
  }
}

variable "runtime" {
  description = "Lambda Python runtime."
  type        = string
  default     = "python3.12"
  nullable    = false

  validation {
    condition     = contains(["python3.12", "python3.13"], var.runtime)
    error_message = "The runtime must be python3.12 or python3.13."
  }
}

variable "architecture" {
  description = "Instruction set architecture of the function: arm64 (cheaper per GB-second) or x86_64."
  type        = string
  default     = "arm64"
  nullable    = false

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "The architecture must be arm64 or x86_64."
  }
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
  description = "Timeout of the function in seconds (1 to 900; at least 10 for our agent handler, whose Bedrock call must end, and be recorded, before it)."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "The timeout must be a whole number of seconds between 1 and 900."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for the function; null leaves it unreserved, 0 stops all invocations."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrent_executions == null || try(var.reserved_concurrent_executions >= 0 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions, false)
    error_message = "The reserved_concurrent_executions must be null or a whole number greater than or equal to 0."
  }
}

variable "enable_tracing" {
  description = "Whether to turn on AWS X-Ray active tracing (adds the X-Ray write permissions to the role)."
  type        = bool
  default     = false
  nullable    = false
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key for the environment variables, the created log group, the schedule and the dead-letter queue; null uses AWS managed encryption. The key policy must allow CloudWatch Logs when the module creates the log group."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be null or a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "environment_variables" {
  description = "Extra environment variables of the function; they must not use the names the module sets (GENAI_SERVICE, GENAI_MODEL_ID, GENAI_PROMPT, GENAI_MODEL_PRICES, GENAI_LOG_CONTENT)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(setintersection(keys(var.environment_variables), ["GENAI_SERVICE", "GENAI_MODEL_ID", "GENAI_PROMPT", "GENAI_MODEL_PRICES", "GENAI_LOG_CONTENT"])) == 0
    error_message = "The environment_variables must not set GENAI_SERVICE, GENAI_MODEL_ID, GENAI_PROMPT, GENAI_MODEL_PRICES or GENAI_LOG_CONTENT; use the matching module inputs instead."
  }
}

variable "async_retry_attempts" {
  description = "How many times Lambda retries a failed asynchronous invocation, such as a scheduled one (0 to 2). The default 0 never pays for a failed LLM call twice."
  type        = number
  default     = 0
  nullable    = false

  validation {
    condition     = contains([0, 1, 2], var.async_retry_attempts)
    error_message = "The async_retry_attempts must be 0, 1 or 2."
  }
}

variable "async_maximum_event_age_in_seconds" {
  description = "How long Lambda keeps an asynchronous invocation queued before dropping it, in seconds (60 to 21600)."
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition     = var.async_maximum_event_age_in_seconds >= 60 && var.async_maximum_event_age_in_seconds <= 21600 && floor(var.async_maximum_event_age_in_seconds) == var.async_maximum_event_age_in_seconds
    error_message = "The async_maximum_event_age_in_seconds must be a whole number between 60 and 21600."
  }
}

################################################################################
# Payload settings (environment variables read by genai_observability)
################################################################################

variable "model_ids" {
  description = "Bedrock models the function may invoke: foundation model ids (amazon.nova-micro-v1:0), cross-Region inference profile ids (us.*, eu.*, apac.*, jp.*, au.*, ca.*, us-gov.*, global.*) or full ARNs. The IAM role may invoke only these, and the foundation models behind an inference profile only through that profile."
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
  description = "Model the handler calls (GENAI_MODEL_ID); null uses the first entry of model_ids. Must be one of model_ids."
  type        = string
  default     = null
}

variable "service_name" {
  description = "Service label written on every LLM call line (GENAI_SERVICE, a metric dimension); null uses the function name."
  type        = string
  default     = null

  # One grammar in every module: the value becomes GENAI_SERVICE, the Service metric
  # dimension (ASCII, 1 to 1024 characters: CloudWatch API Reference, Dimension) and
  # alarm text; no @, which the data protection policy's EmailAddress identifier can mask.
  validation {
    condition     = var.service_name == null || can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", var.service_name))
    error_message = "The service_name must be null or 1 to 128 characters of letters, digits, dots, hyphens or underscores, starting with a letter or digit."
  }
}

variable "prompt" {
  description = "Default prompt of the handler when the event carries none (GENAI_PROMPT); also sent by the schedule, which needs one. Null sets nothing."
  type        = string
  default     = null
}

variable "model_prices" {
  description = "Price overrides in USD per 1M tokens by model id, written as JSON into GENAI_MODEL_PRICES; they win over the bundled catalog."
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
  description = "Whether the payload logs prompt and response text (GENAI_LOG_CONTENT). Off by default: only sizes, tokens, latency and cost are logged."
  type        = bool
  default     = false
  nullable    = false
}

################################################################################
# Log group
################################################################################

variable "create_log_group" {
  description = "Whether to create the log group /aws/lambda/<name>. Set to false and pass log_group_name to use a group managed elsewhere (for example by modules/observability)."
  type        = bool
  default     = true
  nullable    = false
}

variable "log_group_name" {
  description = "Name of an existing log group the function writes to; required when create_log_group is false, ignored otherwise."
  type        = string
  default     = null
}

variable "log_retention_in_days" {
  description = "Retention of the created log group in days."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "The log_retention_in_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

################################################################################
# Schedule
################################################################################

variable "schedule_expression" {
  description = "EventBridge Scheduler expression that invokes the function, such as rate(1 hour), cron(0 9 * * ? *) or at(2030-01-01T00:00:00); null creates no schedule."
  type        = string
  default     = null

  validation {
    condition     = var.schedule_expression == null || can(regex("^(rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\)|cron\\(\\S+( \\S+){5}\\)|at\\([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\))$", var.schedule_expression))
    error_message = "The schedule_expression must be null, rate(<n> minute(s)|hour(s)|day(s)), cron(<6 fields>) or at(yyyy-mm-ddThh:mm:ss)."
  }
}

variable "schedule_timezone" {
  description = "Time zone of cron() and at() schedule expressions (IANA name)."
  type        = string
  default     = "UTC"
  nullable    = false
}

variable "schedule_maximum_retry_attempts" {
  description = "How many times the schedule retries a failed delivery to the function (0 to 185)."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.schedule_maximum_retry_attempts >= 0 && var.schedule_maximum_retry_attempts <= 185 && floor(var.schedule_maximum_retry_attempts) == var.schedule_maximum_retry_attempts
    error_message = "The schedule_maximum_retry_attempts must be a whole number between 0 and 185."
  }
}

variable "schedule_maximum_event_age_in_seconds" {
  description = "How long the schedule keeps retrying an undelivered event, in seconds (60 to 86400)."
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition     = var.schedule_maximum_event_age_in_seconds >= 60 && var.schedule_maximum_event_age_in_seconds <= 86400 && floor(var.schedule_maximum_event_age_in_seconds) == var.schedule_maximum_event_age_in_seconds
    error_message = "The schedule_maximum_event_age_in_seconds must be a whole number between 60 and 86400."
  }
}

variable "create_dead_letter_queue" {
  description = "Whether to create an SQS dead-letter queue (encrypted) for schedule events that could not be delivered; only used with a schedule."
  type        = bool
  default     = false
  nullable    = false
}

variable "dead_letter_queue_message_retention_seconds" {
  description = "How long the dead-letter queue keeps a message, in seconds (60 to 1209600)."
  type        = number
  default     = 1209600
  nullable    = false

  validation {
    condition     = var.dead_letter_queue_message_retention_seconds >= 60 && var.dead_letter_queue_message_retention_seconds <= 1209600
    error_message = "The dead_letter_queue_message_retention_seconds must be between 60 and 1209600."
  }
}
