"""The bodies and server-sent events of Bedrock's OpenAI- and Anthropic-compatible APIs.

:mod:`support.fake_bedrock` serves them on the same server as bedrock-runtime's own paths
(:data:`ROUTES`); each builder turns a scripted ``Reply`` into the shape the pinned SDKs
parse (openai 2.54: ``ChatCompletion``, ``ChatCompletionChunk``, ``Response`` and its stream
events; anthropic 2.17: ``Message`` and its stream events). Paths, from the Amazon Bedrock User
Guide:

* bedrock-runtime's OpenAI-compatible base ``/openai/v1`` ("Responses API",
  inference-responses-api; "Invoke a model with the OpenAI Chat Completions API");
* bedrock-mantle's ``/v1`` (most models) and ``/openai/v1`` (some: a request on the wrong
  prefix is refused), for ``/chat/completions`` and ``/responses``
  (inference-chat-completions-mantle, inference-responses-api);
* bedrock-mantle's Anthropic Messages ``/anthropic/v1/messages`` (inference-messages-api).

Token counts: a ``Reply``'s ``input_tokens`` are the tokens billed at the input price (as
Bedrock's Converse says them); OpenAI's ``prompt_tokens`` / ``input_tokens`` add the cached
parts back (they count every prompt token), Anthropic's ``input_tokens`` do not.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "ROUTES",
    "SSE",
    "chat_body",
    "chat_events",
    "error_body",
    "messages_body",
    "messages_events",
    "responses_body",
    "responses_events",
    "sse",
    "stream_error_event",
]

SSE = "text/event-stream"
"""The content type of server-sent events."""

ROUTES = {
    "/openai/v1/chat/completions": "ChatCompletions",
    "/v1/chat/completions": "ChatCompletions",
    "/openai/v1/responses": "Responses",
    "/v1/responses": "Responses",
    "/anthropic/v1/messages": "Messages",
}
"""Request path -> the API it speaks (on one server: bedrock-runtime and bedrock-mantle)."""

CREATED = 1_767_225_600  # 2026-01-01T00:00:00Z


def sse(data: Any, event: str | None = None) -> bytes:
    """One server-sent event (``event:`` line when named, one ``data:`` line, blank line)."""
    text = data if isinstance(data, str) else json.dumps(data)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {text}\n\n".encode()


def _words(reply: Any) -> list[str]:
    words = reply.text.split(" ")
    return [w if i == len(words) - 1 else w + " " for i, w in enumerate(words)]


def _prompt_total(reply: Any) -> int:
    return reply.input_tokens + (reply.cache_read_tokens or 0) + (reply.cache_write_tokens or 0)


def _openai_usage(reply: Any, names: tuple[str, str, str]) -> dict[str, Any] | None:
    if reply.omit_usage:
        return None
    input_key, output_key, details_key = names
    details: dict[str, Any] = {"cached_tokens": reply.cache_read_tokens or 0}
    if reply.cache_write_tokens is not None:
        details["cache_write_tokens"] = reply.cache_write_tokens
    usage = {
        input_key: _prompt_total(reply),
        output_key: reply.output_tokens,
        "total_tokens": _prompt_total(reply) + reply.output_tokens,
        details_key: details,
    }
    if input_key == "input_tokens":
        usage["output_tokens_details"] = {"reasoning_tokens": 0}
    return usage


CHAT_USAGE = ("prompt_tokens", "completion_tokens", "prompt_tokens_details")
RESPONSES_USAGE = ("input_tokens", "output_tokens", "input_tokens_details")


# -- OpenAI Chat Completions -----------------------------------------------------------------


def _chunk(model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
    }


def chat_body(reply: Any, model: str) -> dict[str, Any]:
    """A ``chat.completion`` (``usage: null`` when the reply omits usage)."""
    message = {"role": "assistant", "content": reply.text}
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": CREATED,
        "model": model,
        "choices": [
            {"index": 0, "message": message, "finish_reason": reply.stop_reason, "logprobs": None}
        ],
        "usage": _openai_usage(reply, CHAT_USAGE),
    }


def chat_events(reply: Any, model: str, request: dict[str, Any]) -> list[bytes]:
    """Chunks: the role, one per word, the finish reason, the usage chunk when asked, [DONE].

    As the API does, usage comes only with ``stream_options.include_usage`` (a last chunk
    with empty ``choices``).
    """
    events = [sse(_chunk(model, {"role": "assistant", "content": ""}, None))]
    events += [sse(_chunk(model, {"content": word}, None)) for word in _words(reply)]
    events.append(sse(_chunk(model, {}, reply.stop_reason)))
    asked = (request.get("stream_options") or {}).get("include_usage") is True
    usage = _openai_usage(reply, CHAT_USAGE)
    if asked and usage is not None:
        last = _chunk(model, {}, None)
        last["choices"], last["usage"] = [], usage
        events.append(sse(last))
    events.append(sse("[DONE]"))
    return events


# -- OpenAI Responses ------------------------------------------------------------------------


def responses_body(reply: Any, model: str, status: str = "completed") -> dict[str, Any]:
    """A ``response`` object; ``max_output_tokens`` / ``content_filter`` make it incomplete."""
    incomplete = reply.stop_reason in ("max_output_tokens", "content_filter")
    if status == "completed" and incomplete:
        status = "incomplete"
    text = {"type": "output_text", "text": reply.text, "annotations": []}
    item = {
        "type": "message",
        "id": "msg_fake",
        "status": "completed",
        "role": "assistant",
        "content": [text],
    }
    body: dict[str, Any] = {
        "id": "resp_fake",
        "object": "response",
        "created_at": CREATED,
        "model": model,
        "status": status,
        "output": [item] if status != "in_progress" else [],
        "incomplete_details": {"reason": reply.stop_reason} if status == "incomplete" else None,
        "error": None,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }
    if status != "in_progress":
        body["usage"] = _openai_usage(reply, RESPONSES_USAGE)
    return body


def responses_events(reply: Any, model: str) -> list[bytes]:
    """created, output item and part added, one text delta per word, done events, completed."""
    seq = iter(range(1000))

    def event(kind: str, **fields: Any) -> bytes:
        return sse({"type": kind, "sequence_number": next(seq), **fields}, kind)

    place = {"item_id": "msg_fake", "output_index": 0, "content_index": 0}
    part = {"type": "output_text", "text": "", "annotations": []}
    item = {"type": "message", "id": "msg_fake", "status": "in_progress", "role": "assistant"}
    events = [
        event("response.created", response=responses_body(reply, model, "in_progress")),
        event("response.output_item.added", output_index=0, item={**item, "content": []}),
        event("response.content_part.added", part=part, **place),
    ]
    events += [
        event("response.output_text.delta", delta=word, logprobs=[], **place)
        for word in _words(reply)
    ]
    final = responses_body(reply, model)
    done = final["output"][0]
    events += [
        event("response.output_text.done", text=reply.text, logprobs=[], **place),
        event("response.content_part.done", part=done["content"][0], **place),
        event("response.output_item.done", output_index=0, item=done),
        event(f"response.{final['status']}", response=final),
    ]
    return events


# -- Anthropic Messages ----------------------------------------------------------------------


def _anthropic_usage(reply: Any, output_tokens: int) -> dict[str, Any]:
    usage: dict[str, Any] = {"input_tokens": reply.input_tokens, "output_tokens": output_tokens}
    if reply.cache_read_tokens is not None:
        usage["cache_read_input_tokens"] = reply.cache_read_tokens
    if reply.cache_write_tokens is not None:
        usage["cache_creation_input_tokens"] = reply.cache_write_tokens
    return usage


def messages_body(reply: Any, model: str) -> dict[str, Any]:
    """A ``message`` with its ``usage`` (cache counts when the reply has them)."""
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": reply.text}],
        "stop_reason": reply.stop_reason,
        "stop_sequence": None,
        "usage": _anthropic_usage(reply, reply.output_tokens),
    }


def messages_events(reply: Any, model: str) -> list[bytes]:
    """message_start (input usage), block start, ping, deltas, block stop, delta, stop."""
    start = messages_body(reply, model)
    start.update(content=[], stop_reason=None, usage=_anthropic_usage(reply, 1))
    events = [
        sse({"type": "message_start", "message": start}, "message_start"),
        sse(
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
            "content_block_start",
        ),
        sse({"type": "ping"}, "ping"),
    ]
    for word in _words(reply):
        delta = {"type": "content_block_delta", "index": 0}
        delta["delta"] = {"type": "text_delta", "text": word}
        events.append(sse(delta, "content_block_delta"))
    end = {"stop_reason": reply.stop_reason, "stop_sequence": None}
    usage = {"output_tokens": reply.output_tokens}
    events += [
        sse({"type": "content_block_stop", "index": 0}, "content_block_stop"),
        sse({"type": "message_delta", "delta": end, "usage": usage}, "message_delta"),
        sse({"type": "message_stop"}, "message_stop"),
    ]
    return events


# -- errors ----------------------------------------------------------------------------------


def error_body(api: str, code: str, message: str) -> dict[str, Any]:
    """An HTTP error's body in the API's own shape (OpenAI ``error`` / Anthropic ``error``)."""
    if api == "Messages":
        return {"type": "error", "error": {"type": code, "message": message}}
    return {"error": {"message": message, "type": code, "code": code, "param": None}}


def stream_error_event(api: str, code: str) -> bytes:
    """An error sent inside a stream, as each API sends it."""
    message = "scripted stream error"
    if api == "Messages":
        return sse({"type": "error", "error": {"type": code, "message": message}}, "error")
    if api == "Responses":
        return sse({"type": "error", "code": code, "message": message, "param": None}, "error")
    return sse(error_body(api, code, message))
