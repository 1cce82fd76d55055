"""The Lambda entry point ``genai_observability.handler.lambda_handler``.

A scheduled (or invoked) agent: it sends one prompt to a Bedrock model with the Converse API
through an instrumented client, so the call is recorded as one ``llm_call`` line, and returns
the answer with the call's tokens, latency and cost.

Input, first found wins:

* prompt: ``event["prompt"]``, else the ``GENAI_PROMPT`` environment variable;
* model: ``event["model_id"]``, else ``GENAI_MODEL_ID``;
* optional ``event["max_tokens"]`` (a positive integer) caps the answer.

No prompt or response text is logged unless ``GENAI_LOG_CONTENT`` is ``true``.

The Bedrock Runtime client is created once per execution environment on first use; tests
and local demos can hand in their own with :func:`set_client`. Its connect/read timeouts and
retry attempts are cut to the function's own timeout (:func:`client_limits`), so a stuck call
fails as ``ReadTimeoutError`` and is recorded as an ``error`` line before Lambda would kill
the process (with no line at all).
"""

from __future__ import annotations

import os
from typing import Any

from ._context import bind_request
from ._errors import ConfigurationError
from .instrumentation import clear_last_event, instrument, last_event

__all__ = ["MIN_TIMEOUT_S", "client_limits", "lambda_handler", "set_client"]

_client: Any = None

MIN_TIMEOUT_S = 10
"""The shortest function timeout that leaves a Bedrock call a useful read timeout (the
function module rejects shorter ones for this handler)."""
DEFAULT_TIMEOUT_S = 60.0  # the function module's default, when the context does not say
_MARGIN_S = 2.0  # kept for writing the line and returning
_CONNECT_S = 2.0
_BACKOFF_S = 1.0  # botocore standard mode: first retry waits rand(0, 1) * 1 s on throttling
_MIN_READ_S = 1.0
_RETRY_READ_S = 5.0  # a retry is worth it only when each attempt can read this long


def client_limits(timeout_s: float) -> dict[str, Any]:
    """Connect/read timeouts and retry attempts that end before a function timeout.

    Worst case: ``attempts * (connect + read) + (attempts - 1) * backoff`` stays under
    ``timeout_s - 2`` seconds (the read timeout is per socket read; the handler's Converse
    call answers in one read).

    Args:
        timeout_s: Seconds the invocation has (the function's timeout).

    Returns:
        Keyword arguments for ``botocore.config.Config``.
    """
    try:
        available = float(timeout_s) - _MARGIN_S
    except (TypeError, ValueError):
        available = DEFAULT_TIMEOUT_S - _MARGIN_S
    if not available > 0:  # also NaN
        available = 0.0
    attempts = 2 if available >= 2 * (_CONNECT_S + _RETRY_READ_S) + _BACKOFF_S else 1
    read = (available - (attempts - 1) * _BACKOFF_S) / attempts - _CONNECT_S
    return {
        "connect_timeout": _CONNECT_S,
        "read_timeout": max(round(read, 3), _MIN_READ_S),
        "retries": {"total_max_attempts": attempts, "mode": "standard"},
    }


def _timeout_of(context: Any) -> float:
    try:
        return float(context.get_remaining_time_in_millis()) / 1000.0
    except Exception:
        return DEFAULT_TIMEOUT_S


def set_client(client: Any) -> None:
    """Use ``client`` (instrumented here) for the following invocations; None resets it."""
    global _client
    _client = None if client is None else instrument(client)


def _get_client(context: Any = None) -> Any:
    global _client
    if _client is None:
        import boto3
        from botocore.config import Config

        from . import __version__

        config = Config(
            user_agent_extra=f"genai-observability/{__version__}",
            **client_limits(_timeout_of(context)),
        )
        _client = instrument(boto3.client("bedrock-runtime", config=config))
    return _client


def _setting(event: Any, key: str, env: str) -> str:
    value = event.get(key) if isinstance(event, dict) else None
    if value is None or value == "":
        value = os.environ.get(env, "")
    if not isinstance(value, str):
        raise ConfigurationError(f"{key!r} must be a string, got {type(value).__name__}")
    value = value.strip()
    if not value:
        raise ConfigurationError(f"no {key.replace('_', ' ')}: set event[{key!r}] or {env}")
    return value


def lambda_handler(event: Any, context: Any) -> dict[str, Any]:
    """Ask the configured model one question and return the answer and its cost.

    Args:
        event: The invocation event; optional keys ``prompt``, ``model_id``, ``max_tokens``.
        context: The Lambda context (its request id is bound to the recorded line).

    Returns:
        ``{"model", "answer", "input_tokens", "output_tokens", "cost_usd", "pricing",
        "latency_ms", "request_id"}``.

    Raises:
        ConfigurationError: No prompt or no model id, or an invalid ``max_tokens``.
        botocore.exceptions.ClientError: Bedrock refused the call (recorded first).
    """
    request_id = bind_request(context)
    prompt = _setting(event, "prompt", "GENAI_PROMPT")
    model = _setting(event, "model_id", "GENAI_MODEL_ID")
    request: dict[str, Any] = {
        "modelId": model,
        "messages": [{"role": "user", "content": [{"text": prompt}]}],
    }
    max_tokens = event.get("max_tokens") if isinstance(event, dict) else None
    if max_tokens is not None:
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
            raise ConfigurationError(f"'max_tokens' must be a positive integer, got {max_tokens!r}")
        request["inferenceConfig"] = {"maxTokens": max_tokens}

    client = _get_client(context)
    clear_last_event()
    response = client.converse(**request)

    content = ((response.get("output") or {}).get("message") or {}).get("content") or []
    answer = "".join(b.get("text", "") for b in content if isinstance(b, dict))
    recorded = last_event() or {}
    return {
        "model": model,
        "answer": answer,
        "input_tokens": recorded.get("input_tokens"),
        "output_tokens": recorded.get("output_tokens"),
        "cost_usd": recorded.get("cost_usd"),
        "pricing": recorded.get("pricing"),
        "latency_ms": recorded.get("latency_ms"),
        "request_id": request_id,
    }
