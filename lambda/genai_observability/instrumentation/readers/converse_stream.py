"""ConverseStream: tokens from the ``metadata`` event, recorded at the stream's end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..call import PendingCall
from .bedrock import BedrockReader, converse_facts, converse_usage, watch_member

__all__ = ["READER", "ConverseStreamReader"]


class ConverseStreamReader(BedrockReader):
    """``ConverseStream``: the response's ``stream`` is watched; ``ttft_ms`` at the first delta."""

    operation = "converse_stream"
    logs_content = True

    def on_success(self, call: PendingCall, response: Any) -> Any:
        response = watch_member(call, self, response, "stream")
        if call.watched and call.prompt is not None:
            call.answer = []
        return response

    def on_stream_event(self, call: PendingCall, event: Any) -> None:
        if not isinstance(event, Mapping):
            return
        delta = event.get("contentBlockDelta")
        if delta is not None:
            call.mark_first_token()
            if call.answer is not None and isinstance(delta, Mapping):
                text = (delta.get("delta") or {}).get("text")
                if isinstance(text, str):
                    call.answer.append(text)
            return
        metadata = event.get("metadata")
        if isinstance(metadata, Mapping):
            if isinstance(metadata.get("usage"), Mapping):
                converse_usage(call, metadata["usage"])
            converse_facts(call, metadata)
            return
        stop = event.get("messageStop")
        if isinstance(stop, Mapping):
            call.put("stop_reason", stop.get("stopReason"))


READER = ConverseStreamReader()
