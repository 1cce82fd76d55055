"""The two line kinds: the ``llm_call`` contract line and the blog-compatible metric line.

The ``llm_call`` line (schema 1) carries, in this order::

    event, schema, timestamp, service, model, operation, input_tokens, output_tokens,
    cache_read_tokens, cache_write_tokens, latency_ms, cost_usd, pricing, status,
    error_type (only when status is "error"), request_id, usage_unknown (only when true),
    then the caller's extra attributes.

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
import os
import sys as _sys
from time import time as _time

from . import _context, _emit
from ._emit import (
    _MS,
    MAX_LINE,
    Mapping,
    _c_escape,
    _lock,
    _sinks,
    clean_attributes,
    clean_value,
    dumps,
    timestamp,
    to_str,
    ts_prefix,
    write_line,
)

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

SCHEMA_VERSION = 1

CONTRACT_KEYS = frozenset(
    {
        "event",
        "schema",
        "timestamp",
        "service",
        "model",
        "operation",
        "input_tokens",
        "output_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "latency_ms",
        "cost_usd",
        "pricing",
        "status",
        "error_type",
        "request_id",
        "usage_unknown",
        "attributes_dropped",
    }
)
"""Keys of the ``llm_call`` line that extra attributes can never replace."""

METRIC_KEYS = frozenset({"metric", "value", "unit", "timestamp"})
"""Keys of the ``log_metric`` line that properties can never replace."""

_MAX_TOKENS = 10**15
_INF = math.inf
_resolve: Callable[[str], Any] | None = None
_prices: dict[str, tuple[Any, str]] = {}
_prices_env: Any = None
_service_cache: tuple[Any, str] = (None, "null")
_default_cache: tuple[Any, Any, str, str] = (0, 0, "", "")

# Reading os.environ costs about a microsecond per variable (key and value codecs); the line
# reads three per call. The mapping's own dict holds the same data, updated by every
# ``os.environ[...] = ...``; read it directly when this interpreter has it.
try:
    _ENV: dict[Any, Any] | None = os.environ._data  # type: ignore[attr-defined]
    _K_SERVICE = os.environ.encodekey("GENAI_SERVICE")  # type: ignore[attr-defined]
    _K_FUNCTION = os.environ.encodekey("AWS_LAMBDA_FUNCTION_NAME")  # type: ignore[attr-defined]
    _K_PRICES = os.environ.encodekey("GENAI_MODEL_PRICES")  # type: ignore[attr-defined]
    if type(_ENV) is not dict:
        raise AttributeError("os.environ._data")
except AttributeError:  # pragma: no cover - other interpreters
    _ENV = None


def _default_service() -> str:
    env = os.environ
    return env.get("GENAI_SERVICE") or env.get("AWS_LAMBDA_FUNCTION_NAME") or "unknown"


def _tokens(value: Any) -> int | None:
    """Return a valid token count as int, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        if not 0 <= value <= _MAX_TOKENS:  # False for NaN
            return None
        return round(value)
    except Exception:
        return None


def _latency(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        value = float(value)
    except Exception:
        return None
    if not 0.0 <= value < _INF:
        return None
    return round(value, 3)


def _resolve_price(model: str) -> tuple[Any, str]:
    """Price lookup cached per model; the cache is dropped when ``GENAI_MODEL_PRICES`` changes."""
    global _resolve, _prices_env
    raw = _ENV.get(_K_PRICES) if _ENV is not None else os.environ.get("GENAI_MODEL_PRICES")
    if raw is not _prices_env and raw != _prices_env:
        _prices.clear()
        _prices_env = raw
    hit = _prices.get(model)
    if hit is None:
        if _resolve is None:
            from .pricing import resolve_price

            _resolve = resolve_price
        hit = _resolve(model)
        if len(_prices) >= 1024:
            _prices.clear()
        _prices[model] = hit
    return hit


def _fixed(number: float) -> str:
    """JSON for a number in plain decimal form: ``8.4e-05`` becomes ``0.000084``.

    Metric filter value selectors and Logs Insights read plain decimals; exponent form is
    valid JSON but not something to bet a cost metric on.
    """
    text = repr(number)
    if "e" in text or "E" in text:
        text = f"{number:.12f}".rstrip("0").rstrip(".") or "0"
    return text


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
    global _service_cache, _default_cache
    try:
        it, ot, cr, cw = input_tokens, output_tokens, cache_read_tokens, cache_write_tokens
        usage_ok = True
        if type(it) is not int or not 0 <= it <= _MAX_TOKENS:
            it = _tokens(it)
            if it is None:
                usage_ok, it = False, 0
        if type(ot) is not int or not 0 <= ot <= _MAX_TOKENS:
            ot = _tokens(ot)
            if ot is None:
                usage_ok, ot = False, 0
        if type(cr) is not int or not 0 <= cr <= _MAX_TOKENS:
            cr = 0 if cr is None else _tokens(cr)
            if cr is None:
                usage_ok, cr = False, 0
        if type(cw) is not int or not 0 <= cw <= _MAX_TOKENS:
            cw = 0 if cw is None else _tokens(cw)
            if cw is None:
                usage_ok, cw = False, 0
        latency = latency_ms
        if type(latency) is float and 0.0 <= latency < _INF:
            latency = round(latency, 3)
        elif type(latency) is not int or not 0 <= latency <= 10**12:
            latency = _latency(latency)

        if type(model) is not str or len(model) > 1024 or not model.isascii():
            model = to_str(model)

        cost = None
        if usage_ok:
            hit = (
                _prices.get(model)
                if _ENV is not None and _ENV.get(_K_PRICES) is _prices_env
                else None
            )
            price, pricing = hit if hit is not None else _resolve_price(model)
            if price is not None:
                total = it * price.input + ot * price.output
                if cr:
                    total = None if price.cache_read is None else total + cr * price.cache_read
                if cw and total is not None:
                    total = None if price.cache_write is None else total + cw * price.cache_write
                if total is not None and total < _INF:
                    cost = round(total / 1_000_000, 10)
                else:
                    pricing = "unknown"
        else:
            pricing = "unknown"

        if service is None and _ENV is not None:
            raw_service, raw_function = _ENV.get(_K_SERVICE), _ENV.get(_K_FUNCTION)
            dc = _default_cache
            if raw_service is dc[0] and raw_function is dc[1]:
                service, service_json = dc[2], dc[3]
            else:
                service = to_str(_default_service(), 256)
                service_json = _c_escape(service)
                _default_cache = (raw_service, raw_function, service, service_json)
        else:
            if service is None:
                service = _default_service()
            cached = _service_cache
            if service == cached[0]:
                service_json = cached[1]
            else:
                if type(service) is not str or len(service) > 256 or not service.isascii():
                    service = to_str(service, 256)
                service_json = _c_escape(service)
                _service_cache = (service, service_json)
        if type(operation) is not str or len(operation) > 64 or not operation.isascii():
            operation = to_str(operation, 64)
        if request_id is None:
            request_id = _context._request_id
            rid_json = _context._request_id_json
        else:
            request_id = to_str(request_id, 256)
            rid_json = _c_escape(request_id)

        now_ms = int(_time() * 1000)
        sec = now_ms // 1000
        tsc = _emit._ts_cache
        ts = (tsc[1] if tsc[0] == sec else ts_prefix(sec)) + _MS[now_ms - sec * 1000]
        if status == "ok" and (error_type is None or error_type == ""):
            status_json = '"ok"'
            event: dict[str, Any] = {
                "event": "llm_call",
                "schema": SCHEMA_VERSION,
                "timestamp": ts,
                "service": service,
                "model": model,
                "operation": operation,
                "input_tokens": it,
                "output_tokens": ot,
                "cache_read_tokens": cr,
                "cache_write_tokens": cw,
                "latency_ms": latency,
                "cost_usd": cost,
                "pricing": pricing,
                "status": "ok",
                "request_id": request_id,
            }
        else:
            error_type = to_str(error_type if error_type else "Error", 128)
            status_json = '"error","error_type":' + _c_escape(error_type)
            event = {
                "event": "llm_call",
                "schema": SCHEMA_VERSION,
                "timestamp": ts,
                "service": service,
                "model": model,
                "operation": operation,
                "input_tokens": it,
                "output_tokens": ot,
                "cache_read_tokens": cr,
                "cache_write_tokens": cw,
                "latency_ms": latency,
                "cost_usd": cost,
                "pricing": pricing,
                "status": "error",
                "error_type": error_type,
                "request_id": request_id,
            }
        tail = ""
        if not usage_ok:
            event["usage_unknown"] = True
            tail = ',"usage_unknown":true'
        if attributes:
            extra = clean_attributes(attributes, CONTRACT_KEYS)
            if extra:
                encoded = dumps(extra)
                if len(encoded) > MAX_LINE - 2048:
                    event["attributes_dropped"] = True
                    tail += ',"attributes_dropped":true'
                else:
                    event.update(extra)
                    tail += "," + encoded[1:-1]

        latency_json = "null" if latency is None else _fixed(latency)
        line = (
            f'{{"event":"llm_call","schema":1,"timestamp":"{ts}","service":{service_json},'
            f'"model":{_c_escape(model)},"operation":{_c_escape(operation)},'
            f'"input_tokens":{it},"output_tokens":{ot},"cache_read_tokens":{cr},'
            f'"cache_write_tokens":{cw},"latency_ms":{latency_json},'
            f'"cost_usd":{"null" if cost is None else _fixed(cost)},"pricing":"{pricing}",'
            f'"status":{status_json},"request_id":{rid_json}{tail}}}\n'
        )
        if _sinks:
            write_line(line)
        else:
            try:
                with _lock:
                    _sys.stdout.write(line)
            except Exception:
                return event
        return event
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
