variable "create" {
  description = "Whether to create any resource at all. When false the module plans zero resources."
  type        = bool
  default     = true
  nullable    = false
}

variable "sink_arn" {
  description = "ARN of the sink in the monitoring account (output oam_sink_arn of modules/monitoring-account)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:oam:[a-z0-9-]+:[0-9]{12}:sink/[A-Za-z0-9-]+$", var.sink_arn))
    error_message = "The sink_arn must be an OAM sink ARN such as arn:aws:oam:us-east-1:111111111111:sink/a1b2c3d4-5678-90ab-cdef-111111111111."
  }
}

variable "label_template" {
  description = "How the monitoring account labels this source account: a fixed label, or the variables $AccountName, $AccountEmail, $AccountEmailNoDomain."
  type        = string
  default     = "$AccountName"
  nullable    = false

  validation {
    condition     = length(trimspace(var.label_template)) > 0 && length(var.label_template) <= 64
    error_message = "The label_template must be 1 to 64 characters, such as $AccountName."
  }
}

variable "log_group_names" {
  description = "Names of the deck's log groups in this account shared with the monitoring account; the others stay private. Empty shares no log group."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for n in var.log_group_names : can(regex("^[.\\-_/#A-Za-z0-9]{1,512}$", n))])
    error_message = "Every log group name must be 1 to 512 characters of letters, digits and . - _ / # characters."
  }
}

variable "metric_namespaces" {
  description = "Metric namespaces shared with the monitoring account: the deck's own namespace, Amazon Bedrock's two (AWS/Bedrock and AWS/BedrockMantle: the account view) and AWS Lambda's (function health)."
  type        = list(string)
  default     = ["GenAI", "AWS/Bedrock", "AWS/BedrockMantle", "AWS/Lambda"]
  nullable    = false

  validation {
    condition     = length(var.metric_namespaces) > 0 && alltrue([for n in var.metric_namespaces : can(regex("^[A-Za-z0-9._/#:-]{1,255}$", n))])
    error_message = "The metric_namespaces must be a non-empty list of namespaces of letters, digits and . _ / # : - characters."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
