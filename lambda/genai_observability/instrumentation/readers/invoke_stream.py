"""InvokeModelWithResponseStream: each chunk's body is the model family's own JSON.

Tokens come from the ``amazon-bedrock-invocationMetrics`` object Bedrock adds to the last
chunk, whatever the family; where content starts and why the model stopped are read by the
family's :class:`StreamBody` (:data:`BODIES`), chosen by the model id; a model id that names
no family (an application inference profile's ARN) is read by :data:`ANY_FAMILY`, which
knows every family's keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..call import PendingCall
from .bedrock import BedrockReader, header_facts, watch_member

__all__ = ["ANY_FAMILY", "BODIES", "READER", "InvokeStreamReader", "StreamBody", "body_of"]

_METRICS = "amazon-bedrock-invocationMetrics"
_METRICS_KEY = _METRICS.encode()


class StreamBody:
    """How one model family's chunks say where content starts and why the model stopped.

    Attributes:
        preamble: Byte markers of chunks that carry no content yet (``message_start`` ...).
        stop_keys: Keys of the stop reason, looked up in the chunk, its ``delta``, its
            ``messageStop`` and its first ``outputs`` / ``choices`` entry.
    """

    def __init__(self, preamble: tuple[bytes, ...], stop_keys: tuple[str, ...]) -> None:
        self.preamble = preamble
        self.stop_keys = stop_keys
        self.stop_markers = tuple(key.encode() for key in stop_keys)

    def starts_content(self, data: bytes) -> bool:
        """True when the chunk ``data`` carries content (not a preamble chunk)."""
        return not any(marker in data for marker in self.preamble)

    def may_stop(self, data: bytes) -> bool:
        """True when the chunk ``data`` may hold a stop reason (worth parsing)."""
        return any(marker in data for marker in self.stop_markers)

    def stop_reason(self, body: Any) -> Any:
        """The stop reason in a parsed chunk, or None."""
        if not isinstance(body, Mapping):
            return None
        for source in (body, body.get("delta"), body.get("messageStop")):
            if isinstance(source, Mapping):
                for key in self.stop_keys:
                    if isinstance(source.get(key), str):
                        return source[key]
        outputs = body.get("outputs") or body.get("choices")
        if isinstance(outputs, list) and outputs and isinstance(outputs[0], Mapping):
            for key in self.stop_keys:
                if isinstance(outputs[0].get(key), str):
                    return outputs[0][key]
        return None


ANY_FAMILY = StreamBody(
    (b'"message_start"', b'"content_block_start"', b'"messageStart"'),
    ("stop_reason", "stopReason", "completionReason", "finish_reason"),
)
"""Every family's markers and keys, for a model id that names no family."""

BODIES: dict[str, StreamBody] = {
    # model id part (after any Region or global prefix): the family's chunk body
    "anthropic.": StreamBody((b'"message_start"', b'"content_block_start"'), ("stop_reason",)),
    "amazon.nova": StreamBody((b'"messageStart"',), ("stopReason",)),
    "amazon.titan": StreamBody((), ("completionReason",)),
    "meta.": StreamBody((), ("stop_reason",)),
    "mistral.": StreamBody((), ("stop_reason", "finish_reason")),
}
"""The families whose chunk bodies are known, by the start of their model ids."""


def body_of(model: Any) -> StreamBody:
    """The :class:`StreamBody` of ``model``'s family, else :data:`ANY_FAMILY`."""
    if isinstance(model, str):
        for family, body in BODIES.items():
            if model.startswith(family) or f".{family}" in model or f"/{family}" in model:
                return body
    return ANY_FAMILY


class InvokeStreamReader(BedrockReader):
    """``InvokeModelWithResponseStream``: the response's ``body`` stream is watched."""

    operation = "invoke_model_with_response_stream"

    def on_success(self, call: PendingCall, response: Any) -> Any:
        if isinstance(response, Mapping):
            header_facts(call, response)
        call.notes = body_of(call.model)
        return watch_member(call, self, response, "body")

    def on_stream_event(self, call: PendingCall, event: Any) -> None:
        if not isinstance(event, Mapping):
            return
        chunk = event.get("chunk")
        data = chunk.get("bytes") if isinstance(chunk, Mapping) else None
        if not isinstance(data, (bytes, bytearray)):
            return
        family = call.notes if isinstance(call.notes, StreamBody) else ANY_FAMILY
        if "ttft_ms" not in call.facts and family.starts_content(data):
            call.mark_first_token()
        has_metrics = _METRICS_KEY in data
        if not has_metrics and not family.may_stop(data):
            return
        import json

        body = json.loads(data)
        call.put("stop_reason", family.stop_reason(body))
        metrics = body.get(_METRICS) if has_metrics else None
        if isinstance(metrics, Mapping):
            call.set_usage(
                metrics.get("inputTokenCount"),
                metrics.get("outputTokenCount"),
                metrics.get("cacheReadInputTokenCount"),
                metrics.get("cacheWriteInputTokenCount"),
            )


READER = InvokeStreamReader()
