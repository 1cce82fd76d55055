"""Converse: tokens and facts from the response body (``usage``, ``stopReason`` ...)."""

from __future__ import annotations

from typing import Any

from ..call import PendingCall
from .bedrock import BedrockReader, converse_facts, converse_usage, text_of

__all__ = ["READER", "ConverseReader"]


class ConverseReader(BedrockReader):
    """``Converse``: ``usage`` (with ``cacheDetails``), ``stopReason``, tier, latency mode."""

    operation = "converse"
    logs_content = True

    def on_success(self, call: PendingCall, response: Any) -> Any:
        converse_facts(call, response)
        if call.prompt is not None:
            output = response.get("output") or {}
            call.answer = [text_of((output.get("message") or {}).get("content"))]
        converse_usage(call, response.get("usage"))
        return response


READER = ConverseReader()
