"""The two line kinds: the ``llm_call`` contract line and the blog-compatible metric line.

The ``llm_call`` line's keys, their order and meaning are the contract's
(:mod:`genai_observability._contract`, published as ``docs/contract.md`` with the
OpenTelemetry GenAI mapping); after them come the attribution keys bound for the invocation,
then the caller's extra attributes.

How a line is made: :func:`record_llm_call` runs named steps over the caller's values:
usage (:func:`_usage`: token counts and latency), the response's facts (:func:`_facts`:
time to first token, tier, latency mode, stop reason), identity (:func:`_identity`: service,
request id, Region, trace id and the invocation's binding), price
(:func:`genai_observability.pricing.price_call`, whose cache is the only price cache) and
attributes (:func:`_attributes`: the bound attribution keys, then the caller's extras). They
fill ONE dict, in the order of :data:`genai_observability._contract.FIELDS`; the dict is
encoded once by :func:`genai_observability._strict_json.dumps`, written, and returned. A new
key goes into the contract's ``FIELDS`` and gets its value here.

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
"""

from __future__ import annotations

from . import _context, _environ
from ._contract import CONTRACT_KEYS, EVENT, METRIC_KEYS, SCHEMA_VERSION
from ._emit import MAX_LINE, timestamp, write_line
from ._sanitize import (
    Mapping,
    clean_attributes,
    clean_value,
    count,
    dumps,
    label,
    milliseconds,
    to_str,
)

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CONTRACT_KEYS", "METRIC_KEYS", "SCHEMA_VERSION", "log_metric", "record_llm_call"]

_ATTRIBUTES_ROOM = MAX_LINE - 2048
"""Longest JSON of the attribution keys and extra attributes together on one line."""

# --------------------------------------------------------------------------- usage


class _Usage:
    """Step 1's result: what the call used, as valid values.

    Attributes:
        input_tokens, output_tokens, cache_read_tokens, cache_write_tokens: Valid counts.
        cache_write_1h_tokens: The 1-hour-TTL part of the cache writes, or None.
        known: False when a count was missing or invalid (written as 0; cost unknown).
        latency_ms: Milliseconds rounded to 3 decimals, or None when invalid.
    """

    __slots__ = (
        "cache_read_tokens",
        "cache_write_1h_tokens",
        "cache_write_tokens",
        "input_tokens",
        "known",
        "latency_ms",
        "output_tokens",
    )


def _usage(
    input_tokens: Any,
    output_tokens: Any,
    cache_read_tokens: Any,
    cache_write_tokens: Any,
    cache_write_1h_tokens: Any,
    latency_ms: Any,
) -> _Usage:
    """Step 1: the token counts as valid ints and the latency.

    A missing (None) input/output count or any invalid count becomes 0 and makes the usage
    unknown; a None cache count means 0. The 1-hour cache writes are kept only as a real part
    of the cache writes. An invalid latency becomes None.
    """
    input_tokens = count(input_tokens)
    output_tokens = count(output_tokens)
    cache_read_tokens = 0 if cache_read_tokens is None else count(cache_read_tokens)
    cache_write_tokens = 0 if cache_write_tokens is None else count(cache_write_tokens)
    usage = _Usage()
    usage.known = None not in (input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
    usage.input_tokens = input_tokens or 0  # an invalid count (None) is written as 0
    usage.output_tokens = output_tokens or 0
    usage.cache_read_tokens = cache_read_tokens or 0
    usage.cache_write_tokens = cache_write_tokens or 0
    part = None if cache_write_1h_tokens is None else count(cache_write_1h_tokens)
    usage.cache_write_1h_tokens = part if part and part <= usage.cache_write_tokens else None
    usage.latency_ms = milliseconds(latency_ms)
    return usage


class _Facts:
    """What the response said about the call, cleaned; each None when unknown or invalid.

    Attributes:
        ttft_ms: Streams: milliseconds to the first content delta, like ``latency_ms``.
        service_tier, latency_mode, stop_reason: Labels cut to 64 characters.
    """

    __slots__ = ("latency_mode", "service_tier", "stop_reason", "ttft_ms")


def _facts(ttft_ms: Any, service_tier: Any, latency_mode: Any, stop_reason: Any) -> _Facts:
    """Step 1b: the response's facts (a number like ``latency_ms``, labels cut to 64)."""
    facts = _Facts()
    facts.ttft_ms = None if ttft_ms is None else milliseconds(ttft_ms)
    facts.service_tier = label(service_tier)
    facts.latency_mode = label(latency_mode)
    facts.stop_reason = label(stop_reason)
    return facts


# --------------------------------------------------------------------------- identity

_ENV = _environ.ENV
_IDENTITY_VARIABLES = tuple(
    _environ.key(name)
    for name in (
        "GENAI_SERVICE",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "_X_AMZN_TRACE_ID",
    )
)
"""The variables the identity defaults come from, as keys of the raw environment."""


class _Identity:
    """Who and where a line comes from; never changed once made (replaced whole).

    A plain class with slots rather than a frozen dataclass: importing ``dataclasses`` costs
    the layer's cold start several milliseconds.

    Attributes:
        service: The service label.
        request_id: The request id, or None.
        region: The Region, or None.
        trace_id: The X-Ray trace root, or None.
        binding: The invocation's binding (its attribution keys).
        environment: The raw values of :data:`_IDENTITY_VARIABLES` the defaults were read
            from (defaults only; () for an identity that names its own values).
    """

    __slots__ = ("binding", "environment", "region", "request_id", "service", "trace_id")

    def __init__(
        self,
        *,
        service: str,
        request_id: str | None,
        region: str | None,
        trace_id: str | None,
        binding: _context.Binding,
        environment: tuple[Any, ...] = (),
    ) -> None:
        self.service = service
        self.request_id = request_id
        self.region = region
        self.trace_id = trace_id
        self.binding = binding
        self.environment = environment


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


def _read_defaults(binding: _context.Binding, environment: tuple[Any, ...]) -> _Identity:
    """The identity of a line that names none of its own: from the environment and binding.

    The service is ``GENAI_SERVICE``, then ``AWS_LAMBDA_FUNCTION_NAME``, then ``unknown``; the
    request id the bound one; the Region ``AWS_REGION``, then ``AWS_DEFAULT_REGION``; the
    trace id the ``Root=`` part of ``_X_AMZN_TRACE_ID`` (set by Lambda per invocation when
    tracing is on).
    """
    service, function, region, default_region, trace_header = environment
    return _Identity(
        service=to_str(_environ.text(service or function) or "unknown", 256),
        request_id=None if binding.request_id is None else to_str(binding.request_id, 256),
        region=label(_environ.text(region or default_region)),
        trace_id=_trace_root(_environ.text(trace_header)),
        binding=binding,
        environment=environment,
    )


_defaults = _read_defaults(_context.current, (None,) * len(_IDENTITY_VARIABLES))
"""The last identity defaults read; replaced whole when the binding or a variable changes."""


def _identity_defaults() -> _Identity:
    """The identity defaults now: read once per binding and state of the variables."""
    global _defaults
    binding = _context.binding()
    environment = tuple(map(_ENV.get, _IDENTITY_VARIABLES))
    defaults = _defaults
    if defaults.binding is not binding or defaults.environment != environment:
        defaults = _defaults = _read_defaults(binding, environment)
    return defaults


def _identity(service: Any, request_id: Any, region: Any, trace_id: Any) -> _Identity:
    """Step 2: the service, request id, Region and trace id: the caller's, else the defaults."""
    defaults = _identity_defaults()
    if service is None and request_id is None and region is None and trace_id is None:
        return defaults
    return _Identity(
        service=defaults.service if service is None else to_str(service, 256),
        request_id=defaults.request_id if request_id is None else to_str(request_id, 256),
        region=defaults.region if region is None else label(region),
        trace_id=defaults.trace_id if trace_id is None else label(trace_id),
        binding=defaults.binding,
    )


# --------------------------------------------------------------------------- price

_pricing: Any = None
"""The :mod:`genai_observability.pricing` module, imported by the first priced call."""


def _price(
    model: str, usage: _Usage, facts: _Facts, region: str | None
) -> tuple[float | None, str]:
    """Step 3: the cost in USD and where the price came from (``unknown`` -> cost None).

    :func:`genai_observability.pricing.price_call` (its cache is the only price cache),
    imported on the first call so the catalog and ``json`` stay out of the import.
    """
    global _pricing
    if not usage.known:
        return None, "unknown"
    if _pricing is None:
        from . import pricing as _pricing

    return _pricing.price_call(
        model,
        usage.input_tokens,
        usage.output_tokens,
        usage.cache_read_tokens,
        usage.cache_write_tokens,
        usage.cache_write_1h_tokens,
        facts.service_tier,
        facts.latency_mode,
        region,
    )


# --------------------------------------------------------------------------- attributes


def _attributes(
    attributes: dict[str, Any], binding: _context.Binding
) -> tuple[dict[str, Any], bool]:
    """Step 4: the bound attribution keys, then the caller's extra attributes, cleaned.

    Returns ``(the keys to append to the line, attributes_dropped)``. Extra attributes never
    replace contract keys or attribution keys; they are all left out (``attributes_dropped``)
    when they would make the line longer than 64 KiB.
    """
    extra = clean_attributes(attributes, CONTRACT_KEYS | binding.names) if attributes else None
    if not extra:
        return binding.attributes, False
    if len(dumps(extra)) > _ATTRIBUTES_ROOM - binding.attributes_length:
        return binding.attributes, True
    return {**binding.attributes, **extra}, False


# --------------------------------------------------------------------------- the line


def _status(status: Any, error_type: Any) -> tuple[str, str | None]:
    """``("ok", None)``, or ``("error", the error's type)``: any status but ``ok``, or an
    error type, means an error."""
    if status == "ok" and (error_type is None or error_type == ""):
        return "ok", None
    return "error", to_str(error_type if error_type else "Error", 128)


def _contract_event(
    model: str,
    operation: str,
    usage: _Usage,
    price: tuple[float | None, str],
    outcome: tuple[str, str | None],
    who: _Identity,
) -> dict[str, Any]:
    """The line's dict with the keys every line has, from ``event`` to ``request_id``."""
    event: dict[str, Any] = {
        "event": EVENT,
        "schema": SCHEMA_VERSION,
        "timestamp": timestamp(),
        "service": who.service,
        "model": model,
        "operation": operation,
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cache_read_tokens": usage.cache_read_tokens,
        "cache_write_tokens": usage.cache_write_tokens,
        "latency_ms": usage.latency_ms,
        "cost_usd": price[0],
        "pricing": price[1],
        "status": outcome[0],
    }
    if outcome[1] is not None:
        event["error_type"] = outcome[1]
    event["request_id"] = who.request_id
    return event


def _add_known(
    event: dict[str, Any], usage: _Usage, facts: _Facts, who: _Identity, dropped: bool
) -> None:
    """Add the keys written only when known (or only when true), in the contract's order."""
    for key, value in (
        ("ttft_ms", facts.ttft_ms),
        ("service_tier", facts.service_tier),
        ("latency_mode", facts.latency_mode),
        ("region", who.region),
        ("stop_reason", facts.stop_reason),
        ("trace_id", who.trace_id),
        ("cache_write_1h_tokens", usage.cache_write_1h_tokens),
        ("usage_unknown", None if usage.known else True),
        ("attributes_dropped", True if dropped else None),
    ):
        if value is not None:
            event[key] = value


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
    The optional keys (``ttft_ms`` ... ``cache_write_1h_tokens``) are left out when unknown
    or invalid: a number like ``latency_ms``, a string cut to 64 characters.

    Returns:
        The event as written (without the extra attributes, and with ``attributes_dropped``,
        when they would make the line longer than 64 KiB).
    """
    try:
        usage = _usage(
            input_tokens,
            output_tokens,
            cache_read_tokens,
            cache_write_tokens,
            cache_write_1h_tokens,
            latency_ms,
        )
        facts = _facts(ttft_ms, service_tier, latency_mode, stop_reason)
        model = to_str(model)
        who = _identity(service, request_id, region, trace_id)
        price = _price(model, usage, facts, who.region)
        outcome = _status(status, error_type)
        event = _contract_event(model, to_str(operation, 64), usage, price, outcome, who)
        extra, dropped = _attributes(attributes, who.binding)
        _add_known(event, usage, facts, who, dropped)
        event.update(extra)
        write_line(dumps(event) + "\n")
        return event
    except Exception:  # pragma: no cover - defensive: every known bad input is handled above
        return {"event": EVENT, "schema": SCHEMA_VERSION}


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
            if len(dumps(extra)) <= _ATTRIBUTES_ROOM:
                event.update(extra)
            else:  # too long for one line: dropped, and said so (as record_llm_call does)
                event["attributes_dropped"] = True
        write_line(dumps(event) + "\n")
        return event
    except Exception:  # pragma: no cover - defensive
        return {}
