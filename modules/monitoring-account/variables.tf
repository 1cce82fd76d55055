variable "create" {
  description = "Whether to create any resource at all. When false the module plans zero resources."
  type        = bool
  default     = true
  nullable    = false
}

variable "name" {
  description = "Name of the CloudWatch cross-account observability sink in the monitoring account."
  type        = string
  default     = "genai-observability"
  nullable    = false

  # CreateSink: Name is 1 to 255 characters of [a-zA-Z0-9_.-].
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,255}$", var.name))
    error_message = "The name must be 1 to 255 characters of letters, digits and _ . - characters."
  }
}

variable "source_account_ids" {
  description = "IDs of the source accounts allowed to link to the sink (12 digits each). Use organization_id to allow a whole organization instead, or as well."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.source_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "Every source account ID must be 12 digits, such as 123456789012."
  }
}

variable "organization_id" {
  description = "ID of the AWS Organizations organization whose accounts may link to the sink (o- followed by 10 to 32 lowercase letters or digits). Null means only source_account_ids."
  type        = string
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "The organization_id must be an organization ID such as o-a1b2c3d4e5."
  }
}

variable "resource_types" {
  description = "Types of data the source accounts may share with the sink: the deck needs its metrics and its log groups."
  type        = list(string)
  default     = ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]
  nullable    = false

  validation {
    condition = length(var.resource_types) > 0 && alltrue([for t in var.resource_types : contains([
      "AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace",
      "AWS::ApplicationInsights::Application", "AWS::InternetMonitor::Monitor",
      "AWS::ApplicationSignals::Service", "AWS::ApplicationSignals::ServiceLevelObjective",
    ], t)])
    error_message = "The resource_types must be a non-empty list of OAM resource types such as AWS::CloudWatch::Metric and AWS::Logs::LogGroup."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
