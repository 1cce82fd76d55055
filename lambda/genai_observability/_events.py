"""The two line kinds: the ``llm_call`` contract line and the blog-compatible metric line.

The ``llm_call`` line (schema 1) carries, in this order::

    event, schema, timestamp, service, model, operation, input_tokens, output_tokens,
    cache_read_tokens, cache_write_tokens, latency_ms, cost_usd, pricing, status,
    error_type (only when status is "error"), request_id, usage_unknown (only when true),
    then the caller's extra attributes.

How a line is made: :func:`record_llm_call` runs small named steps over the caller's values:
usage (:func:`_usage`: token counts and latency), price
(:func:`genai_observability.pricing.price_call`, whose cache is the only price cache),
identity (:func:`_identity`: service and request id); then the function that
:func:`genai_observability._emit.line_writer` generated from :data:`FIELDS` (the one ordered
list of keys) makes the returned event and the written line together and writes the line.
A new key goes into :data:`FIELDS` and gets its value in :func:`record_llm_call`.

Values are sanitized, so the line is always strict JSON and the call never raises:

* token counts must be non-negative numbers (floats are rounded); ``None`` cache counts mean
  0. A missing (``None``) input/output count or any invalid count (NaN, infinity, bool,
  negative, not a number) is written as 0 with ``"usage_unknown": true``, and the cost is
  then unknown;
* ``latency_ms`` is rounded to 3 decimals; an invalid latency is written as ``null``;
* ``cost_usd`` is null exactly when ``pricing`` is ``"unknown"`` (unknown model, unknown cache
  price for cache tokens used, or unknown usage), so a null cost is never mistaken for 0 and
  the deck's ``UnpricedCalls`` metric counts every such call;
* strings are cut to 1024 characters; extra attributes never replace contract keys, and
  NaN/infinity become ``null``, unprintable objects their ``str()``, nested values are capped.

OpenTelemetry GenAI semantic conventions map one to one: ``gen_ai.request.model`` = ``model``,
``gen_ai.operation.name`` ~ ``operation``, ``gen_ai.usage.input_tokens`` = ``input_tokens``,
``gen_ai.usage.output_tokens`` = ``output_tokens``, ``gen_ai.usage.cache_read.input_tokens``
= ``cache_read_tokens``, ``gen_ai.usage.cache_creation.input_tokens`` =
``cache_write_tokens``, ``gen_ai.system``/``gen_ai.provider.name`` = ``aws.bedrock``,
``error.type`` = ``error_type``, ``faas.invocation_id`` = ``request_id``,
``service.name`` = ``service``.
"""

from __future__ import annotations

import math

from . import _context, _environ
from ._emit import MAX_LINE, line_writer, timestamp, write_line
from ._sanitize import (
    MAX_COUNT,
    MAX_STRING,
    Mapping,
    clean_attributes,
    clean_value,
    count,
    dumps,
    escape,
    milliseconds,
    to_str,
)

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from typing import Any

SCHEMA_VERSION = 1

# --------------------------------------------------------------------------- the fields
#
# The ``llm_call`` line, in order: ONE list, from which the function that makes both the
# returned event and the written line is built (genai_observability._emit.line_writer).
# To add a key: add it here, give record_llm_call the value, document it in DESIGN.md's
# contract table. (key, kind, when): see line_writer for the kinds; when is "always" or
# "known" (left out of the line and the event while the value is None).
FIELDS: tuple[tuple[str, str, Any], ...] = (
    ("event", "literal", "llm_call"),
    ("schema", "literal", SCHEMA_VERSION),
    ("timestamp", "now", "always"),
    ("service", "cached", "always"),
    ("model", "text", "always"),
    ("operation", "text", "always"),
    ("input_tokens", "count", "always"),
    ("output_tokens", "count", "always"),
    ("cache_read_tokens", "count", "always"),
    ("cache_write_tokens", "count", "always"),
    ("latency_ms", "number", "always"),
    ("cost_usd", "number", "always"),
    ("pricing", "word", "always"),
    ("status", "word", "always"),
    ("error_type", "text", "known"),
    ("request_id", "cached", "always"),
    ("usage_unknown", "flag", "known"),
    ("attributes_dropped", "flag", "known"),
)

CONTRACT_KEYS = frozenset(key for key, _, _ in FIELDS)
"""Keys of the ``llm_call`` line that extra attributes can never replace."""

METRIC_KEYS = frozenset({"metric", "value", "unit", "timestamp"})
"""Keys of the ``log_metric`` line that properties can never replace."""


_write = line_writer(FIELDS)
"""Write one line from its field values (positional, in FIELDS order); returns the event."""

# --------------------------------------------------------------------------- the steps

_INF = math.inf
_ENV = _environ.ENV
_K_SERVICE = _environ.key("GENAI_SERVICE")
_K_FUNCTION = _environ.key("AWS_LAMBDA_FUNCTION_NAME")
_service_cache: tuple[Any, str] = (None, "null")
_default_cache: tuple[Any, Any, str, str] = (0, 0, "", "")


def _usage(
    it: Any, ot: Any, cr: Any, cw: Any, latency: Any
) -> tuple[int, int, int, int, bool, float | int | None]:
    """Step 1: what the call used: token counts as valid ints, all valid?, and the latency.

    A missing (None) input/output count or any invalid count becomes 0 and makes the usage
    unknown; a None cache count means 0. An invalid latency becomes None.
    """
    ok = True
    if type(it) is not int or not 0 <= it <= MAX_COUNT:
        it = count(it)
        if it is None:
            ok, it = False, 0
    if type(ot) is not int or not 0 <= ot <= MAX_COUNT:
        ot = count(ot)
        if ot is None:
            ok, ot = False, 0
    if type(cr) is not int or not 0 <= cr <= MAX_COUNT:
        cr = 0 if cr is None else count(cr)
        if cr is None:
            ok, cr = False, 0
    if type(cw) is not int or not 0 <= cw <= MAX_COUNT:
        cw = 0 if cw is None else count(cw)
        if cw is None:
            ok, cw = False, 0
    if type(latency) is float and 0.0 <= latency < _INF:  # the common case, inline
        latency = round(latency, 3)
    else:
        latency = milliseconds(latency)
    return it, ot, cr, cw, ok, latency


def _price(model: str, it: int, ot: int, cr: int, cw: int) -> tuple[float | None, str]:
    """Step 2: the cost in USD and where the price came from (``unknown`` -> cost None).

    The step is :func:`genai_observability.pricing.price_call` (its cache is the only price
    cache); this stand-in loads it on the first call, so the catalog and ``json`` stay out
    of the import, and then gets out of the way.
    """
    global _price
    from .pricing import price_call

    _price = price_call
    return price_call(model, it, ot, cr, cw)


def _default_service() -> str:
    return _environ.text(_ENV.get(_K_SERVICE) or _ENV.get(_K_FUNCTION)) or "unknown"


def _identity(service: Any, request_id: Any) -> tuple[str, str, str | None, str]:
    """Step 3: who made the call: service and request id, each with its JSON literal.

    The service defaults to ``GENAI_SERVICE``, then ``AWS_LAMBDA_FUNCTION_NAME``, and is
    cached between calls; the request id defaults to the one bound by :func:`bind_request`.
    """
    global _service_cache, _default_cache
    if service is None:
        raw_service, raw_function = _ENV.get(_K_SERVICE), _ENV.get(_K_FUNCTION)
        dc = _default_cache
        if raw_service is dc[0] and raw_function is dc[1]:
            service, service_json = dc[2], dc[3]
        else:
            service = to_str(_default_service(), 256)
            service_json = escape(service)
            _default_cache = (raw_service, raw_function, service, service_json)
    else:
        cached = _service_cache
        if service == cached[0]:
            service, service_json = cached
        else:
            if type(service) is not str or len(service) > 256 or not service.isascii():
                service = to_str(service, 256)
            service_json = escape(service)
            _service_cache = (service, service_json)
    if request_id is None:
        bound = _context.current
        return service, service_json, bound.request_id, bound.request_id_json
    request_id = to_str(request_id, 256)
    return service, service_json, request_id, escape(request_id)


def _extras(attributes: dict[str, Any]) -> tuple[dict[str, Any], str, bool | None]:
    """The caller's extra attributes, cleaned: (dict, JSON members, dropped flag)."""
    extra = clean_attributes(attributes, CONTRACT_KEYS)
    if not extra:
        return extra, "", None
    encoded = dumps(extra)
    if len(encoded) > MAX_LINE - 2048:
        return {}, "", True
    return extra, "," + encoded[1:-1], None


def record_llm_call(
    model: str,
    input_tokens: int | None,
    output_tokens: int | None,
    latency_ms: float | None,
    *,
    cache_read_tokens: int | None = 0,
    cache_write_tokens: int | None = 0,
    operation: str = "converse",
    status: str = "ok",
    error_type: str | None = None,
    service: str | None = None,
    request_id: str | None = None,
    **attributes: Any,
) -> dict[str, Any]:
    """Write one ``llm_call`` JSON line to stdout and return the event; never raises.

    Args:
        model: Model id as called (foundation model, inference profile id or ARN).
        input_tokens: Billed input tokens (None when not reported).
        output_tokens: Billed output tokens (None when not reported).
        latency_ms: Wall time of the call in milliseconds (monotonic clock).
        cache_read_tokens: Tokens read from the prompt cache.
        cache_write_tokens: Tokens written to the prompt cache.
        operation: The API called: ``converse``, ``converse_stream``, ``invoke_model``, ...
        status: ``ok`` or ``error``; any other value, or an ``error_type``, means ``error``.
        error_type: The error's type, e.g. ``ThrottlingException``.
        service: Service label; default ``GENAI_SERVICE``, then ``AWS_LAMBDA_FUNCTION_NAME``.
        request_id: Request id; default the one bound by :func:`bind_request`.
        **attributes: Extra keys for the line; they never replace contract keys.

    Returns:
        The event as written (extra attributes are left out when they would make the line
        longer than 64 KiB; ``attributes_dropped`` is then true).
    """
    try:
        (
            input_tokens,
            output_tokens,
            cache_read_tokens,
            cache_write_tokens,
            usage_ok,
            latency_ms,
        ) = _usage(input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, latency_ms)
        if type(model) is not str or len(model) > MAX_STRING or not model.isascii():
            model = to_str(model)
        cost_usd, pricing = (
            _price(model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
            if usage_ok
            else (None, "unknown")
        )
        service, service_json, request_id, request_id_json = _identity(service, request_id)
        if type(operation) is not str or len(operation) > 64 or not operation.isascii():
            operation = to_str(operation, 64)
        if status == "ok" and (error_type is None or error_type == ""):
            error_type = None
        else:
            status, error_type = "error", to_str(error_type if error_type else "Error", 128)
        extra, tail, attributes_dropped = _extras(attributes) if attributes else (None, "", None)
        # Positional, in FIELDS order (a keyword call of this arity costs ~1 us more);
        # test_record_llm_call_puts_every_value_under_its_own_key guards the order.
        return _write(
            service,
            service_json,
            model,
            operation,
            input_tokens,
            output_tokens,
            cache_read_tokens,
            cache_write_tokens,
            latency_ms,
            cost_usd,
            pricing,
            status,
            error_type,
            request_id,
            request_id_json,
            None if usage_ok else True,  # usage_unknown
            attributes_dropped,
            extra,
            tail,
        )
    except Exception:  # pragma: no cover - defensive: every known bad input is handled above
        return {"event": "llm_call", "schema": SCHEMA_VERSION}


def log_metric(
    metric_name: str,
    value: float,
    unit: str = "Count",
    properties: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Write the blog-compatible metric line and return it; never raises.

    The line is ``{"metric": name, "value": value, "unit": unit, "timestamp": ..., **props}``,
    so the query ``filter metric="AICost" | stats sum(value) as Total_USD by bin(1d)`` works
    on it. A value that is not a finite number (NaN, infinity, bool, None, text) is written
    as ``null``; properties never replace the four keys.

    Args:
        metric_name: Metric name, e.g. ``AICost``.
        value: The number.
        unit: Unit label, e.g. ``Count``, ``USD``, ``Milliseconds``.
        properties: Extra keys, e.g. ``{"model": "amazon.nova-micro-v1:0"}``.

    Returns:
        The event as written.
    """
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            value = None
        else:
            value = clean_value(value)
        event: dict[str, Any] = {
            "metric": to_str(metric_name, 256),
            "value": value,
            "unit": to_str(unit, 64),
            "timestamp": timestamp(),
        }
        if properties and isinstance(properties, Mapping):
            extra = clean_attributes(properties, METRIC_KEYS)
            if len(dumps(extra)) <= MAX_LINE - 2048:
                event.update(extra)
        write_line(dumps(event) + "\n")
        return event
    except Exception:  # pragma: no cover - defensive
        return {}
