"""The contract: the keys of the ``llm_call`` line, in order, with their types and meaning.

A leaf module: it imports nothing of ours, so everything may import it (the line, the
binding, instrumentation, the CLI, the docs generator). ``docs/contract.md`` is generated
from it (``python scripts/gen_contract_doc.py``) and a test keeps the page true.

Every filter, query, dashboard widget and CLI report reads these keys and nothing else. A
new key goes into :data:`FIELDS` (in the place it takes in the line), gets its value in
:func:`genai_observability._events.record_llm_call`, and is additive: readers never require
a key written only when known.
"""

from __future__ import annotations

__all__ = [
    "CONTRACT_KEYS",
    "EVENT",
    "FIELDS",
    "METRIC_KEYS",
    "METRIC_LINE",
    "SCHEMA_VERSION",
    "Field",
]

EVENT = "llm_call"
"""The value of the ``event`` key: the discriminator every filter and query selects on."""

SCHEMA_VERSION = 1
"""The contract's version, the ``schema`` key."""


class Field:
    """One key of the line.

    Attributes:
        name: The key.
        type: Its JSON type, as the contract page shows it.
        meaning: What it holds.
        presence: ``always``; ``on error`` (only when the status is ``error``); ``when known``
            (additive: left out while unknown); ``when true`` (a flag, left out while false).
        otel: The OpenTelemetry GenAI semantic-convention attribute it maps to, if any.
    """

    __slots__ = ("meaning", "name", "otel", "presence", "type")

    def __init__(self, name: str, type: str, meaning: str, presence: str, otel: str = "") -> None:
        self.name = name
        self.type = type
        self.meaning = meaning
        self.presence = presence
        self.otel = otel

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.type!r}, presence={self.presence!r})"


ALWAYS, ON_ERROR, WHEN_KNOWN, WHEN_TRUE = "always", "on error", "when known", "when true"

FIELDS: tuple[Field, ...] = (
    Field("event", f'`"{EVENT}"`', "discriminator every filter and query selects on", ALWAYS),
    Field("schema", "int", f"contract version, now {SCHEMA_VERSION}", ALWAYS),
    Field("timestamp", "string", "ISO 8601 UTC with milliseconds and `Z`", ALWAYS),
    Field(
        "service",
        "string",
        "the application / team label (bounded set; a metric dimension); default"
        " `GENAI_SERVICE`, then `AWS_LAMBDA_FUNCTION_NAME`",
        ALWAYS,
        "service.name",
    ),
    Field(
        "model",
        "string",
        "model id as called (foundation model, inference profile id or ARN)",
        ALWAYS,
        "gen_ai.request.model",
    ),
    Field(
        "operation",
        "string",
        "`converse`, `converse_stream`, `invoke_model`, ...",
        ALWAYS,
        "gen_ai.operation.name",
    ),
    Field("input_tokens", "int", "billed input tokens", ALWAYS, "gen_ai.usage.input_tokens"),
    Field("output_tokens", "int", "billed output tokens", ALWAYS, "gen_ai.usage.output_tokens"),
    Field(
        "cache_read_tokens",
        "int",
        "tokens read from the prompt cache (0 when none)",
        ALWAYS,
        "gen_ai.usage.cache_read.input_tokens",
    ),
    Field(
        "cache_write_tokens",
        "int",
        "tokens written to the prompt cache (0 when none)",
        ALWAYS,
        "gen_ai.usage.cache_creation.input_tokens",
    ),
    Field("latency_ms", "number or null", "wall time of the call, monotonic clock", ALWAYS),
    Field(
        "cost_usd",
        "number or null",
        "null when the price is unknown — never a silent 0",
        ALWAYS,
    ),
    Field("pricing", "string", "`catalog`, `override` or `unknown`", ALWAYS),
    Field("status", "string", "`ok` or `error`", ALWAYS),
    Field(
        "error_type",
        "string",
        "the error's type (e.g. `ThrottlingException`)",
        ON_ERROR,
        "error.type",
    ),
    Field(
        "request_id",
        "string or null",
        "the Lambda request id, to correlate calls of one invocation",
        ALWAYS,
        "faas.invocation_id",
    ),
    Field(
        "ttft_ms", "number", "streams: time from the call to the first content delta", WHEN_KNOWN
    ),
    Field(
        "service_tier",
        "string",
        "the tier the response says served the call: `default`, `priority`, `flex`, `reserved`",
        WHEN_KNOWN,
    ),
    Field(
        "latency_mode",
        "string",
        "`standard` or `optimized` (latency-optimized inference), when the response says",
        WHEN_KNOWN,
    ),
    Field(
        "region",
        "string",
        "the Region the call was made from (prices depend on it); default `AWS_REGION`,"
        " then `AWS_DEFAULT_REGION`",
        WHEN_KNOWN,
        "cloud.region",
    ),
    Field(
        "stop_reason",
        "string",
        "the model's stop reason (`end_turn`, `max_tokens`, ...)",
        WHEN_KNOWN,
        "gen_ai.response.finish_reasons",
    ),
    Field(
        "trace_id",
        "string",
        "the X-Ray trace root of the invocation, when tracing is on",
        WHEN_KNOWN,
    ),
    Field(
        "cache_write_1h_tokens",
        "int",
        "the part of `cache_write_tokens` written with a 1-hour TTL, when above 0",
        WHEN_KNOWN,
    ),
    Field(
        "usage_unknown",
        "`true`",
        "a token count was missing or invalid: counts written as 0, cost unknown",
        WHEN_TRUE,
    ),
    Field(
        "attributes_dropped",
        "`true`",
        "the extra attributes were left out: they would have made the line longer than 64 KiB",
        WHEN_TRUE,
    ),
)
"""The keys of the ``llm_call`` line, in the order the line writes them. After them come the
attribution keys bound for the invocation, then the caller's extra attributes."""

CONTRACT_KEYS = frozenset(field.name for field in FIELDS)
"""Keys of the ``llm_call`` line that attribution keys and extra attributes never replace."""

METRIC_LINE: tuple[Field, ...] = (
    Field("metric", "string", "the metric's name, e.g. `AICost`", ALWAYS),
    Field("value", "number or null", "the value; null when not a finite number", ALWAYS),
    Field("unit", "string", "the unit, e.g. `Count`, `USD`, `Milliseconds`", ALWAYS),
    Field("timestamp", "string", "ISO 8601 UTC with milliseconds and `Z`", ALWAYS),
)
"""The blog-compatible ``log_metric`` line: these keys, then its properties."""

METRIC_KEYS = frozenset(field.name for field in METRIC_LINE)
"""Keys of the ``log_metric`` line that properties never replace."""
