"""ConverseStream: tokens from the ``metadata`` event, recorded at the stream's end."""

from __future__ import annotations

from collections.abc import Mapping

from ..call import WatchedStream
from .bedrock import BedrockReader, converse_facts, converse_usage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..call import PendingCall

__all__ = ["READER", "ConverseStreamReader"]


class ConverseStreamReader(BedrockReader):
    """``ConverseStream``: the response's ``stream`` is watched; ``ttft_ms`` at the first delta."""

    operation = "converse_stream"
    logs_content = True

    def on_success(self, call: PendingCall, response: Any) -> Any:
        inner = response.get("stream") if isinstance(response, dict) else None
        if inner is not None and not isinstance(inner, WatchedStream):
            if call.prompt is not None:
                call.answer = []
            response["stream"] = call.watch(inner, self)
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
