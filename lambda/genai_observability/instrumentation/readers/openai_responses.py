"""OpenAI Responses on Amazon Bedrock: usage from the response, or from ``response.completed``.

A whole response (``POST /responses``) carries ``usage`` (``input_tokens``,
``output_tokens``, ``input_tokens_details``: the pinned openai SDK's ``ResponseUsage``); a
stream ends with ``response.completed`` (or ``response.incomplete`` / ``response.failed``)
whose ``response`` carries the same ``usage`` (openai SDK, ``ResponseCompletedEvent``). A
stream that ends without one (abandoned, cut) says ``usage_unknown``; so does a background
request (bedrock-mantle only) answered ``queued`` before any token was counted.

``input_tokens`` counts the cached tokens too; the line's ``input_tokens`` leave them out
(see :func:`.openai_chat.openai_usage`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..call import PendingCall
from .compat import CompatReader, add_answer, event_data, mark_error, member, text_of_parts
from .openai_chat import openai_usage

__all__ = ["READER", "ResponsesReader"]

_ENDS = ("response.completed", "response.incomplete", "response.failed")
_DELTAS = (
    "response.output_text.delta",
    "response.refusal.delta",
    "response.reasoning_text.delta",
    "response.function_call_arguments.delta",
)
"""Events that carry the answer (``ttft_ms`` is the time to the first of them)."""


class ResponsesReader(CompatReader):
    """``POST /responses``: the response's ``usage``, ``status`` and why it is incomplete."""

    operation = "responses"
    prompt_key = "input"

    def read_body(self, call: PendingCall, body: Mapping[str, Any]) -> None:
        if call.answer == [] and isinstance(body.get("output"), list):
            for item in body["output"]:
                if isinstance(item, Mapping) and item.get("type") == "message":
                    add_answer(call, text_of_parts(item.get("content")))
        call.put("stop_reason", member(body, "incomplete_details", "reason") or body.get("status"))
        call.put("service_tier", body.get("service_tier"))
        openai_usage(call, body.get("usage"), "input_tokens", "output_tokens", _DETAILS)
        if body.get("status") == "failed":
            mark_error(call, member(body, "error", "code"))

    def on_stream_event(self, call: PendingCall, event: Any) -> None:
        name, data = event_data(event)
        if not isinstance(data, Mapping):
            return
        kind = data.get("type") if isinstance(data.get("type"), str) else name
        if kind in _DELTAS:
            call.mark_first_token()
            if kind == "response.output_text.delta":
                add_answer(call, data.get("delta"))
        elif kind in _ENDS and isinstance(data.get("response"), Mapping):
            response = data["response"]
            if call.model is None and isinstance(response.get("model"), str):
                call.model = response["model"]
            self.read_body(call, response)
        elif kind == "error":
            mark_error(call, data.get("code") or member(data, "error", "code"))


_DETAILS = "input_tokens_details"

READER = ResponsesReader()
