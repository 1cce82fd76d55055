variable "create" {
  description = "Whether to create any resource at all. When false the module plans zero resources."
  type        = bool
  default     = true
  nullable    = false
}

variable "name" {
  description = "Name of the deck: the query definition folder, the dashboard name and the prefix of metric filter and alarm names."
  type        = string

  # 47 is what the longest derived name leaves: the budget function's scheduler role
  # <name>-budget-scheduler must fit IAM's 64 characters (CreateRole RoleName). The others fit
  # with room: function and schedule <name>-budget (64), budget <name>-bedrock (100), rule
  # <name>-cost-by-<key of 64> (PutInsightRule RuleName, 128), alarms (255), topic (256),
  # query definitions <name>/<question> (255), log groups (512).
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,47}$", var.name))
    error_message = "The name must be 1 to 47 characters of letters, digits, hyphens and underscores (47 leaves room for the longest name derived from it, the budget function's role <name>-budget-scheduler, within IAM's 64)."
  }
}

variable "service_name" {
  description = "Value of the service key (GENAI_SERVICE) of the calls the dashboard and alarms follow; null uses the name."
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

variable "create_log_group" {
  description = "Whether to create the log group. When false, the deck attaches to the existing log group named log_group_name."
  type        = bool
  default     = true
  nullable    = false
}

variable "log_group_name" {
  description = "Name of the log group the calls are logged to (created or existing), for example /aws/lambda/my-function; in a monitoring account, the ARN of a source account's log group (then nothing is created on it: no log group, metric filters or policies)."
  type        = string

  validation {
    condition     = can(regex("^[.\\-_/#A-Za-z0-9]{1,512}$", var.log_group_name)) || can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[.\\-_/#A-Za-z0-9]{1,512}$", var.log_group_name))
    error_message = "The log_group_name must be 1 to 512 characters of letters, digits and . - _ / # characters, or a log group ARN such as arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/my-function."
  }
}

variable "additional_log_group_names" {
  description = "Names of existing log groups the saved queries and the dashboard's log tables also scan (metric filters stay on log_group_name); in a monitoring account, ARNs of source accounts' log groups too."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for n in var.additional_log_group_names : can(regex("^[.\\-_/#A-Za-z0-9]{1,512}$", n)) || can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[.\\-_/#A-Za-z0-9]{1,512}$", n))])
    error_message = "Every additional log group must be a name of 1 to 512 letters, digits and . - _ / # characters, or a log group ARN such as arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/my-function."
  }

  validation {
    condition     = length(var.additional_log_group_names) <= 49
    error_message = "At most 49 additional log groups are allowed, because a query scans at most 50 log groups."
  }
}

variable "log_retention_in_days" {
  description = "Number of days the created log group keeps events."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "The log_retention_in_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key for the created log group and the created SNS topic; null uses CloudWatch Logs' own encryption for the log group and creates a key for the SNS topic. Its key policy must allow CloudWatch Logs and CloudWatch alarms."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be null or a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_group_class" {
  description = "Log class of the created log group: STANDARD or INFREQUENT_ACCESS (the latter supports no metric filters)."
  type        = string
  default     = "STANDARD"
  nullable    = false

  validation {
    condition     = contains(["STANDARD", "INFREQUENT_ACCESS"], var.log_group_class)
    error_message = "The log_group_class must be STANDARD or INFREQUENT_ACCESS."
  }
}

variable "enable_data_protection" {
  description = "Whether to attach a data protection policy that audits and masks the data_protection_identifiers in the log group."
  type        = bool
  default     = false
  nullable    = false
}

variable "data_protection_identifiers" {
  description = "Names of the managed data identifiers the data protection policy masks."
  type        = list(string)
  default     = ["AwsSecretKey", "CreditCardNumber", "EmailAddress", "IpAddress"]
  nullable    = false

  validation {
    condition     = length(var.data_protection_identifiers) > 0 && alltrue([for i in var.data_protection_identifiers : can(regex("^[A-Za-z0-9-]+$", i))])
    error_message = "The data_protection_identifiers must be a non-empty list of managed data identifier names such as EmailAddress."
  }
}

variable "enable_field_index" {
  description = "Whether to attach a field index policy on event, model and service to cut the data Logs Insights scans."
  type        = bool
  default     = false
  nullable    = false
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the metrics the filters publish."
  type        = string
  default     = "GenAI"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metric_namespace)) && !startswith(var.metric_namespace, "AWS/")
    error_message = "The metric_namespace must be 1 to 255 characters of letters, digits and . _ / # : - characters, and must not start with AWS/."
  }
}

variable "create_metric_filters" {
  description = "Whether to create the metric filters that turn llm_call lines into metrics."
  type        = bool
  default     = true
  nullable    = false
}

variable "custom_metrics" {
  description = "Blog-style log_metric lines to publish as metrics too: metric name to its unit and up to 3 dimensions (dimension name to a JSON selector such as $.model)."
  type = map(object({
    unit       = optional(string, "None")
    dimensions = optional(map(string), {})
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k, _ in var.custom_metrics : can(regex("^[A-Za-z0-9._/#:-]{1,255}$", k))])
    error_message = "Every custom metric name must be 1 to 255 characters of letters, digits and . _ / # : - characters."
  }

  validation {
    condition     = length(setintersection(keys(var.custom_metrics), ["CostUSD", "InputTokens", "OutputTokens", "CacheReadTokens", "CacheWriteTokens", "LatencyMs", "Calls", "Errors", "UnpricedCalls"])) == 0
    error_message = "A custom metric must not reuse the name of a metric the deck already publishes from llm_call lines."
  }

  validation {
    condition = alltrue([for _, m in var.custom_metrics : contains([
      "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
      "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
      "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
      "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
      "Count/Second", "None",
    ], m.unit)])
    error_message = "Every custom metric unit must be a CloudWatch unit such as Count, Milliseconds, Percent or None."
  }

  validation {
    condition     = alltrue([for _, m in var.custom_metrics : length(m.dimensions) <= 3])
    error_message = "A custom metric can have at most 3 dimensions."
  }

  validation {
    condition = alltrue(flatten([for _, m in var.custom_metrics : [
      for d, s in m.dimensions : can(regex("^[A-Za-z0-9_.-]{1,255}$", d)) && can(regex("^\\$\\.[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$", s))
    ]]))
    error_message = "Every custom metric dimension must map a name of letters, digits, _ . - to a JSON selector such as $.model."
  }
}

variable "log_metric_name" {
  description = "Metric name the log-metric-daily saved query sums from log_metric lines."
  type        = string
  default     = "AICost"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.log_metric_name))
    error_message = "The log_metric_name must be 1 to 255 characters of letters, digits and . _ / # : - characters."
  }
}

variable "create_query_definitions" {
  description = "Whether to save the deck's Logs Insights queries under the folder named after the deck."
  type        = bool
  default     = true
  nullable    = false
}

variable "create_dashboard" {
  description = "Whether to create the CloudWatch dashboard."
  type        = bool
  default     = true
  nullable    = false
}

variable "function_names" {
  description = "Names of the Lambda functions whose health the dashboard shows and the Lambda alarms watch."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for f in var.function_names : can(regex("^[A-Za-z0-9_-]{1,64}$", f))])
    error_message = "Every function name must be 1 to 64 characters of letters, digits, hyphens and underscores."
  }

  validation {
    condition     = length(distinct(var.function_names)) == length(var.function_names)
    error_message = "Each function name must appear once in function_names."
  }
}

variable "alarms" {
  description = "Alarms to create; an unset threshold or a false flag turns that alarm off."
  type = object({
    daily_cost_budget_usd         = optional(number)
    account_daily_cost_budget_usd = optional(number)
    llm_error_rate_percent        = optional(number)
    llm_latency_p99_ms            = optional(number)
    unpriced_calls                = optional(bool, false)
    lambda_errors                 = optional(bool, false)
    lambda_throttles              = optional(bool, false)

    cost_pace_factor     = optional(number, 4)
    cost_anomaly_band    = optional(number)
    contributor_cost_usd = optional(number)

    evaluation = optional(map(object({
      period              = optional(number)
      evaluation_periods  = optional(number)
      datapoints_to_alarm = optional(number)
    })), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = try(var.alarms.cost_pace_factor >= 0, false)
    error_message = "The cost pace factor must be 0 (no pace alarm) or a positive number: the pace alarm fires when an hour's spend exceeds daily budget / 24 x factor."
  }

  validation {
    condition     = var.alarms.cost_anomaly_band == null || try(var.alarms.cost_anomaly_band > 0 && var.alarms.cost_anomaly_band <= 10, false)
    error_message = "The cost anomaly band must be null (no anomaly alarm) or a number of standard deviations greater than 0 and at most 10."
  }

  validation {
    condition     = var.alarms.contributor_cost_usd == null || try(var.alarms.contributor_cost_usd > 0, false)
    error_message = "The per-contributor cost threshold must be null or a positive number of US dollars (per alarm period, an hour by default)."
  }

  validation {
    condition = length(setsubtract(keys(var.alarms.evaluation), [
      "daily_cost", "cost_pace", "cost_anomaly", "llm_error_rate", "llm_latency_p99", "unpriced_calls",
      "lambda_errors", "lambda_throttles", "contributor_cost",
    ])) == 0
    error_message = "The alarms evaluation keys must be alarm ids: daily_cost, cost_pace, cost_anomaly, llm_error_rate, llm_latency_p99, unpriced_calls, lambda_errors, lambda_throttles or contributor_cost."
  }

  validation {
    condition = alltrue([for e in values(var.alarms.evaluation) : (
      (e.period == null || try(e.period >= 60 && e.period % 60 == 0, false))
      && (e.evaluation_periods == null || try(e.evaluation_periods >= 1 && floor(e.evaluation_periods) == e.evaluation_periods, false))
      && (e.datapoints_to_alarm == null || try(e.datapoints_to_alarm >= 1 && floor(e.datapoints_to_alarm) == e.datapoints_to_alarm, false))
    )])
    error_message = "Every alarm evaluation period must be a whole number of minutes in seconds (60, 300, 3600 ...), and evaluation_periods and datapoints_to_alarm whole numbers of at least 1."
  }

  validation {
    condition     = var.alarms.daily_cost_budget_usd == null || try(var.alarms.daily_cost_budget_usd > 0, false)
    error_message = "The daily cost budget must be a positive number of US dollars."
  }

  validation {
    condition     = var.alarms.llm_error_rate_percent == null || try(var.alarms.llm_error_rate_percent > 0 && var.alarms.llm_error_rate_percent <= 100, false)
    error_message = "The LLM error rate threshold must be a percentage greater than 0 and at most 100."
  }

  validation {
    condition     = var.alarms.llm_latency_p99_ms == null || try(var.alarms.llm_latency_p99_ms > 0, false)
    error_message = "The p99 LLM latency threshold must be a positive number of milliseconds."
  }

  validation {
    condition     = var.alarms.account_daily_cost_budget_usd == null || try(var.alarms.account_daily_cost_budget_usd > 0, false)
    error_message = "The account daily cost budget must be a positive number of US dollars."
  }
}

variable "alarm_sns_topic_arn" {
  description = "ARN of an existing SNS topic the alarms notify. Null means none (or only the created topic)."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$", var.alarm_sns_topic_arn))
    error_message = "The alarm_sns_topic_arn must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts."
  }
}

variable "create_sns_topic" {
  description = "Whether to create an SNS topic (KMS-encrypted) that the alarms notify."
  type        = bool
  default     = false
  nullable    = false
}

variable "alarm_emails" {
  description = "Email addresses subscribed to the created SNS topic (each must confirm its subscription)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "Every alarm email must be an email address such as ops@example.com."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "create_budget_function" {
  description = "Whether to create the budget function: every 5 minutes it publishes today's spend (CostTodayUSD, by the calendar of budget_time_zone) that the daily cost alarm and the \"Spent today\" widget read, and applies budget_action. Needs package_path."
  type        = bool
  default     = false
  nullable    = false
}

variable "package_path" {
  description = "Path to the payload zip (`make package` or `genai-obs package OUT.zip`) the budget function runs; null when there is no budget function."
  type        = string
  default     = null

  validation {
    condition     = var.package_path == null || endswith(lower(coalesce(var.package_path, "x")), ".zip")
    error_message = "The package_path must be null or point to a .zip file."
  }
}

variable "budget_time_zone" {
  description = "IANA time zone whose calendar day the budget counts (the day starts at its midnight), such as UTC, Europe/Paris or America/New_York."
  type        = string
  default     = "UTC"
  nullable    = false

  # The shape of a name here; that the zone exists is checked in main.tf against
  # time_zones.json (the IANA names of Python's zoneinfo, which the budget function loads).
  validation {
    condition     = can(regex("^[A-Z][A-Za-z0-9_+-]*(/[A-Z][A-Za-z0-9_+-]*){0,2}$", var.budget_time_zone))
    error_message = "The budget_time_zone must be an IANA time zone name such as UTC, Europe/Paris or America/Argentina/Buenos_Aires."
  }
}

variable "budget_action" {
  description = "What the budget function does when today's spend passes the daily budget: alert (the alarm only) or stop (also sets reserved concurrency 0 on the protected functions until the next day)."
  type        = string
  default     = "alert"
  nullable    = false

  validation {
    condition     = contains(["alert", "stop"], var.budget_action)
    error_message = "The budget_action must be alert or stop."
  }
}

variable "budget_stop_function_names" {
  description = "Names of further Lambda functions the brake stops (budget_action = stop), besides function_names."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for f in var.budget_stop_function_names : can(regex("^[A-Za-z0-9_-]{1,64}$", f))])
    error_message = "Every budget stop function name must be 1 to 64 characters of letters, digits, hyphens and underscores."
  }
}

variable "attribution_keys" {
  description = "Attribution keys bound by the payload (bind_request(context, tenant=...)) to show cost by: each gets a Contributor Insights rule, a top-contributors widget and a saved question cost-by-<key>."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for k in var.attribution_keys : can(regex("^[a-z][a-z0-9_]{0,63}$", k))])
    error_message = "Every attribution key must be 1 to 64 characters of lowercase letters, digits and underscores, starting with a letter."
  }

  validation {
    condition = length(setintersection(var.attribution_keys, [
      "event", "schema", "timestamp", "service", "model", "operation", "input_tokens", "output_tokens",
      "cache_read_tokens", "cache_write_tokens", "latency_ms", "cost_usd", "pricing", "status", "error_type",
      "request_id", "ttft_ms", "service_tier", "latency_mode", "region", "stop_reason", "trace_id",
    ])) == 0
    error_message = "An attribution key must not be a key of the llm_call contract (such as model or service)."
  }

  validation {
    condition     = length(var.attribution_keys) <= 4 && length(distinct(var.attribution_keys)) == length(var.attribution_keys)
    error_message = "At most 4 distinct attribution keys are allowed (each Contributor Insights rule is billed for every log event it matches)."
  }
}

variable "aws_budget" {
  description = "Optional AWS Budgets backstop on the billed Amazon Bedrock cost: a monthly limit in USD (null turns it off), the percentage of it that notifies (actual and forecasted), and emails and/or an SNS topic whose policy lets budgets.amazonaws.com publish."
  type = object({
    limit_usd         = optional(number)
    threshold_percent = optional(number, 100)
    services          = optional(list(string), ["Amazon Bedrock"])
    emails            = optional(list(string), [])
    sns_topic_arn     = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.aws_budget.limit_usd == null || try(var.aws_budget.limit_usd > 0, false)
    error_message = "The aws_budget limit_usd must be null or a positive number of US dollars."
  }

  validation {
    condition     = try(var.aws_budget.threshold_percent > 0 && var.aws_budget.threshold_percent <= 1000, false)
    error_message = "The aws_budget threshold_percent must be greater than 0 and at most 1000."
  }

  validation {
    condition     = length(var.aws_budget.services) > 0 && alltrue([for e in var.aws_budget.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "The aws_budget needs at least one service name, and every email must be an email address such as ops@example.com."
  }

  # AWS Budgets: a notification has one SNS subscriber and up to 10 email subscribers
  # (Billing and Cost Management API Reference, NotificationWithSubscribers); each of the
  # budget's two notifications (actual, forecasted) gets all of them, and a budget may have
  # up to ten notifications (Budgets Notification).
  validation {
    condition     = length(var.aws_budget.emails) <= 10 && length(distinct(var.aws_budget.emails)) == length(var.aws_budget.emails)
    error_message = "The aws_budget takes at most 10 distinct emails, because an AWS Budgets notification has at most 10 email subscribers (and one SNS topic)."
  }

  validation {
    condition     = var.aws_budget.limit_usd == null || length(var.aws_budget.emails) > 0 || var.aws_budget.sns_topic_arn != null
    error_message = "The aws_budget needs at least one email or an sns_topic_arn to notify."
  }

  validation {
    condition     = var.aws_budget.sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", coalesce(var.aws_budget.sns_topic_arn, "x")))
    error_message = "The aws_budget sns_topic_arn must be null or an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:billing."
  }
}

variable "account_model_ids" {
  description = "Models (ids as called: foundation model, inference profile id or ARN, the ModelId dimension of AWS/Bedrock) whose Amazon Bedrock token metrics the account view prices: the account's spend by every caller. Each needs a price in the catalog or model_prices. Null (the default) takes the entries of model_ids that have a price; empty turns the account view off."
  type        = list(string)
  default     = null

  validation {
    condition     = var.account_model_ids == null || alltrue([for id in(var.account_model_ids == null ? [] : var.account_model_ids) : can(regex("^[A-Za-z0-9][A-Za-z0-9._:/+-]*$", id)) && !strcontains(id, "*")])
    error_message = "Each entry of account_model_ids must be a model id, inference profile id or ARN without spaces or wildcards."
  }

  validation {
    condition     = var.account_model_ids == null || length(distinct(coalesce(var.account_model_ids, []))) == length(coalesce(var.account_model_ids, []))
    error_message = "Each model id must appear once in account_model_ids."
  }
}

variable "account_mantle_model_ids" {
  description = "Models called through the bedrock-mantle endpoint (OpenAI Responses, OpenAI Chat Completions, Anthropic Messages APIs), ids as the Model dimension of AWS/BedrockMantle names them (such as openai.gpt-oss-120b), whose TotalInputTokens and TotalOutputTokens the account view prices beside account_model_ids. Each needs a price in the catalog or model_prices. Empty (the default) reads no bedrock-mantle metric."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.account_mantle_model_ids : can(regex("^[A-Za-z0-9][A-Za-z0-9._:/+-]*$", id)) && !strcontains(id, "*")])
    error_message = "Each entry of account_mantle_model_ids must be a model id without spaces or wildcards."
  }
}

variable "model_ids" {
  description = "Models the deck's functions call (ids as called); with account_model_ids = null, the account view prices those of them that have a price in the catalog or model_prices."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = length(distinct(var.model_ids)) == length(var.model_ids)
    error_message = "Each model id must appear once in model_ids."
  }
}

variable "model_prices" {
  description = "Price overrides in USD per 1M tokens by model id, as the function's GENAI_MODEL_PRICES: the account view prices with them first, then with the bundled catalog."
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

variable "source_account_ids" {
  description = "In a monitoring account (CloudWatch cross-account observability, modules/monitoring-account), the source accounts (12 digits each) whose deck metrics and Amazon Bedrock metrics the dashboard shows, one row per account (metric accountId)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.source_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "Every source account ID must be 12 digits, such as 123456789012."
  }
}
