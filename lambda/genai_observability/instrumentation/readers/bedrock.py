"""What the Bedrock Runtime shapes share: the model id, Converse usage and facts, headers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..call import PendingCall, WatchedStream, log_content_enabled
from ..reader import Reader

__all__ = [
    "BedrockReader",
    "converse_facts",
    "converse_usage",
    "header_count",
    "header_facts",
    "headers_of",
    "text_of",
    "watch_member",
]


class BedrockReader(Reader):
    """A Bedrock Runtime shape: the request names the model in ``modelId``."""

    logs_content = False
    """True for shapes whose prompt and answer are logged when ``GENAI_LOG_CONTENT`` is on."""

    def on_request(self, call: PendingCall, params: Mapping[str, Any]) -> None:
        call.model = params.get("modelId")
        if self.logs_content and log_content_enabled():
            call.prompt = _prompt_of(params)


def text_of(blocks: Any) -> str:
    """The text of a Converse message's content blocks, one line per text block."""
    if not isinstance(blocks, list):
        return ""
    return "\n".join(
        b["text"] for b in blocks if isinstance(b, Mapping) and isinstance(b.get("text"), str)
    )


def _prompt_of(params: Mapping[str, Any]) -> str:
    try:
        for message in reversed(params.get("messages") or []):
            if isinstance(message, Mapping) and message.get("role") == "user":
                return text_of(message.get("content"))
    except Exception:
        pass
    return ""


def converse_usage(call: PendingCall, usage: Any) -> None:
    """Token counts of a Converse ``usage`` object, 1-hour cache writes included."""
    usage = usage if isinstance(usage, Mapping) else {}
    call.set_usage(
        usage.get("inputTokens"),
        usage.get("outputTokens"),
        usage.get("cacheReadInputTokens"),
        usage.get("cacheWriteInputTokens"),
    )
    details = usage.get("cacheDetails")
    if isinstance(details, list):
        total = 0
        for detail in details:
            if isinstance(detail, Mapping) and detail.get("ttl") == "1h":
                tokens = detail.get("inputTokens")
                if isinstance(tokens, int) and not isinstance(tokens, bool):
                    total += tokens
        call.facts["cache_write_1h_tokens"] = total


def converse_facts(call: PendingCall, response: Mapping[str, Any]) -> None:
    """stop_reason, service_tier and latency_mode of a Converse response or metadata event."""
    call.put("stop_reason", response.get("stopReason"))
    tier = response.get("serviceTier")
    if isinstance(tier, Mapping):
        call.put("service_tier", tier.get("type"))
    performance = response.get("performanceConfig")
    if isinstance(performance, Mapping):
        call.put("latency_mode", performance.get("latency"))


def headers_of(response: Mapping[str, Any]) -> Mapping[str, Any]:
    """The HTTP response headers botocore keeps in ``ResponseMetadata`` (lower-case names)."""
    return (response.get("ResponseMetadata") or {}).get("HTTPHeaders") or {}


def header_facts(call: PendingCall, response: Mapping[str, Any]) -> None:
    """service_tier and latency_mode of an InvokeModel response (parsed members, else headers)."""
    call.put("service_tier", response.get("serviceTier"))
    call.put("latency_mode", response.get("performanceConfigLatency"))
    if "service_tier" not in call.facts or "latency_mode" not in call.facts:
        headers = headers_of(response)
        if "service_tier" not in call.facts:
            call.put("service_tier", headers.get("x-amzn-bedrock-service-tier"))
        if "latency_mode" not in call.facts:
            call.put("latency_mode", headers.get("x-amzn-bedrock-performanceconfig-latency"))


def header_count(headers: Mapping[str, Any], name: str) -> int | None:
    """A token count header as an int, or None when absent or not a number."""
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def watch_member(call: PendingCall, reader: Reader, response: Any, member: str) -> Any:
    """Hand the event stream in ``response[member]`` to ``reader``; return ``response``.

    The call then finishes at the stream's end; without a stream (or with one already
    watched) it finishes with the response, its usage unknown.
    """
    inner = response.get(member) if isinstance(response, dict) else None
    if inner is not None and not isinstance(inner, WatchedStream):
        response[member] = call.watch(inner, reader)
    return response
