"""What the OpenAI- and Anthropic-compatible shapes share: the request, its stream, SSE events.

These APIs are served by Amazon Bedrock over plain HTTP (the OpenAI and Anthropic SDKs, or
any HTTP client), not by botocore:

* OpenAI Chat Completions and Responses on bedrock-runtime
  (``https://bedrock-runtime.{region}.amazonaws.com/openai/v1``) and on bedrock-mantle
  (``https://bedrock-mantle.{region}.api.aws/v1``; some models under ``/openai/v1``): Amazon
  Bedrock User Guide, "Responses API" (inference-responses-api) and "Inference using Chat
  Completions API" (inference-chat-completions-mantle);
* Anthropic Messages on bedrock-mantle
  (``https://bedrock-mantle.{region}.api.aws/anthropic/v1/messages``): Amazon Bedrock User
  Guide, "Inference using Anthropic Messages API" (inference-messages-api).

What a transport hands these readers (the interface of issue 17): ``params`` is the parsed
JSON request body; ``response`` is the parsed JSON response body; a streamed request
(``"stream": true`` in the body) is watched (``on_success`` returns ``call.watch(response)``)
and each server-sent event reaches ``on_stream_event`` as ``{"event": <name or None>,
"data": <parsed JSON, or the raw string such as "[DONE]">}``.

The model is named as the request names it (``model``): ``openai.gpt-oss-120b-1:0`` on
bedrock-runtime, ``openai.gpt-oss-120b`` or ``anthropic.claude-opus-4-8`` on bedrock-mantle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..call import PendingCall
from ..reader import Reader

__all__ = [
    "CompatReader",
    "StreamNotes",
    "count",
    "event_data",
    "mark_error",
    "member",
]


def count(value: Any) -> int | None:
    """A token count as an int, or None when absent or not a count (bools are not counts)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def member(obj: Any, *path: str) -> Any:
    """``obj[path[0]][path[1]]...``, or None when a step is missing or not a mapping."""
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def event_data(event: Any) -> tuple[str | None, Any]:
    """The name and parsed data of one server-sent event as a transport hands it over."""
    if not isinstance(event, Mapping):
        return (None, None)
    name = event.get("event")
    return (name if isinstance(name, str) else None, event.get("data"))


def mark_error(call: PendingCall, error_type: Any) -> None:
    """Note an error the stream itself reported (the caller's SDK raises it, or shows it)."""
    call.facts["status"] = "error"
    call.put("error_type", error_type if isinstance(error_type, str) else "StreamError")


class CompatReader(Reader):
    """A shape whose request names its model in ``model`` and streams with ``"stream": true``.

    ``call.notes`` holds the subclass's notes (:meth:`notes_for`); ``streamed`` says whether
    the request asked for a stream.
    """

    def on_request(self, call: PendingCall, params: Any) -> None:
        params = params if isinstance(params, Mapping) else {}
        model = params.get("model")
        call.model = model if isinstance(model, str) and model else None
        call.notes = self.notes_for(params)

    def notes_for(self, params: Mapping[str, Any]) -> Any:
        """The reader's notes for this request (``streamed`` at least)."""
        return StreamNotes(params)

    def on_success(self, call: PendingCall, response: Any) -> Any:
        notes = call.notes
        if isinstance(notes, StreamNotes) and notes.streamed and not isinstance(response, Mapping):
            return call.watch(response, self)
        if isinstance(response, Mapping):
            if call.model is None and isinstance(response.get("model"), str):
                call.model = response["model"]
            self.read_body(call, response)
        return response

    def read_body(self, call: PendingCall, body: Mapping[str, Any]) -> None:
        """Read the usage and facts of a whole (not streamed) response body."""


class StreamNotes:
    """What a reader keeps between its hooks for one call.

    Attributes:
        streamed: The request asked for a stream (``"stream": true``).
        usage: The usage read so far from the stream's events (merged, latest wins).
    """

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.streamed = params.get("stream") is True
        self.usage: dict[str, Any] = {}
