"""Instrumentation of a boto3 ``bedrock-runtime`` client: one ``llm_call`` line per call.

:func:`instrument` wraps four methods on the client instance (the class is untouched):

* ``converse``: tokens from ``usage`` (``inputTokens``, ``outputTokens``,
  ``cacheReadInputTokens``, ``cacheWriteInputTokens``);
* ``converse_stream``: the response's ``stream`` is wrapped; tokens come from its
  ``metadata`` event; the line is written once, when the stream ends, fails, is closed or is
  dropped (garbage collected) early;
* ``invoke_model``: tokens from the ``x-amzn-bedrock-input-token-count`` /
  ``-output-token-count`` (and cache read/write) response headers;
* ``invoke_model_with_response_stream``: tokens from the ``amazon-bedrock-invocationMetrics``
  object of the last chunk, recorded like ``converse_stream``.

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
import json
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ._errors import ConfigurationError
from ._events import CONTRACT_KEYS, record_llm_call

__all__ = ["instrument"]

_MARK = "_genai_observability_instrumented"
_METRICS_KEY = b"amazon-bedrock-invocationMetrics"
_PARAMETERS = frozenset(
    {"model", "input_tokens", "output_tokens", "latency_ms", "service", "attributes"}
)
_CONTENT_KEYS = frozenset({"prompt", "response"})
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
        if one_hour:
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
    """Tokens written with a 1-hour TTL, from ``usage.cacheDetails`` (``ttl`` ``1h``)."""
    if not isinstance(details, list):
        return None
    total = 0
    for item in details:
        if isinstance(item, Mapping) and item.get("ttl") == "1h":
            tokens = item.get("inputTokens")
            if type(tokens) is int and tokens > 0:
                total += tokens
    return total or None


def _served(response: Any, headers: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """service_tier and latency_mode as the response says (Converse body, InvokeModel headers)."""
    facts: dict[str, Any] = {}
    if not isinstance(response, Mapping):
        return facts
    tier = response.get("serviceTier")
    if isinstance(tier, Mapping):
        tier = tier.get("type")
    latency = response.get("performanceConfig")
    latency = latency.get("latency") if isinstance(latency, Mapping) else None
    latency = latency or response.get("performanceConfigLatency")
    if headers:
        tier = tier or headers.get("x-amzn-bedrock-service-tier")
        latency = latency or headers.get("x-amzn-bedrock-performanceconfig-latency")
    if isinstance(tier, str) and tier:
        facts["service_tier"] = tier
    if isinstance(latency, str) and latency:
        facts["latency_mode"] = latency
    return facts


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
    ) -> None:
        self._inner = inner
        self._start = start
        self._observe = observe
        self._finish_cb = finish
        self._done = False
        self.usage: dict[str, Any] | None = None
        self.text: list[str] = []

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
    metadata = event.get("metadata")
    if isinstance(metadata, Mapping) and isinstance(metadata.get("usage"), Mapping):
        stream.usage = dict(metadata["usage"])
    elif stream.text is not None:
        delta = event.get("contentBlockDelta")
        if isinstance(delta, Mapping):
            text = (delta.get("delta") or {}).get("text")
            if isinstance(text, str):
                stream.text.append(text)


def _observe_invoke(stream: _RecordedStream, event: Any) -> None:
    if not isinstance(event, Mapping):
        return
    chunk = event.get("chunk")
    data = chunk.get("bytes") if isinstance(chunk, Mapping) else None
    if isinstance(data, (bytes, bytearray)) and _METRICS_KEY in data:
        metrics = json.loads(data).get("amazon-bedrock-invocationMetrics")
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
        if prompt is not None:
            extra["prompt"] = prompt
            extra["response"] = "".join(stream.text)
        if error is not None:
            extra["status"] = "error"
            extra["error_type"] = _error_type(error)
        _record(model, latency_ms, stream.usage, operation=operation, **extra)

    return finish


def _wrap(name: str, original: Callable[..., Any], kw: dict[str, Any]) -> Callable[..., Any]:
    streaming = name in ("converse_stream", "invoke_model_with_response_stream")
    stream_key = "stream" if name == "converse_stream" else "body"
    observe = _observe_converse if name == "converse_stream" else _observe_invoke
    content = name in ("converse", "converse_stream")

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        model = kwargs.get("modelId")
        start = _perf()
        try:
            response = original(*args, **kwargs)
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
        latency = (_perf() - start) * 1000.0
        try:
            log_content = content and log_content_enabled()
            if streaming:
                inner = response.get(stream_key) if isinstance(response, dict) else None
                if inner is None:
                    _record(model, latency, None, operation=name, **kw)
                else:
                    prompt = _prompt_of(kwargs) if log_content else None
                    wrapped = _RecordedStream(
                        inner, start, observe, _make_finish(model, name, kw, prompt)
                    )
                    if prompt is None:
                        wrapped.text = None  # type: ignore[assignment]
                    response[stream_key] = wrapped
            elif name == "converse":
                extra = dict(kw)
                if log_content:
                    extra["prompt"] = _prompt_of(kwargs)
                    output = response.get("output") or {}
                    extra["response"] = _text_of((output.get("message") or {}).get("content"))
                extra.update(_served(response))
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
                _record(model, latency, usage, operation=name, **kw, **_served(response, headers))
        except Exception:
            pass
        return response

    setattr(wrapper, _MARK, True)
    return wrapper


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
    clash = sorted(set(attributes) & (CONTRACT_KEYS | _PARAMETERS | _CONTENT_KEYS))
    if clash:
        raise ConfigurationError(f"instrument(): attributes {clash} would replace line keys")
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
