"""One Bedrock call over HTTP: from the request an HTTP transport sends to the body's end.

An HTTP transport (``transports/httpx.py``) knows its library; this module knows HTTP
framing and nothing of the API shapes. It hands the reader shape-level data:

* ``bedrock-runtime`` (the Anthropic SDK's ``AnthropicBedrock``, LiteLLM's bedrock routes):
  what botocore would give the same reader. Params: ``{"modelId": <from the path>, "body":
  <request bytes>}`` (Converse: the parsed JSON body and ``modelId``). Response: ``{"body":
  <file-like>, "contentType", "ResponseMetadata": {"HTTPHeaders", "HTTPStatusCode"}}``
  (Converse: the parsed JSON body and ``ResponseMetadata``). Stream events as botocore yields
  them: ``{"chunk": {"bytes": b"..."}}``, ``{"metadata": {...}}`` ...
* the OpenAI- and Anthropic-compatible APIs: params are the parsed JSON request body,
  the response its parsed JSON body, stream events one dict per server-sent event:
  ``{"event": <name or None>, "data": <parsed JSON, or the raw text such as "[DONE]">}``.

A streamed response (by its content type) is read as it arrives: for ``bedrock-runtime``
the reader's ``on_success`` first gets the response without its stream member (headers,
tier); for the JSON APIs ``on_success`` is not called. Then ``on_stream_event`` for each
event, and ``on_stream_end`` once: at the stream's end, close or garbage collection. An
error response (status >= 400) becomes an :class:`HttpError` whose code is the API's
(``x-amzn-ErrorType``, ``__type`` or ``error.type``), given to ``on_error`` and written
with the line.

One logical call: an SDK that retries inside its own request method (the Stainless SDKs,
openai and anthropic: ``_base_client.SyncAPIClient.request``, a loop of ``send`` calls)
opens a :class:`RetryScope` around it (``transports/stainless.py``). A failed attempt in a
scope is held, not written: a later attempt drops it (its time counts in the call's
latency); when the scope closes, a held attempt is written. Without a scope (LiteLLM, plain
httpx) each request is one line.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import io
import json
import time

from .call import PendingCall
from .framing import EVENTSTREAM, MAX_BODY, SSE, BodyDecoder, EventStreamDecoder, SseDecoder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from .endpoints import Route
    from .reader import Reader

__all__ = [
    "Exchange",
    "HttpError",
    "RetryScope",
    "close_scope",
    "in_bedrock_client",
    "open_scope",
]

_perf = time.perf_counter
_scope: contextvars.ContextVar[RetryScope | None] = contextvars.ContextVar(
    "genai_retry_scope", default=None
)


class HttpError(Exception):
    """An error response of a Bedrock API; ``response`` names its code as botocore's does."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(f"HTTP {status}: {code}")
        self.status = status
        self.response = {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}


class RetryScope:
    """The attempts of one SDK request: a failed one is held until the next or the end.

    ``bedrock`` is True when the SDK's client is a Bedrock client (``AnthropicBedrock``
    ...): its requests are Bedrock calls whatever host its base URL names.
    """

    def __init__(self, bedrock: bool = False) -> None:
        self.bedrock = bedrock
        self.held: PendingCall | None = None
        self.held_error: BaseException | None = None
        self.closed = False

    def hold(self, call: PendingCall, error: BaseException) -> None:
        """Keep a failed attempt's call; an earlier one held is dropped."""
        self.held, self.held_error = call, error

    def take(self) -> PendingCall | None:
        """Drop the held attempt (a retry follows: its line is never written); return it."""
        held = self.held
        if held is not None:
            held.done = True  # first: dropping the error below may collect the attempt
        self.held = self.held_error = None
        return held

    def flush(self) -> None:
        """The SDK request is over: write the attempt still held, if any."""
        self.closed = True
        held, error, self.held, self.held_error = self.held, self.held_error, None, None
        if held is not None:
            held.finish(error)


def open_scope(bedrock: bool = False) -> contextvars.Token[RetryScope | None] | None:
    """Start an SDK request's scope in this thread or task; give the token to close_scope.

    ``bedrock``: the request is made by a Bedrock client (see :func:`in_bedrock_client`).
    Inside another request's scope (LiteLLM's retries around the calls it makes) none is
    opened (None): the outer scope holds every attempt, so they stay one call.
    """
    if _scope.get() is not None:
        return None
    return _scope.set(RetryScope(bedrock))


def in_bedrock_client() -> bool:
    """True inside a request of an SDK client that only speaks to Bedrock."""
    scope = _scope.get()
    return scope is not None and scope.bedrock


def close_scope(token: contextvars.Token[RetryScope | None] | None) -> None:
    """End the scope ``open_scope`` opened (None: it opened none): a held attempt is written."""
    if token is None:
        return
    scope = _scope.get()
    _scope.reset(token)
    if scope is not None:
        scope.flush()


def _error_code(status: int, headers: Mapping[str, str], body: Any) -> str:
    code = headers.get("x-amzn-errortype")
    if code:
        return code.split(":", 1)[0]
    if isinstance(body, dict):
        if isinstance(body.get("__type"), str):
            return body["__type"].rsplit("#", 1)[-1]
        error = body.get("error")
        if isinstance(error, dict):
            for key in ("type", "code"):
                if isinstance(error.get(key), str) and error[key]:
                    return error[key]
    return f"HTTP{status}"


class Exchange:
    """One HTTP request to a Bedrock API and its response, read for ``reader``.

    The transport calls :meth:`failed` (send raised) or :meth:`responded` (headers), then
    :meth:`feed` with each chunk of the body the caller reads, and :meth:`end` at the body's
    end, its close or the response's collection; the call's line is written once.
    """

    def __init__(
        self,
        reader: Reader,
        route: Route,
        model: str | None,
        body: Any,
        attributes: dict[str, Any],
    ) -> None:
        self.reader = reader
        self.runtime = route.api == "bedrock-runtime"
        self.operation = route.operation
        self.call = PendingCall(reader.operation, attributes)
        self.status = 0
        self.headers: dict[str, str] = {}
        self.decoder: Any = None
        self.raw: BodyDecoder | None = None
        self.body = bytearray()
        self.stream_error: BaseException | None = None
        self.over = False  # failed() or end() ran: later ends (close, collection) are no-ops
        with contextlib.suppress(Exception):
            reader.on_request(self.call, self._params(route, model, body))
        self.scope = _scope.get()
        earlier = self.scope.take() if self.scope is not None else None
        self.call.start = earlier.start if earlier is not None else _perf()

    def _params(self, route: Route, model: str | None, body: Any) -> dict[str, Any]:
        if self.runtime and "Converse" not in self.operation:
            return {"modelId": model, "body": body}
        params = json.loads(body) if body else {}
        if not isinstance(params, dict):
            params = {}
        if self.runtime:
            params["modelId"] = model
        return params

    def failed(self, error: BaseException) -> None:
        """The request got no response (connection error, timeout): record ``error``."""
        if self.over:
            return
        self.over = True
        self.call.latency_ms = (_perf() - self.call.start) * 1000.0
        with contextlib.suppress(Exception):
            self.reader.on_error(self.call, error)
        self._close_call(error)

    def responded(self, status: int, headers: Mapping[str, str]) -> None:
        """The response's status and headers (names lower case) arrived."""
        self.status, self.headers = status, dict(headers)
        self.raw = BodyDecoder(self.headers.get("content-encoding", ""))
        content_type = self.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if status >= 400 or content_type not in (EVENTSTREAM, SSE):
            return
        self.decoder = EventStreamDecoder() if content_type == EVENTSTREAM else SseDecoder()
        self.call.watched = True
        if self.runtime:
            with contextlib.suppress(Exception):
                self.reader.on_success(self.call, self._metadata())

    def _metadata(self) -> dict[str, Any]:
        return {
            "contentType": self.headers.get("content-type"),
            "ResponseMetadata": {"HTTPHeaders": self.headers, "HTTPStatusCode": self.status},
        }

    def feed(self, chunk: bytes) -> None:
        """A chunk of the body as the caller reads it (a copy is decoded; never raises)."""
        if self.call.done or self.raw is None:
            return
        try:
            data = self.raw.decode(chunk)
            if self.decoder is None:
                if len(self.body) + len(data) <= MAX_BODY:
                    self.body += data
                return
            for event in self.decoder.feed(data):
                self._event(event)
        except Exception:
            self.raw = None  # an undecodable body: its facts stay unknown

    def _event(self, event: Any) -> None:
        if self.runtime:
            headers, payload = event
            if headers.get(":message-type") != "event":
                code = headers.get(":exception-type") or headers.get(":error-code") or "error"
                self.stream_error = HttpError(self.status, str(code))
                return
            kind = headers.get(":event-type", "")
            body = json.loads(payload) if payload else {}
            if kind == "chunk" and isinstance(body.get("bytes"), str):
                body = {"bytes": base64.b64decode(body["bytes"])}
            event = {kind: body}
        with contextlib.suppress(Exception):
            self.reader.on_stream_event(self.call, event)

    def end(self, error: BaseException | None = None) -> None:
        """The body ended, was closed, dropped or broke off with ``error``: write the line once."""
        call = self.call
        if self.over or call.done:
            return
        self.over = True
        call.latency_ms = (_perf() - call.start) * 1000.0
        if error is not None and self.decoder is None and self.status < 400:
            with contextlib.suppress(Exception):
                self.reader.on_error(call, error)
            self._close_call(error)
        elif self.status >= 400:
            error = HttpError(self.status, _error_code(self.status, self.headers, self._json()))
            with contextlib.suppress(Exception):
                self.reader.on_error(call, error)
            self._close_call(error)
        elif self.decoder is not None:
            error = self.stream_error or error
            with contextlib.suppress(Exception):
                self.reader.on_stream_end(call, error)
            call.finish(error)
        else:
            with contextlib.suppress(Exception):
                self.reader.on_success(call, self._response())
            call.finish()

    def _json(self) -> Any:
        try:
            return json.loads(bytes(self.body)) if self.body else None
        except ValueError:
            return None

    def _response(self) -> Any:
        if not self.runtime:
            return self._json()
        metadata = self._metadata()
        if self.operation == "Converse":
            body = self._json()
            return {**(body if isinstance(body, dict) else {}), **metadata}
        return {"body": io.BytesIO(bytes(self.body)), **metadata}

    def _close_call(self, error: BaseException) -> None:
        if self.scope is not None and not self.scope.closed:
            self.scope.hold(self.call, error)  # the SDK may retry: written at the scope's end
        else:
            self.call.finish(error)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.end()
