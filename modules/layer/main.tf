# The payload as a Lambda layer: python/genai_observability/... plus the exec wrapper
# /opt/genai-observability (layers are extracted to /opt: Lambda Developer Guide, "Layer
# paths for each Lambda runtime"). Layer versions take no tags (aws_lambda_layer_version
# has no tags argument), so this module has no tags input.

locals {
  wrapper_path = "/opt/genai-observability"

  # Set on a function with the layer: Lambda starts the runtime through the wrapper,
  # which points _HANDLER at the shim (Lambda Developer Guide, "Wrapper scripts").
  environment_variables = {
    AWS_LAMBDA_EXEC_WRAPPER = local.wrapper_path
  }

  package_exists = fileexists(var.package_path)
}

resource "aws_lambda_layer_version" "this" {
  count = var.create ? 1 : 0

  layer_name               = var.name
  description              = var.description
  filename                 = var.package_path
  source_code_hash         = local.package_exists ? filebase64sha256(var.package_path) : null
  compatible_runtimes      = var.compatible_runtimes
  compatible_architectures = var.compatible_architectures
  license_info             = "Apache-2.0"
  skip_destroy             = var.skip_destroy

  lifecycle {
    precondition {
      condition     = local.package_exists
      error_message = "The layer zip at package_path does not exist: build it first with `make layer` (writes dist/genai_observability_layer.zip) or `genai-obs package --layer OUT.zip`."
    }
  }
}
