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
JSON request body; ``response`` is the parsed JSON response body. A streamed request
(``"stream": true`` in the body) gets its server-sent events one by one in
``on_stream_event``, each as ``{"event": <name or None>, "data": <parsed JSON, or the raw
string such as "[DONE]">}``, then ``on_stream_end``: pushed by a transport that decodes the
bytes as the caller reads them (it calls no ``on_success`` for a stream), or pulled from an
iterable of such events a transport hands to ``on_success``, which returns it watched
(``call.watch``), as the Bedrock Runtime stream readers do.

The model is named as the request names it (``model``): ``openai.gpt-oss-120b-1:0`` on
bedrock-runtime, ``openai.gpt-oss-120b`` or ``anthropic.claude-opus-4-8`` on bedrock-mantle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..call import PendingCall, log_content_enabled
from ..reader import Reader

__all__ = [
    "CompatReader",
    "StreamNotes",
    "add_answer",
    "count",
    "event_data",
    "last_user_text",
    "mark_error",
    "member",
    "text_of_parts",
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


def text_of_parts(content: Any) -> str:
    """The text of a message's content: a string, or the ``text`` of each part of a list."""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    return "\n".join(
        part["text"]
        for part in content
        if isinstance(part, Mapping) and isinstance(part.get("text"), str)
    )


def last_user_text(messages: Any) -> str:
    """The text of the last ``user`` message of a list (the prompt logged with the line)."""
    if isinstance(messages, str):
        return messages
    if isinstance(messages, list):
        for message in reversed(messages):
            if isinstance(message, Mapping) and message.get("role") == "user":
                return text_of_parts(message.get("content"))
    return ""


def add_answer(call: PendingCall, text: Any) -> None:
    """Keep a part of the answer's text when content is logged (``call.answer`` is a list)."""
    if call.answer is not None and isinstance(text, str):
        call.answer.append(text)


def mark_error(call: PendingCall, error_type: Any) -> None:
    """Note an error the stream itself reported (the caller's SDK raises it, or shows it)."""
    call.facts["status"] = "error"
    call.put("error_type", error_type if isinstance(error_type, str) else "StreamError")


class CompatReader(Reader):
    """A shape whose request names its model in ``model`` and streams with ``"stream": true``.

    ``call.notes`` is the call's :class:`StreamNotes`. With ``GENAI_LOG_CONTENT`` on, the
    prompt is the last user message and readers add the answer's text with :func:`add_answer`.
    """

    prompt_key = "messages"
    """The request member whose last user message is the prompt (Responses: ``input``)."""

    def on_request(self, call: PendingCall, params: Any) -> None:
        params = params if isinstance(params, Mapping) else {}
        model = params.get("model")
        call.model = model if isinstance(model, str) and model else None
        call.notes = StreamNotes(params)
        if log_content_enabled():
            call.prompt = last_user_text(params.get(self.prompt_key))
            call.answer = []

    def on_success(self, call: PendingCall, response: Any) -> Any:
        notes = call.notes
        if isinstance(notes, StreamNotes) and notes.streamed and _is_events(response):
            return call.watch(response, self)
        if isinstance(response, Mapping):
            if call.model is None and isinstance(response.get("model"), str):
                call.model = response["model"]
            self.read_body(call, response)
        return response

    def read_body(self, call: PendingCall, body: Mapping[str, Any]) -> None:
        """Read the usage and facts of a whole (not streamed) response body."""


def _is_events(response: Any) -> bool:
    """True for an iterable of events (not a body, not text, not nothing)."""
    if response is None or isinstance(response, (Mapping, str, bytes, bytearray)):
        return False
    return hasattr(response, "__iter__")


class StreamNotes:
    """What a reader keeps between its hooks for one call.

    Attributes:
        streamed: The request asked for a stream (``"stream": true``).
        usage: The usage read so far from the stream's events (merged, latest wins).
    """

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.streamed = params.get("stream") is True
        self.usage: dict[str, Any] = {}
