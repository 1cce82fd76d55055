"""The deck's saved questions: names, one-line descriptions and Logs Insights query text.

The Terraform module ``modules/observability`` saves these queries as query definitions
named ``<deck_name>/<question>``. ``genai-obs ask`` fetches them from AWS by that name; the
copy here is only used with ``--log-group`` and no ``--deck``. A test keeps the two equal.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

DEFAULT_LOG_METRIC = "AICost"
"""The module's default ``log_metric_name``, summed by ``log-metric-daily``."""


@dataclass(frozen=True)
class Question:
    """One saved question.

    Attributes:
        name: The question, the part after ``<deck_name>/`` in the query definition name.
        description: What it answers, in one line.
        query: The Logs Insights query text.
    """

    name: str
    description: str
    query: str


_QUESTIONS = (
    Question(
        "daily-cost",
        "Cost in USD, calls and tokens per day (the blog's question).",
        'filter event = "llm_call"\n'
        "| stats sum(cost_usd) as total_cost_usd, count(*) as calls,"
        " sum(input_tokens) as total_input_tokens, sum(output_tokens) as total_output_tokens"
        " by bin(1d) as day\n"
        "| sort day desc",
    ),
    Question(
        "cost-by-model",
        "Cost in USD, calls and tokens (cache read and write too) per model, most expensive first.",
        'filter event = "llm_call"\n'
        "| stats sum(cost_usd) as total_cost_usd, count(*) as calls,"
        " sum(input_tokens) as total_input_tokens, sum(output_tokens) as total_output_tokens,"
        " sum(cache_read_tokens) as total_cache_read_tokens,"
        " sum(cache_write_tokens) as total_cache_write_tokens"
        " by model\n"
        "| sort total_cost_usd desc",
    ),
    Question(
        "cost-per-invocation",
        "Cost per Lambda invocation (request id): average, max, calls per invocation.",
        'filter event = "llm_call"\n'
        "| stats sum(cost_usd) as invocation_cost_usd, count(*) as calls by request_id\n"
        "| stats count(*) as invocations, avg(invocation_cost_usd) as avg_cost_usd,"
        " max(invocation_cost_usd) as max_cost_usd, avg(calls) as avg_calls",
    ),
    Question(
        "latency-by-model",
        "Latency in milliseconds per model: average, p50, p90, p99, max.",
        'filter event = "llm_call"\n'
        "| stats count(*) as calls, avg(latency_ms) as avg_ms, pct(latency_ms, 50) as p50_ms,"
        " pct(latency_ms, 90) as p90_ms, pct(latency_ms, 99) as p99_ms, max(latency_ms) as max_ms"
        " by model\n"
        "| sort p99_ms desc",
    ),
    Question(
        "slowest-calls",
        "The 25 slowest calls, with their tokens, cost and status.",
        'filter event = "llm_call"\n'
        "| fields timestamp, model, latency_ms, input_tokens, output_tokens, cost_usd, status,"
        " request_id\n"
        "| sort latency_ms desc\n"
        "| limit 25",
    ),
    Question(
        "most-expensive-calls",
        "The 25 most expensive calls, with their tokens and latency.",
        'filter event = "llm_call" and cost_usd >= 0\n'
        "| fields timestamp, model, cost_usd, input_tokens, output_tokens, latency_ms, request_id\n"
        "| sort cost_usd desc\n"
        "| limit 25",
    ),
    Question(
        "errors-by-type",
        "Failed calls by error type and model.",
        'filter event = "llm_call" and status = "error"\n'
        "| stats count(*) as errors by error_type, model\n"
        "| sort errors desc",
    ),
    Question(
        "unpriced-models",
        "Unpriced calls (cost_usd null: no known price, or token usage unknown) per model,"
        " tier, latency mode and Region, the facts that select a price.",
        'filter event = "llm_call" and pricing = "unknown"\n'
        '| fields model, input_tokens, output_tokens, coalesce(service_tier, "standard") as tier,'
        ' coalesce(latency_mode, "standard") as latency, coalesce(region, "-") as call_region\n'
        "| stats count(*) as calls, sum(input_tokens) as total_input_tokens,"
        " sum(output_tokens) as total_output_tokens by model, tier, latency, call_region\n"
        "| sort calls desc",
    ),
    Question(
        "slowest-first-token",
        "The 25 streamed calls with the slowest first token, with their latency and tier.",
        'filter event = "llm_call" and ttft_ms >= 0\n'
        "| fields timestamp, model, ttft_ms, latency_ms, output_tokens, service_tier, request_id\n"
        "| sort ttft_ms desc\n"
        "| limit 25",
    ),
    Question(
        "log-metric-daily",
        'Daily sum of the blog-style log_metric lines (metric "AICost" by default).',
        f'filter metric = "{DEFAULT_LOG_METRIC}"\n'
        "| stats sum(value) as total by bin(1d) as day\n"
        "| sort day desc",
    ),
)

QUESTIONS: dict[str, Question] = {q.name: q for q in _QUESTIONS}
"""The built-in questions by name, in the order the deck lists them."""


def suggest(name: str, candidates: list[str] | None = None) -> str | None:
    """Return the closest valid question name to a mistyped one.

    Args:
        name: The name given.
        candidates: The valid names (default: the built-in questions).

    Returns:
        The closest name, or None when nothing is close.
    """
    pool = candidates if candidates is not None else list(QUESTIONS)
    matches = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    return matches[0] if matches else None
