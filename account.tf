# The account view's default models: the deck's model_ids that have a price (the
# package's prices.json or model_prices), found by the same candidate ids as the payload
# (modules/observability/account.tf): as called, inside a foundation-model or
# inference-profile ARN, and without the inference-profile prefix. A model without a
# price is left out of the default; listed in account_model_ids, it is refused.

locals {
  price_catalog_file = jsondecode(file("${path.module}/lambda/genai_observability/prices.json"))
  price_catalog_ids  = concat(keys(local.price_catalog_file.models), keys(local.price_catalog_file.profiles), keys(var.model_prices))

  model_id_candidates = {
    for m in var.model_ids : m => [
      for ident in [startswith(m, "arn:") ? try(regex("^arn:[^:]+:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile)/(.+)$", m)[0], null) : m] : compact([
        m,
        ident,
        ident == null ? null : try(regex("^(?:us-gov|us|eu|apac|jp|au|ca|global)\\.(.+)$", ident)[0], null),
      ])
    ][0]
  }

  account_model_ids = var.account_model_ids != null ? var.account_model_ids : [
    for m in var.model_ids : m if length(setintersection(local.model_id_candidates[m], local.price_catalog_ids)) > 0
  ]
}
