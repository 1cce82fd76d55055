"""OpenAI Chat Completions on Amazon Bedrock: usage from the body, or from a stream's last chunk.

A whole response carries ``usage`` (``prompt_tokens``, ``completion_tokens`` and
``prompt_tokens_details``: the pinned openai SDK's ``CompletionUsage``). A stream carries usage
only when the caller asked for it (``"stream_options": {"include_usage": true}``): then the
last chunk before ``[DONE]`` has ``usage`` and empty ``choices`` (openai SDK,
``ChatCompletionChunk.usage``). Without it the line says ``usage_unknown``, never a guess.

``prompt_tokens`` counts the cached prompt tokens too (``prompt_tokens_details.cached_tokens``
and ``cache_write_tokens`` are parts of it), while the line's ``input_tokens`` are the tokens
billed at the input price, as Bedrock's Converse ``inputTokens``: the cache parts are taken
out and reported as ``cache_read_tokens`` / ``cache_write_tokens``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..call import PendingCall
from .compat import CompatReader, add_answer, count, event_data, mark_error, member

__all__ = ["READER", "ChatCompletionsReader", "openai_usage"]


def openai_usage(
    call: PendingCall, usage: Any, input_key: str, output_key: str, details_key: str
) -> None:
    """Token counts of an OpenAI ``usage`` object, cache parts out of the input count.

    Chat Completions name the keys ``prompt_tokens`` / ``completion_tokens`` /
    ``prompt_tokens_details``; Responses ``input_tokens`` / ``output_tokens`` /
    ``input_tokens_details``. Nothing is set when the input or output count is missing.
    """
    if not isinstance(usage, Mapping):
        return
    total_in, output = count(usage.get(input_key)), count(usage.get(output_key))
    if total_in is None or output is None:
        return
    details = usage.get(details_key)
    cached = count(member(details, "cached_tokens"))
    written = count(member(details, "cache_write_tokens"))
    billed_in = max(total_in - (cached or 0) - (written or 0), 0)
    call.set_usage(billed_in, output, cached, written)


class ChatCompletionsReader(CompatReader):
    """``POST /chat/completions``: the body's ``usage`` and ``finish_reason``, or its stream's."""

    operation = "chat_completions"

    def read_body(self, call: PendingCall, body: Mapping[str, Any]) -> None:
        choices = body.get("choices")
        if isinstance(choices, list) and choices:
            call.put("stop_reason", member(choices[0], "finish_reason"))
            add_answer(call, member(choices[0], "message", "content"))
        call.put("service_tier", body.get("service_tier"))
        openai_usage(call, body.get("usage"), "prompt_tokens", "completion_tokens", _DETAILS)

    def on_stream_event(self, call: PendingCall, event: Any) -> None:
        _, data = event_data(event)
        if not isinstance(data, Mapping):
            return  # "[DONE]"
        if data.get("error"):
            mark_error(call, member(data, "error", "type") or member(data, "error", "code"))
            return
        if call.model is None and isinstance(data.get("model"), str):
            call.model = data["model"]
        choices = data.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], Mapping):
            delta = choices[0].get("delta")
            if isinstance(delta, Mapping) and any(delta.get(key) for key in _CONTENT):
                call.mark_first_token()
                add_answer(call, delta.get("content"))
            call.put("stop_reason", choices[0].get("finish_reason"))
        call.put("service_tier", data.get("service_tier"))
        if isinstance(data.get("usage"), Mapping):
            openai_usage(call, data["usage"], "prompt_tokens", "completion_tokens", _DETAILS)


_DETAILS = "prompt_tokens_details"
_CONTENT = ("content", "reasoning_content", "reasoning", "tool_calls", "refusal")
"""Delta keys that carry the answer (``ttft_ms`` is the time to the first of them)."""

READER = ChatCompletionsReader()
