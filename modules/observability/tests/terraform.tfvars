# The inputs every test file of this module plans with (terraform test loads the tfvars
# files of its test directory); a file's or a run's own variables {} win over these.
name           = "deck"
log_group_name = "/aws/lambda/deck-fn"

# Not inputs: what the metric filters and the saved questions may read (assertions use
# var.contract_keys and var.log_metric_keys). The one-line-per-call contract
# (docs/contract.md) and the blog-style log_metric keys.
contract_keys = [
  "event", "schema", "timestamp", "service", "model", "operation", "input_tokens", "output_tokens",
  "cache_read_tokens", "cache_write_tokens", "latency_ms", "cost_usd", "pricing", "status", "error_type", "request_id",
  "ttft_ms", "service_tier", "latency_mode", "region", "stop_reason", "trace_id",
]
log_metric_keys = ["metric", "value", "unit", "timestamp"]
