"""The two line kinds: the ``llm_call`` contract line and the blog-compatible metric line.

The ``llm_call`` line (schema 1) carries, in this order::

    event, schema, timestamp, service, model, operation, input_tokens, output_tokens,
    cache_read_tokens, cache_write_tokens, latency_ms, cost_usd, pricing, status,
    error_type (only when status is "error"), request_id,
    ttft_ms, service_tier, latency_mode, region, stop_reason, trace_id (additive in
    schema 1: only when known), cache_write_1h_tokens (only when above 0),
    usage_unknown (only when true), attributes_dropped (only when true),
    then the attribution keys bound for the invocation, then the caller's extra attributes.

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
* ``ttft_ms`` is sanitized like ``latency_ms`` and the labels (``service_tier``,
  ``latency_mode``, ``region``, ``stop_reason``, ``trace_id``) are cut to 64 characters; an
  invalid value (not a non-negative number, not a non-empty string) is left out;
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
    label,
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
    # additive in schema 1: a reader never requires them; written only when known
    ("ttft_ms", "number", "known"),
    ("service_tier", "text", "known"),
    ("latency_mode", "text", "known"),
    ("region", "cached", "known"),
    ("stop_reason", "text", "known"),
    ("trace_id", "cached", "known"),
    ("cache_write_1h_tokens", "count", "known"),  # not a contract key: the 1-hour TTL part
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
_K_REGION = _environ.key("AWS_REGION")
_K_DEFAULT_REGION = _environ.key("AWS_DEFAULT_REGION")
_K_TRACE = _environ.key("_X_AMZN_TRACE_ID")
_UNSEEN = object()
_FAST_COUNT = 1 << 49  # below MAX_COUNT: four counts OR-ed together below it are all valid
_env_identity: tuple[Any, ...] = (_UNSEEN,) * 6 + (None,)
"""The identity step's result for a call that names none of service, request id, Region and
trace id: (raw GENAI_SERVICE, AWS_LAMBDA_FUNCTION_NAME, AWS_REGION, AWS_DEFAULT_REGION,
_X_AMZN_TRACE_ID, the binding, the result), replaced whole; reused while all six are the same
objects."""
_service_cache: tuple[Any, str] = (None, "null")
_default_cache: tuple[Any, Any, str, str] = (0, 0, "", "")
_region_cache: tuple[Any, str | None, str] = (None, None, "null")  # (raw env value, region, JSON)
_trace_cache: tuple[Any, str | None, str] = (None, None, "null")  # (raw env value, root, JSON)


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


def _price(model: str, it: int, ot: int, cr: int, cw: int, *rest: Any) -> tuple[float | None, str]:
    """Step 2: the cost in USD and where the price came from (``unknown`` -> cost None).

    The step is :func:`genai_observability.pricing.price_call` (its cache is the only price
    cache); this stand-in loads it on the first call, so the catalog and ``json`` stay out
    of the import, and then gets out of the way.
    """
    global _price
    from .pricing import price_call

    _price = price_call
    return price_call(model, it, ot, cr, cw, *rest)


def _default_service() -> str:
    return _environ.text(_ENV.get(_K_SERVICE) or _ENV.get(_K_FUNCTION)) or "unknown"


def _trace_root(header: str | None) -> str | None:
    """The ``Root=`` part of an X-Ray trace header, else None.

    The header reads ``Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;
    Sampled=1`` (AWS Lambda developer guide, "Defined runtime environment variables":
    ``_X_AMZN_TRACE_ID`` is the X-Ray tracing header and changes with each invocation;
    format as documented for Powertools' ``getXRayTraceIdFromEnv``; read 2026-12-01).
    """
    for part in (header or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == "Root":
            return label(value)
    return None


def _identity(
    service: Any, request_id: Any, region: Any, trace_id: Any
) -> tuple[str, str, str | None, str, str | None, str, str | None, str, _context.Binding]:
    """Step 3: who and where: service, request id, Region, trace id (each with its JSON
    literal) and the invocation's binding (its attribution keys).

    The service defaults to ``GENAI_SERVICE``, then ``AWS_LAMBDA_FUNCTION_NAME``; the request
    id to the one bound by :func:`bind_request`; the Region to ``AWS_REGION``, then
    ``AWS_DEFAULT_REGION``; the trace id to the ``Root=`` part of ``_X_AMZN_TRACE_ID`` (set by
    Lambda per invocation when tracing is on). Values read from the environment are cached
    until the variable changes.
    """
    global _env_identity
    if service is None and request_id is None and region is None and trace_id is None:
        # The common call: all four from the environment and the binding, as they were on
        # the last such call unless a variable or the binding changed (compared by identity).
        get = _ENV.get
        seen = _env_identity
        bound = _context.current
        if (
            bound is seen[5]
            and get(_K_TRACE) is seen[4]
            and get(_K_SERVICE) is seen[0]
            and get(_K_FUNCTION) is seen[1]
            and get(_K_REGION) is seen[2]
            and get(_K_DEFAULT_REGION) is seen[3]
        ):
            return seen[6]
        raw = (get(_K_SERVICE), get(_K_FUNCTION), get(_K_REGION), get(_K_DEFAULT_REGION))
        raw_trace = get(_K_TRACE)
        result = _identity_of(None, None, None, None)
        _env_identity = (*raw, raw_trace, bound, result)
        return result
    return _identity_of(service, request_id, region, trace_id)


def _identity_of(
    service: Any, request_id: Any, region: Any, trace_id: Any
) -> tuple[str, str, str | None, str, str | None, str, str | None, str, _context.Binding]:
    """:func:`_identity` for any call: each default read and cached on its own."""
    global _service_cache, _default_cache, _region_cache, _trace_cache
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
    if region is None:
        raw = _ENV.get(_K_REGION) or _ENV.get(_K_DEFAULT_REGION)
        rc = _region_cache
        if raw is not rc[0]:
            region = label(_environ.text(raw))
            rc = _region_cache = (raw, region, "null" if region is None else escape(region))
        region, region_json = rc[1], rc[2]
    else:
        region = label(region)
        region_json = "null" if region is None else escape(region)
    if trace_id is None:
        raw = _ENV.get(_K_TRACE)
        tc = _trace_cache
        if raw is not tc[0]:
            trace_id = _trace_root(_environ.text(raw))
            tc = _trace_cache = (raw, trace_id, "null" if trace_id is None else escape(trace_id))
        trace_id, trace_id_json = tc[1], tc[2]
    else:
        trace_id = label(trace_id)
        trace_id_json = "null" if trace_id is None else escape(trace_id)
    bound = _context.current
    if request_id is None:
        request_id, request_id_json = bound.request_id, bound.request_id_json
    else:
        request_id = to_str(request_id, 256)
        request_id_json = escape(request_id)
    return (
        service,
        service_json,
        request_id,
        request_id_json,
        region,
        region_json,
        trace_id,
        trace_id_json,
        bound,
    )


def _extras(
    attributes: dict[str, Any], bound: _context.Binding
) -> tuple[dict[str, Any] | None, str, bool | None]:
    """The attribution keys, then the caller's extra attributes, cleaned.

    Returns ``(dict for the event, the same as JSON members, attributes_dropped)``. Extra
    attributes never replace contract keys or attribution keys; they are all left out
    (``attributes_dropped``) when they would make the line longer than 64 KiB.
    """
    extra = clean_attributes(attributes, CONTRACT_KEYS | bound.names) if attributes else None
    if not extra:
        return (bound.attributes or None), bound.attributes_json, None
    encoded = dumps(extra)
    if len(encoded) > MAX_LINE - 2048 - len(bound.attributes_json):
        return (bound.attributes or None), bound.attributes_json, True
    if bound.attributes:
        extra = {**bound.attributes, **extra}
    return extra, bound.attributes_json + "," + encoded[1:-1], None


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
    ttft_ms: float | None = None,
    service_tier: str | None = None,
    latency_mode: str | None = None,
    region: str | None = None,
    stop_reason: str | None = None,
    trace_id: str | None = None,
    cache_write_1h_tokens: int | None = None,
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
        ttft_ms: Streams: time from the call to the first content delta, in ms.
        service_tier: The tier the response says served the call (``default``,
            ``priority``, ``flex``, ``reserved``).
        latency_mode: ``standard`` or ``optimized``, when the response says.
        region: The Region the call was made from; default ``AWS_REGION``, then
            ``AWS_DEFAULT_REGION``.
        stop_reason: The model's stop reason (``end_turn``, ``max_tokens``, ...).
        trace_id: The X-Ray trace root; default the ``Root=`` part of ``_X_AMZN_TRACE_ID``.
        cache_write_1h_tokens: The part of ``cache_write_tokens`` written with a 1-hour TTL
            (written as ``cache_write_1h_tokens`` when above 0, handed to the price step).
        **attributes: Extra keys for the line; they never replace contract keys or the
            attribution keys bound by :func:`bind_request` / :func:`set_attributes`.

    The optional keys (``ttft_ms`` ... ``trace_id``, ``cache_write_1h_tokens``) are left out
    when unknown or invalid: a number like ``latency_ms``, a string cut to 64 characters.

    Returns:
        The event as written (extra attributes are left out when they would make the line
        longer than 64 KiB; ``attributes_dropped`` is then true).
    """
    try:
        if cache_read_tokens is None:
            cache_read_tokens = 0
        if cache_write_tokens is None:
            cache_write_tokens = 0
        if (  # the usage step's common case inline: four valid int counts, a float latency
            type(input_tokens) is int
            and type(output_tokens) is int
            and type(cache_read_tokens) is int
            and type(cache_write_tokens) is int
            and 0
            <= input_tokens | output_tokens | cache_read_tokens | cache_write_tokens
            < _FAST_COUNT
            and type(latency_ms) is float
            and 0.0 <= latency_ms < _INF
        ):
            usage_ok = True
            latency_ms = round(latency_ms, 3)
        else:
            (
                input_tokens,
                output_tokens,
                cache_read_tokens,
                cache_write_tokens,
                usage_ok,
                latency_ms,
            ) = _usage(
                input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, latency_ms
            )
        if type(model) is not str or len(model) > MAX_STRING or not model.isascii():
            model = to_str(model)
        if cache_write_1h_tokens is not None:
            cache_write_1h_tokens = count(cache_write_1h_tokens)
            if not cache_write_1h_tokens or cache_write_1h_tokens > cache_write_tokens:
                cache_write_1h_tokens = None  # only a real part of cache_write_tokens is kept
        if service_tier is not None:
            service_tier = label(service_tier)
        if latency_mode is not None:
            latency_mode = label(latency_mode)
        (
            service,
            service_json,
            request_id,
            request_id_json,
            region,
            region_json,
            trace_id,
            trace_id_json,
            bound,
        ) = _identity(service, request_id, region, trace_id)
        cost_usd, pricing = (
            _price(
                model,
                input_tokens,
                output_tokens,
                cache_read_tokens,
                cache_write_tokens,
                cache_write_1h_tokens,
                service_tier,
                latency_mode,
                region,
            )
            if usage_ok
            else (None, "unknown")
        )
        if ttft_ms is not None:
            ttft_ms = milliseconds(ttft_ms)
        if stop_reason is not None:
            stop_reason = label(stop_reason)
        if type(operation) is not str or len(operation) > 64 or not operation.isascii():
            operation = to_str(operation, 64)
        if status == "ok" and (error_type is None or error_type == ""):
            error_type = None
        else:
            status, error_type = "error", to_str(error_type if error_type else "Error", 128)
        extra, tail, attributes_dropped = (
            _extras(attributes, bound) if attributes or bound.attributes_json else (None, "", None)
        )
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
            ttft_ms,
            service_tier,
            latency_mode,
            region,
            region_json,
            stop_reason,
            trace_id,
            trace_id_json,
            cache_write_1h_tokens,
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
    as ``null``; properties never replace the four keys. Properties that would make the
    line longer than 64 KiB are dropped and the line says ``attributes_dropped: true``.

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
            else:  # too long for one line: dropped, and said so (as record_llm_call does)
                event["attributes_dropped"] = True
        write_line(dumps(event) + "\n")
        return event
    except Exception:  # pragma: no cover - defensive
        return {}
