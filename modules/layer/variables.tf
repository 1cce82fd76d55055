variable "create" {
  description = "Whether to create any resource at all. Set to false to plan zero resources."
  type        = bool
  default     = true
  nullable    = false
}

variable "name" {
  description = "Name of the Lambda layer."
  type        = string
  default     = "genai-observability"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,140}$", var.name))
    error_message = "The name must be 1 to 140 characters of letters, digits, hyphens or underscores."
  }
}

variable "description" {
  description = "Description of the layer version."
  type        = string
  default     = "genai_observability: one JSON line per Amazon Bedrock call, with AWS_LAMBDA_EXEC_WRAPPER=/opt/genai-observability."
  nullable    = false

  validation {
    condition     = length(var.description) <= 256
    error_message = "The description must be at most 256 characters."
  }
}

variable "package_path" {
  description = "Path to the layer zip built by `make layer` or `genai-obs package --layer OUT.zip` (its SHA-256 becomes source_code_hash)."
  type        = string
  nullable    = false

  validation {
    condition     = endswith(lower(var.package_path), ".zip")
    error_message = "The package_path must point to a .zip file."
  }
}

variable "compatible_runtimes" {
  description = "Lambda runtimes the layer declares itself compatible with."
  type        = list(string)
  default     = ["python3.11", "python3.12", "python3.13"]
  nullable    = false

  validation {
    condition     = length(var.compatible_runtimes) > 0 && alltrue([for r in var.compatible_runtimes : contains(["python3.11", "python3.12", "python3.13"], r)])
    error_message = "The compatible_runtimes must be a non-empty list of python3.11, python3.12 or python3.13."
  }
}

variable "compatible_architectures" {
  description = "Instruction set architectures the layer declares itself compatible with (the payload is pure Python)."
  type        = list(string)
  default     = ["x86_64", "arm64"]
  nullable    = false

  validation {
    condition     = length(var.compatible_architectures) > 0 && alltrue([for a in var.compatible_architectures : contains(["x86_64", "arm64"], a)])
    error_message = "The compatible_architectures must be a non-empty list of x86_64 or arm64."
  }
}

variable "skip_destroy" {
  description = "Keep old layer versions when a new one replaces them or the module is destroyed, so functions still pinned to them keep working."
  type        = bool
  default     = false
  nullable    = false
}
