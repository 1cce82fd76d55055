"""Instrumentation of Bedrock Runtime calls: one ``llm_call`` line per call.

:func:`instrument` wraps four methods on one client instance (the class is untouched);
:func:`instrument_all` patches botocore once at class level (``BaseClient._make_api_call``,
as opentelemetry-instrumentation-botocore and ddtrace do), so every ``bedrock-runtime``
client of the process, created before or after, from any Session, is recorded the same way,
and calls of every other service pass straight through. A call made through a client that
is also passed to :func:`instrument` is recorded once, by that client's wrapper (its
``service`` and attributes win). Both record:

* ``converse``: tokens from ``usage`` (``inputTokens``, ``outputTokens``,
  ``cacheReadInputTokens``, ``cacheWriteInputTokens``);
* ``converse_stream``: the response's ``stream`` is wrapped; tokens come from its
  ``metadata`` event; the line is written once, when the stream ends, fails, is closed or is
  dropped (garbage collected) early;
* ``invoke_model``: tokens from the ``x-amzn-bedrock-input-token-count`` /
  ``-output-token-count`` (and cache read/write) response headers;
* ``invoke_model_with_response_stream``: tokens from the ``amazon-bedrock-invocationMetrics``
  object of the last chunk, recorded like ``converse_stream``.

Each line also carries what the response says about the call, when it says it:
``stop_reason``, ``service_tier`` (``serviceTier.type`` / ``X-Amzn-Bedrock-Service-Tier``),
``latency_mode`` (``performanceConfig.latency`` / ``X-Amzn-Bedrock-PerformanceConfig-Latency``),
``cache_write_1h_tokens`` (the part of the cache writes with a 1-hour TTL, from
``usage.cacheDetails``) and, for streams, ``ttft_ms``: the time from the call to the first
content delta.

Latency is the wall time from the call to the response (to the end of the stream for
streams) on a monotonic clock. A failing call (throttling, validation, a client-side error)
is recorded with ``status: "error"`` and ``error_type`` (the AWS error code, else the
exception's class name), then the exception is re-raised unchanged. Recording never raises
and never changes a response, except that a stream is handed back wrapped.

When ``GENAI_LOG_CONTENT`` is ``true``, ``converse`` and ``converse_stream`` lines also
carry ``prompt`` (the last user message's text) and ``response`` (the answer's text), cut to
1024 characters. By default no prompt or response text is ever logged.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
import time
from collections.abc import Mapping

from ._errors import ConfigurationError
from ._events import CONTRACT_KEYS, record_llm_call

TYPE_CHECKING = False  # typing costs ~10 ms of cold start (the layer's shim imports this)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

__all__ = ["instrument", "instrument_all", "uninstrument_all"]

_MARK = "_genai_observability_instrumented"
_METRICS_KEY = b"amazon-bedrock-invocationMetrics"
_PARAMETERS = frozenset(
    {"model", "input_tokens", "output_tokens", "latency_ms", "service", "attributes"}
)
_CONTENT_KEYS = frozenset({"prompt", "response"})
_FACT_KEYS = frozenset(
    {
        "ttft_ms",
        "service_tier",
        "latency_mode",
        "stop_reason",
        "cache_write_1h_tokens",
        "region",
        "trace_id",
    }
)
_STREAMING = frozenset({"converse_stream", "invoke_model_with_response_stream"})
_OPERATIONS = {
    "Converse": "converse",
    "ConverseStream": "converse_stream",
    "InvokeModel": "invoke_model",
    "InvokeModelWithResponseStream": "invoke_model_with_response_stream",
}
_SERVICE = "bedrock-runtime"
_local = threading.local()

_perf = time.perf_counter


def log_content_enabled() -> bool:
    """Return True when ``GENAI_LOG_CONTENT`` opts in to logging prompt and response text."""
    return os.environ.get("GENAI_LOG_CONTENT", "").strip().lower() in ("true", "1", "yes")


def last_event() -> dict[str, Any] | None:
    """Return the event recorded last by an instrumented call in this thread, or None."""
    return getattr(_local, "event", None)


def clear_last_event() -> None:
    """Forget the event recorded last in this thread (see :func:`last_event`)."""
    _local.event = None


def _error_type(exc: BaseException) -> str:
    try:
        response = getattr(exc, "response", None)
        if isinstance(response, Mapping):
            code = (response.get("Error") or {}).get("Code")
            if code:
                return str(code)
    except Exception:
        pass
    return type(exc).__name__


def _record(model: Any, latency_ms: float, usage: Mapping[str, Any] | None, **kw: Any) -> None:
    """Record one call from a usage mapping with Converse-style keys; never raises."""
    try:
        usage = usage if isinstance(usage, Mapping) else {}
        one_hour = _one_hour_writes(usage.get("cacheDetails"))
        if one_hour is not None:
            kw["cache_write_1h_tokens"] = one_hour
        event = record_llm_call(
            model,
            usage.get("inputTokens"),
            usage.get("outputTokens"),
            latency_ms,
            cache_read_tokens=usage.get("cacheReadInputTokens"),
            cache_write_tokens=usage.get("cacheWriteInputTokens"),
            **kw,
        )
        _local.event = event
    except Exception:  # pragma: no cover - record_llm_call never raises
        pass


def _one_hour_writes(details: Any) -> int | None:
    """Tokens written to the cache with a 1-hour TTL (``usage.cacheDetails``), else None."""
    if not isinstance(details, list):
        return None
    total = 0
    for detail in details:
        if isinstance(detail, Mapping) and detail.get("ttl") == "1h":
            tokens = detail.get("inputTokens")
            if isinstance(tokens, int) and not isinstance(tokens, bool):
                total += tokens
    return total


def _put(facts: dict[str, Any], key: str, value: Any) -> None:
    """Keep a fact the response stated (a short string); leave the key out otherwise."""
    if isinstance(value, str) and value and len(value) <= 64:
        facts[key] = value


def _converse_facts(response: Mapping[str, Any], facts: dict[str, Any]) -> None:
    """stop_reason, service_tier and latency_mode of a Converse response or metadata event."""
    _put(facts, "stop_reason", response.get("stopReason"))
    tier = response.get("serviceTier")
    if isinstance(tier, Mapping):
        _put(facts, "service_tier", tier.get("type"))
    performance = response.get("performanceConfig")
    if isinstance(performance, Mapping):
        _put(facts, "latency_mode", performance.get("latency"))


def _header_facts(response: Mapping[str, Any], facts: dict[str, Any]) -> None:
    """service_tier and latency_mode of an InvokeModel response (parsed headers)."""
    _put(facts, "service_tier", response.get("serviceTier"))
    _put(facts, "latency_mode", response.get("performanceConfigLatency"))
    if "service_tier" not in facts or "latency_mode" not in facts:
        headers = (response.get("ResponseMetadata") or {}).get("HTTPHeaders") or {}
        if "service_tier" not in facts:
            _put(facts, "service_tier", headers.get("x-amzn-bedrock-service-tier"))
        if "latency_mode" not in facts:
            _put(facts, "latency_mode", headers.get("x-amzn-bedrock-performanceconfig-latency"))


def _text_of(blocks: Any) -> str:
    if not isinstance(blocks, list):
        return ""
    return "\n".join(
        b["text"] for b in blocks if isinstance(b, Mapping) and isinstance(b.get("text"), str)
    )


def _prompt_of(kwargs: Mapping[str, Any]) -> str:
    try:
        for message in reversed(kwargs.get("messages") or []):
            if isinstance(message, Mapping) and message.get("role") == "user":
                return _text_of(message.get("content"))
    except Exception:
        pass
    return ""


def _header_count(headers: Mapping[str, Any], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _RecordedStream:
    """Wraps an event stream; records the call once when the stream ends or is dropped."""

    def __init__(
        self,
        inner: Any,
        start: float,
        observe: Callable[[_RecordedStream, Any], None],
        finish: Callable[[_RecordedStream, float, BaseException | None], None],
        facts: dict[str, Any],
    ) -> None:
        self._inner = inner
        self._start = start
        self._observe = observe
        self._finish_cb = finish
        self._done = False
        self.usage: dict[str, Any] | None = None
        self.text: list[str] = []
        self.facts = facts
        self.first_token: float | None = None

    def mark_first_token(self) -> None:
        """Note the time of the first content delta (once)."""
        if self.first_token is None:
            self.first_token = _perf()
            self.facts["ttft_ms"] = round((self.first_token - self._start) * 1000.0, 3)

    def __iter__(self) -> Iterator[Any]:
        try:
            for event in self._inner:
                with contextlib.suppress(Exception):
                    self._observe(self, event)
                yield event
        except Exception as exc:
            self._finish(exc)
            raise
        finally:
            self._finish(None)

    def _finish(self, error: BaseException | None) -> None:
        if self._done:
            return
        self._done = True
        with contextlib.suppress(Exception):
            self._finish_cb(self, (_perf() - self._start) * 1000.0, error)

    def close(self) -> None:
        """Close the underlying stream and record the call if it was not yet recorded."""
        try:
            close = getattr(self._inner, "close", None)
            if close is not None:
                close()
        finally:
            self._finish(None)

    def __getattr__(self, name: str) -> Any:
        if name == "_inner":
            raise AttributeError(name)
        return getattr(self._inner, name)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._finish(None)


def _observe_converse(stream: _RecordedStream, event: Any) -> None:
    if not isinstance(event, Mapping):
        return
    delta = event.get("contentBlockDelta")
    if delta is not None:
        if stream.first_token is None:
            stream.mark_first_token()
        if stream.text is not None and isinstance(delta, Mapping):
            text = (delta.get("delta") or {}).get("text")
            if isinstance(text, str):
                stream.text.append(text)
        return
    metadata = event.get("metadata")
    if isinstance(metadata, Mapping):
        if isinstance(metadata.get("usage"), Mapping):
            stream.usage = dict(metadata["usage"])
        _converse_facts(metadata, stream.facts)
        return
    stop = event.get("messageStop")
    if isinstance(stop, Mapping):
        _put(stream.facts, "stop_reason", stop.get("stopReason"))


# Chunks of InvokeModelWithResponseStream that carry no content yet (Anthropic, Nova).
_START_MARKERS = (b'"message_start"', b'"content_block_start"', b'"messageStart"')
_STOP_KEYS = ("stop_reason", "stopReason", "completionReason", "finish_reason")


def _stop_reason_of(body: Any) -> Any:
    """The stop reason in a model's streamed JSON chunk (Anthropic, Nova, Titan, Llama...)."""
    if not isinstance(body, Mapping):
        return None
    for source in (body, body.get("delta"), body.get("messageStop")):
        if isinstance(source, Mapping):
            for key in _STOP_KEYS:
                if isinstance(source.get(key), str):
                    return source[key]
    outputs = body.get("outputs") or body.get("choices")
    if isinstance(outputs, list) and outputs and isinstance(outputs[0], Mapping):
        for key in _STOP_KEYS:
            if isinstance(outputs[0].get(key), str):
                return outputs[0][key]
    return None


def _observe_invoke(stream: _RecordedStream, event: Any) -> None:
    if not isinstance(event, Mapping):
        return
    chunk = event.get("chunk")
    data = chunk.get("bytes") if isinstance(chunk, Mapping) else None
    if not isinstance(data, (bytes, bytearray)):
        return
    if stream.first_token is None and not any(m in data for m in _START_MARKERS):
        stream.mark_first_token()
    has_metrics = _METRICS_KEY in data
    if not has_metrics and not any(k.encode() in data for k in _STOP_KEYS):
        return
    import json

    body = json.loads(data)
    reason = _stop_reason_of(body)
    if reason is not None:
        _put(stream.facts, "stop_reason", reason)
    metrics = body.get("amazon-bedrock-invocationMetrics") if has_metrics else None
    if isinstance(metrics, Mapping):
        stream.usage = {
            "inputTokens": metrics.get("inputTokenCount"),
            "outputTokens": metrics.get("outputTokenCount"),
            "cacheReadInputTokens": metrics.get("cacheReadInputTokenCount"),
            "cacheWriteInputTokens": metrics.get("cacheWriteInputTokenCount"),
        }


def _make_finish(
    model: Any, operation: str, kw: dict[str, Any], prompt: str | None
) -> Callable[[_RecordedStream, float, BaseException | None], None]:
    def finish(stream: _RecordedStream, latency_ms: float, error: BaseException | None) -> None:
        extra = dict(kw)
        extra.update(stream.facts)
        if prompt is not None:
            extra["prompt"] = prompt
            extra["response"] = "".join(stream.text)
        if error is not None:
            extra["status"] = "error"
            extra["error_type"] = _error_type(error)
        _record(model, latency_ms, stream.usage, operation=operation, **extra)

    return finish


def _call(name: str, call: Callable[[], Any], kwargs: Mapping[str, Any], kw: dict[str, Any]) -> Any:
    """Make one Bedrock Runtime call through ``call()`` and record it (once)."""
    model = kwargs.get("modelId")
    start = _perf()
    _local.active = True
    try:
        response = call()
    except Exception as exc:
        latency = (_perf() - start) * 1000.0
        _record(
            model,
            latency,
            {"inputTokens": 0, "outputTokens": 0},
            operation=name,
            status="error",
            error_type=_error_type(exc),
            **kw,
        )
        raise
    finally:
        _local.active = False
    latency = (_perf() - start) * 1000.0
    try:
        log_content = name in ("converse", "converse_stream") and log_content_enabled()
        facts: dict[str, Any] = {}
        if name in _STREAMING:
            stream_key = "stream" if name == "converse_stream" else "body"
            inner = response.get(stream_key) if isinstance(response, dict) else None
            if name == "invoke_model_with_response_stream" and isinstance(response, Mapping):
                _header_facts(response, facts)
            if inner is None or isinstance(inner, _RecordedStream):
                _record(model, latency, None, operation=name, **kw, **facts)
            else:
                prompt = _prompt_of(kwargs) if log_content else None
                observe = _observe_converse if name == "converse_stream" else _observe_invoke
                wrapped = _RecordedStream(
                    inner, start, observe, _make_finish(model, name, kw, prompt), facts
                )
                if prompt is None:
                    wrapped.text = None  # type: ignore[assignment]
                response[stream_key] = wrapped
        elif name == "converse":
            extra = dict(kw)
            _converse_facts(response, facts)
            extra.update(facts)
            if log_content:
                extra["prompt"] = _prompt_of(kwargs)
                output = response.get("output") or {}
                extra["response"] = _text_of((output.get("message") or {}).get("content"))
            _record(model, latency, response.get("usage"), operation=name, **extra)
        else:
            headers = (response.get("ResponseMetadata") or {}).get("HTTPHeaders") or {}
            usage = {
                "inputTokens": _header_count(headers, "x-amzn-bedrock-input-token-count"),
                "outputTokens": _header_count(headers, "x-amzn-bedrock-output-token-count"),
                "cacheReadInputTokens": _header_count(
                    headers, "x-amzn-bedrock-cache-read-input-token-count"
                ),
                "cacheWriteInputTokens": _header_count(
                    headers, "x-amzn-bedrock-cache-write-input-token-count"
                ),
            }
            if usage["inputTokens"] is not None and usage["outputTokens"] is None:
                usage["outputTokens"] = 0  # embeddings report no output tokens
            _header_facts(response, facts)
            _record(model, latency, usage, operation=name, **kw, **facts)
    except Exception:
        pass
    return response


def _wrap(name: str, original: Callable[..., Any], kw: dict[str, Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if getattr(_local, "active", False):  # a wrapper of ours is already recording
            return original(*args, **kwargs)
        return _call(name, lambda: original(*args, **kwargs), kwargs, kw)

    setattr(wrapper, _MARK, True)
    return wrapper


# -- process-wide: one class-level patch of botocore -------------------------------------------


class _Patch:
    """The state of :func:`instrument_all` (one per process, guarded by its lock)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.original: Callable[..., Any] | None = None
        self.patched: Callable[..., Any] | None = None
        self.enabled = False
        self.kw: dict[str, Any] = {}
        self.hook: _BotocoreHook | None = None


_patch = _Patch()


def _make_patched(original: Callable[..., Any]) -> Callable[..., Any]:
    state = _patch

    @functools.wraps(original)
    def _make_api_call(self: Any, operation_name: str, api_params: Any) -> Any:
        name = _OPERATIONS.get(operation_name)
        if (
            name is None
            or not state.enabled
            or getattr(_local, "active", False)
            or getattr(getattr(self, "_service_model", None), "service_name", None) != _SERVICE
        ):
            return original(self, operation_name, api_params)
        params = api_params if isinstance(api_params, Mapping) else {}
        return _call(name, lambda: original(self, operation_name, api_params), params, state.kw)

    setattr(_make_api_call, _MARK, True)
    return _make_api_call


def _install(base_client: Any) -> None:
    """Put our patch on ``BaseClient._make_api_call`` (caller holds the lock)."""
    current = base_client._make_api_call
    if current is _patch.patched:
        return
    # Not ours on top (first call, or another tool patched over ours): wrap it. A stale
    # patch of ours put back by someone else's unpatch is unwrapped first.
    while getattr(current, _MARK, False) and hasattr(current, "__wrapped__"):
        current = current.__wrapped__
    _patch.original = current
    _patch.patched = _make_patched(current)
    base_client._make_api_call = _patch.patched


class _BotocoreHook:
    """Patches ``botocore.client`` right after its first import (a ``sys.meta_path`` finder).

    So :func:`instrument_all` costs no botocore import: a function that imports boto3 later,
    or never, pays nothing at start.
    """

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "botocore.client" or _patch.hook is not self:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(fullname, path)
        loader = getattr(spec, "loader", None)
        exec_module = getattr(loader, "exec_module", None)
        if exec_module is None:
            return None

        def exec_then_patch(module: Any) -> None:
            exec_module(module)
            with contextlib.suppress(Exception), _patch.lock:
                _remove_hook()
                if _patch.enabled:
                    _install(module.BaseClient)

        loader.exec_module = exec_then_patch  # type: ignore[union-attr]
        return spec


def _remove_hook() -> None:
    hook, _patch.hook = _patch.hook, None
    if hook is not None:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(hook)


def _check_attributes(caller: str, attributes: Mapping[str, Any]) -> None:
    clash = sorted(set(attributes) & (CONTRACT_KEYS | _PARAMETERS | _CONTENT_KEYS | _FACT_KEYS))
    if clash:
        raise ConfigurationError(f"{caller}: attributes {clash} would replace line keys")


def instrument_all(*, service: str | None = None, **attributes: Any) -> bool:
    """Record every Bedrock Runtime call of the process as one ``llm_call`` line.

    Patches ``botocore.client.BaseClient._make_api_call`` once, so every ``bedrock-runtime``
    client (created before or after, from any ``boto3.Session``, by any framework) records
    ``Converse``, ``ConverseStream``, ``InvokeModel`` and ``InvokeModelWithResponseStream``
    exactly like :func:`instrument`; calls of other services pass through untouched. When
    botocore is not imported yet, the patch is applied right after its import (no import
    cost now). Thread-safe; calling it again while active changes nothing. Async clients
    (aiobotocore) are not covered.

    Args:
        service: Service label for the lines (default: ``GENAI_SERVICE``, then the Lambda
            function name).
        **attributes: Extra keys added to every line (e.g. ``team="search"``).

    Returns:
        True when this call switched recording on, False when it was already on.

    Raises:
        ConfigurationError: An attribute would replace a line key.

    Example:
        >>> from genai_observability import instrument_all  # doctest: +SKIP
        >>> instrument_all()  # doctest: +SKIP
        True
    """
    _check_attributes("instrument_all()", attributes)
    with _patch.lock:
        if _patch.enabled:
            return False
        kw: dict[str, Any] = dict(attributes)
        if service is not None:
            kw["service"] = service
        _patch.kw = kw
        _patch.enabled = True
        module = sys.modules.get("botocore.client")
        if module is None or not hasattr(module, "BaseClient"):
            _patch.hook = _BotocoreHook()
            sys.meta_path.insert(0, _patch.hook)
            module = sys.modules.get("botocore.client")  # imported meanwhile by a thread?
        if module is not None and hasattr(module, "BaseClient"):
            _remove_hook()
            _install(module.BaseClient)
        return True


def uninstrument_all() -> bool:
    """Undo :func:`instrument_all`; clients instrumented by :func:`instrument` stay so.

    Restores botocore's original method when ours is still the outermost; when another
    tool patched over it since, ours stays in place but passes every call through.

    Returns:
        True when recording was on and is now off, False when it was not on.
    """
    with _patch.lock:
        if not _patch.enabled:
            return False
        _patch.enabled = False
        _remove_hook()
        module = sys.modules.get("botocore.client")
        base_client = getattr(module, "BaseClient", None)
        if (
            base_client is not None
            and base_client._make_api_call is _patch.patched
            and _patch.original is not None
        ):
            base_client._make_api_call = _patch.original
            _patch.patched = _patch.original = None
        return True


def instrument(client: Any, *, service: str | None = None, **attributes: Any) -> Any:
    """Record every Bedrock Runtime call made through ``client`` as one ``llm_call`` line.

    Wraps ``converse``, ``converse_stream``, ``invoke_model`` and
    ``invoke_model_with_response_stream`` on this client instance. Calling it again on the
    same client changes nothing.

    Args:
        client: A boto3 ``bedrock-runtime`` client.
        service: Service label for this client's lines (default: ``GENAI_SERVICE``, then the
            Lambda function name).
        **attributes: Extra keys added to every line of this client (e.g. ``team="search"``).

    Returns:
        The same client, instrumented.

    Raises:
        ConfigurationError: ``client`` has none of the four methods, or an attribute would
            replace a contract key.

    Example:
        >>> import boto3  # doctest: +SKIP
        >>> bedrock = instrument(boto3.client("bedrock-runtime"))  # doctest: +SKIP
    """
    if getattr(client, _MARK, False):
        return client
    _check_attributes("instrument()", attributes)
    kw: dict[str, Any] = dict(attributes)
    if service is not None:
        kw["service"] = service
    wrapped = 0
    for name in (
        "converse",
        "converse_stream",
        "invoke_model",
        "invoke_model_with_response_stream",
    ):
        original = getattr(client, name, None)
        if callable(original) and not getattr(original, _MARK, False):
            setattr(client, name, _wrap(name, original, kw))
            wrapped += 1
    if not wrapped:
        raise ConfigurationError(
            "instrument() expects a boto3 bedrock-runtime client"
            f" (got {type(client).__name__} without converse/invoke_model)"
        )
    with contextlib.suppress(Exception):  # objects without __dict__
        setattr(client, _MARK, True)
    return client
