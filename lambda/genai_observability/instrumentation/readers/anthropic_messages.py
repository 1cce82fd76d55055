"""Anthropic Messages on bedrock-mantle: usage from the body, or message_start + message_delta.

A whole message (``POST /anthropic/v1/messages``) carries ``usage`` (``input_tokens``,
``output_tokens``, ``cache_read_input_tokens``, ``cache_creation_input_tokens`` and its
``cache_creation`` split by TTL: the pinned anthropic SDK's ``Usage``). A stream states usage
twice: ``message_start``'s ``message.usage`` (the input and cache counts) and
``message_delta``'s ``usage`` (cumulative counts, ``output_tokens`` at least:
``MessageDeltaUsage``); the later count wins. A stream cut before ``message_delta`` keeps
what ``message_start`` said, its output count then the few tokens counted so far.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..call import PendingCall
from .compat import (
    CompatReader,
    StreamNotes,
    add_answer,
    count,
    event_data,
    mark_error,
    member,
    text_of_parts,
)

__all__ = ["READER", "MessagesReader"]

_KEYS = (
    "input_tokens",
    "output_tokens",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
)


def messages_usage(call: PendingCall, notes: StreamNotes | None, usage: Any) -> None:
    """Merge an Anthropic ``usage`` object into the call (counts it does not state are kept)."""
    if not isinstance(usage, Mapping):
        return
    merged = notes.usage if notes is not None else {}
    for key in _KEYS:
        value = count(usage.get(key))
        if value is not None:
            merged[key] = value
    one_hour = count(member(usage, "cache_creation", "ephemeral_1h_input_tokens"))
    if one_hour is not None:
        call.facts["cache_write_1h_tokens"] = one_hour
    call.put("service_tier", usage.get("service_tier"))
    if "input_tokens" in merged and "output_tokens" in merged:
        call.set_usage(*(merged.get(key) for key in _KEYS))


class MessagesReader(CompatReader):
    """``POST /v1/messages``: ``usage`` (cache tokens by TTL), ``stop_reason``, the first delta."""

    operation = "messages"

    def read_body(self, call: PendingCall, body: Mapping[str, Any]) -> None:
        call.put("stop_reason", body.get("stop_reason"))
        add_answer(call, text_of_parts(body.get("content")))
        messages_usage(call, None, body.get("usage"))

    def on_stream_event(self, call: PendingCall, event: Any) -> None:
        name, data = event_data(event)
        if not isinstance(data, Mapping):
            return
        kind = data.get("type") if isinstance(data.get("type"), str) else name
        notes = call.notes if isinstance(call.notes, StreamNotes) else None
        if kind == "content_block_delta":
            call.mark_first_token()
            add_answer(call, member(data, "delta", "text"))
        elif kind == "message_start":
            message = data.get("message")
            if call.model is None and isinstance(member(message, "model"), str):
                call.model = message["model"]
            messages_usage(call, notes, member(message, "usage"))
        elif kind == "message_delta":
            call.put("stop_reason", member(data, "delta", "stop_reason"))
            messages_usage(call, notes, data.get("usage"))
        elif kind == "error":
            mark_error(call, member(data, "error", "type"))


READER = MessagesReader()
