"""A small fake Amazon Bedrock Runtime endpoint: real HTTP on 127.0.0.1, real event streams.

Clients reach it through ``AWS_ENDPOINT_URL_BEDROCK_RUNTIME`` (or ``endpoint_url=``), so a
call goes through botocore's whole stack: serialization, signing, HTTP, retries, response
parsing and the ``application/vnd.amazon.eventstream`` decoder. It answers the four
operations the payload records:

* ``POST /model/{modelId}/converse`` (JSON, ``usage`` with cache counts and
  ``cacheDetails``, ``stopReason``, ``serviceTier``, ``performanceConfig``);
* ``POST /model/{modelId}/converse-stream`` (messageStart, contentBlockDelta...,
  contentBlockStop, messageStop, metadata);
* ``POST /model/{modelId}/invoke`` (the model's JSON body; token counts in the
  ``X-Amzn-Bedrock-*-Token-Count`` headers, tier in ``X-Amzn-Bedrock-Service-Tier``);
* ``POST /model/{modelId}/invoke-with-response-stream`` (``chunk`` events whose base64
  ``bytes`` hold the model's JSON; the last one carries ``amazon-bedrock-invocationMetrics``).

On the same server, the OpenAI- and Anthropic-compatible APIs of bedrock-runtime and
bedrock-mantle (:mod:`support.fake_compat`): ``/openai/v1/chat/completions``,
``/v1/chat/completions``, ``/openai/v1/responses``, ``/v1/responses`` and
``/anthropic/v1/messages``, as JSON or, when the request says ``"stream": true``, as
server-sent events; errors in each API's own shape. Point an SDK at them with
``base_url=fake.url + "/openai/v1"`` (or ``"/v1"``; Anthropic: ``fake.url + "/anthropic"``).

Each response is scripted by a :class:`Reply` queued with :meth:`FakeBedrock.push` (else
the server's default reply): usage, text, stop reason, tier, delays before the response or
the first delta, an HTTP error (e.g. throttling), an exception event in the middle of a
stream, or a stream that stalls.

Event stream framing (as botocore/eventstream.py decodes it): a 12-byte prelude (total
length, headers length, both big-endian uint32, then the CRC32 of those 8 bytes), the
headers (name length uint8, name, value type uint8 = 7 for string, value length uint16,
value), the payload, then the CRC32 of everything before it.
"""

from __future__ import annotations

import base64
import binascii
import json
import socket
import struct
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from support import fake_compat

__all__ = [
    "FakeBedrock",
    "FakeEventStream",
    "FakeRuntime",
    "Reply",
    "chunk",
    "converse_stream_events",
    "encode_event",
    "encode_message",
]

EVENTSTREAM = "application/vnd.amazon.eventstream"


def _header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    return (
        struct.pack(">B", len(raw_name))
        + raw_name
        + struct.pack(">BH", 7, len(raw_value))
        + raw_value
    )


def encode_message(headers: dict[str, str], payload: bytes) -> bytes:
    """Frame one event stream message (prelude, headers, payload, CRC32s)."""
    head = b"".join(_header(k, v) for k, v in headers.items())
    total = 12 + len(head) + len(payload) + 4
    prelude = struct.pack(">II", total, len(head))
    prelude += struct.pack(">I", binascii.crc32(prelude) & 0xFFFFFFFF)
    body = prelude + head + payload
    return body + struct.pack(">I", binascii.crc32(body) & 0xFFFFFFFF)


def encode_event(event_type: str, payload: dict[str, Any]) -> bytes:
    """Frame one ``event`` message of type ``event_type`` with a JSON payload."""
    return encode_message(
        {
            ":event-type": event_type,
            ":content-type": "application/json",
            ":message-type": "event",
        },
        json.dumps(payload).encode(),
    )


def encode_exception(exception_type: str, message: str) -> bytes:
    """Frame one ``exception`` message (e.g. ``throttlingException``)."""
    return encode_message(
        {
            ":exception-type": exception_type,
            ":content-type": "application/json",
            ":message-type": "exception",
        },
        json.dumps({"message": message}).encode(),
    )


@dataclass
class Reply:
    """One scripted response.

    Attributes:
        input_tokens, output_tokens: Usage reported by the response.
        cache_read_tokens, cache_write_tokens: Prompt-cache usage (None: not reported).
        cache_details: Converse ``usage.cacheDetails`` (e.g. ``[{"ttl": "1h", ...}]``).
        text: The answer, sent as one delta per word in streams.
        stop_reason: ``stopReason`` (Converse) / ``stop_reason`` (InvokeModel bodies).
        service_tier: The tier the response says served the call (None: not said).
        latency_mode: ``performanceConfig.latency`` / the latency header (None: not said).
        delay_s: Seconds before the response starts (headers included).
        first_token_delay_s: Streams: seconds between the first event and the first delta.
        error: An HTTP error code such as ``ThrottlingException`` (with ``status``).
        status: HTTP status of ``error``.
        stream_error: Streams: an exception event type sent after the first delta.
        stall_s: Streams: seconds to stall after the first delta (the client times out).
        invoke_body: InvokeModel: the model's JSON body (default: an Anthropic-style body).
        omit_usage_headers: InvokeModel: send no token-count headers.
        omit_usage: The compatible APIs: send no ``usage`` (``null`` in Chat Completions).
    """

    input_tokens: int = 12
    output_tokens: int = 3
    cache_read_tokens: int | None = None
    cache_write_tokens: int | None = None
    cache_details: list[dict[str, Any]] | None = None
    text: str = "2 plus 2 is 4"
    stop_reason: str = "end_turn"
    service_tier: str | None = None
    latency_mode: str | None = None
    delay_s: float = 0.0
    first_token_delay_s: float = 0.0
    error: str | None = None
    status: int = 400
    stream_error: str | None = None
    stall_s: float = 0.0
    invoke_body: dict[str, Any] | None = None
    omit_usage_headers: bool = False
    omit_usage: bool = False

    def usage(self) -> dict[str, Any]:
        usage: dict[str, Any] = {
            "inputTokens": self.input_tokens,
            "outputTokens": self.output_tokens,
            "totalTokens": self.input_tokens + self.output_tokens,
        }
        if self.cache_read_tokens is not None:
            usage["cacheReadInputTokens"] = self.cache_read_tokens
        if self.cache_write_tokens is not None:
            usage["cacheWriteInputTokens"] = self.cache_write_tokens
        if self.cache_details is not None:
            usage["cacheDetails"] = self.cache_details
        return usage


@dataclass
class Request:
    """One request the server received."""

    operation: str
    model: str
    headers: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)


_OPERATIONS = {
    "converse": "Converse",
    "converse-stream": "ConverseStream",
    "invoke": "InvokeModel",
    "invoke-with-response-stream": "InvokeModelWithResponseStream",
}


class FakeBedrock:
    """The fake endpoint; use as a context manager or call :meth:`start`/:meth:`stop`."""

    def __init__(self, default: Reply | None = None) -> None:
        self.default = default or Reply()
        self.requests: list[Request] = []
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._release = threading.Event()
        self._hang_ups = 0

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeBedrock is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeBedrock:
        fake = self

        class Handler(_Handler):
            owner = fake

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # let stalled streams finish
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeBedrock:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting -------------------------------------------------------------------------
    def push(self, *replies: Reply) -> None:
        """Queue replies, answered in order; the default answers when the queue is empty."""
        with self._lock:
            self._queue.extend(replies)

    def hang_up(self, count: int = 1) -> None:
        """Close the connection on the next ``count`` requests without a response.

        What a server does to an idle keep-alive connection the client is about to reuse: the
        client sees ``RemoteProtocolError`` ("Server disconnected") and an SDK retries.
        """
        with self._lock:
            self._hang_ups += count

    def _take_hang_up(self) -> bool:
        with self._lock:
            if self._hang_ups <= 0:
                return False
            self._hang_ups -= 1
            return True

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self._hang_ups = 0

    def _next(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            return self._queue.popleft() if self._queue else self.default

    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``, cut short when the server stops."""
        self._release.wait(seconds)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is part of the script


class _Handler(BaseHTTPRequestHandler):
    owner: FakeBedrock
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm
        # and the client's delayed ACK add ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.owner._take_hang_up():
            self.close_connection = True
            return
        # absolute-form targets too (aiobotocore's httpx session sends the whole URL)
        path = urllib.parse.urlsplit(self.path).path
        api = fake_compat.ROUTES.get(path.rstrip("/"))
        if api is not None:
            self._compat(api, raw)
            return
        parts = path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "model" or parts[2] not in _OPERATIONS:
            self._error(404, "UnknownOperationException", f"no route for {self.path}")
            return
        model = urllib.parse.unquote(parts[1])
        operation = _OPERATIONS[parts[2]]
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        reply = self.owner._next(
            Request(operation, model, {k.lower(): v for k, v in self.headers.items()}, body)
        )
        if reply.delay_s:
            self.owner.wait(reply.delay_s)
        if reply.error:
            self._error(reply.status, reply.error, f"scripted {reply.error}")
            return
        if operation == "Converse":
            self._converse(reply)
        elif operation == "InvokeModel":
            self._invoke(reply)
        elif operation == "ConverseStream":
            self._stream(reply, _converse_events(reply), {})
        else:
            self._stream(reply, _invoke_events(reply), _tier_headers(reply))

    # -- responses -------------------------------------------------------------------------
    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        headers = {"x-amzn-RequestId": "fake-0000", **headers}
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: str, message: str) -> None:
        body = json.dumps({"message": message}).encode()
        self._send(status, {"Content-Type": "application/json", "x-amzn-ErrorType": code}, body)

    def _converse(self, reply: Reply) -> None:
        answer: dict[str, Any] = {
            "output": {"message": {"role": "assistant", "content": [{"text": reply.text}]}},
            "stopReason": reply.stop_reason,
            "usage": reply.usage(),
            "metrics": {"latencyMs": 5},
        }
        if reply.service_tier:
            answer["serviceTier"] = {"type": reply.service_tier}
        if reply.latency_mode:
            answer["performanceConfig"] = {"latency": reply.latency_mode}
        self._send(200, {"Content-Type": "application/json"}, json.dumps(answer).encode())

    def _invoke(self, reply: Reply) -> None:
        body = reply.invoke_body or {
            "type": "message",
            "role": "assistant",
            "content": [{"type": "text", "text": reply.text}],
            "stop_reason": reply.stop_reason,
            "usage": {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens},
        }
        headers = {"Content-Type": "application/json", **_tier_headers(reply)}
        if not reply.omit_usage_headers:
            headers["X-Amzn-Bedrock-Input-Token-Count"] = str(reply.input_tokens)
            headers["X-Amzn-Bedrock-Output-Token-Count"] = str(reply.output_tokens)
            if reply.cache_read_tokens is not None:
                headers["X-Amzn-Bedrock-Cache-Read-Input-Token-Count"] = str(
                    reply.cache_read_tokens
                )
            if reply.cache_write_tokens is not None:
                headers["X-Amzn-Bedrock-Cache-Write-Input-Token-Count"] = str(
                    reply.cache_write_tokens
                )
        headers["X-Amzn-Bedrock-Invocation-Latency"] = "5"
        self._send(200, headers, json.dumps(body).encode())

    def _stream(
        self,
        reply: Reply,
        events: list[bytes],
        headers: dict[str, str],
        content_type: str = EVENTSTREAM,
        error_frame: bytes | None = None,
    ) -> None:
        self.send_response(200)
        self.send_header("x-amzn-RequestId", "fake-0000")
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        try:
            for index, frame in enumerate(events):
                if index == 1 and reply.first_token_delay_s:
                    self.owner.wait(reply.first_token_delay_s)
                self._chunk(frame)
                if index == 1 and reply.stall_s:
                    self.owner.wait(reply.stall_s)
                    return  # the client gave up; close without the terminating chunk
                if index == 1 and reply.stream_error:
                    if error_frame is None:
                        error_frame = encode_exception(reply.stream_error, "scripted stream error")
                    self._chunk(error_frame)
                    break
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.close_connection = True

    def _compat(self, api: str, raw: bytes) -> None:
        """Answer a compatible API (Chat Completions, Responses, Messages): JSON or SSE."""
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        model = str(body.get("model") or "")
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.owner._next(Request(api, model, headers, body))
        if reply.delay_s:
            self.owner.wait(reply.delay_s)
        if reply.error:
            error = fake_compat.error_body(api, reply.error, f"scripted {reply.error}")
            retry = {"retry-after-ms": "10"} if reply.status == 429 else {}
            self._send(
                reply.status,
                {"Content-Type": "application/json", **retry},
                json.dumps(error).encode(),
            )
            return
        if body.get("stream") is not True:
            answer = _COMPAT_BODIES[api](reply, model)
            self._send(200, {"Content-Type": "application/json"}, json.dumps(answer).encode())
            return
        if api == "ChatCompletions":
            events = fake_compat.chat_events(reply, model, body)
        elif api == "Responses":
            events = fake_compat.responses_events(reply, model)
        else:
            events = fake_compat.messages_events(reply, model)
        frame = fake_compat.stream_error_event(api, reply.stream_error or "")
        self._stream(reply, events, {}, fake_compat.SSE, frame)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


_COMPAT_BODIES = {
    "ChatCompletions": fake_compat.chat_body,
    "Responses": fake_compat.responses_body,
    "Messages": fake_compat.messages_body,
}


def _tier_headers(reply: Reply) -> dict[str, str]:
    headers = {}
    if reply.service_tier:
        headers["X-Amzn-Bedrock-Service-Tier"] = reply.service_tier
    if reply.latency_mode:
        headers["X-Amzn-Bedrock-PerformanceConfig-Latency"] = reply.latency_mode
    return headers


def _converse_events(reply: Reply) -> list[bytes]:
    """messageStart, one delta per word, contentBlockStop, messageStop, metadata."""
    words = reply.text.split(" ")
    events = [encode_event("messageStart", {"role": "assistant"})]
    for index, word in enumerate(words):
        text = word if index == len(words) - 1 else word + " "
        events.append(
            encode_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": text}})
        )
    events.append(encode_event("contentBlockStop", {"contentBlockIndex": 0}))
    events.append(encode_event("messageStop", {"stopReason": reply.stop_reason}))
    metadata: dict[str, Any] = {"usage": reply.usage(), "metrics": {"latencyMs": 5}}
    if reply.service_tier:
        metadata["serviceTier"] = {"type": reply.service_tier}
    if reply.latency_mode:
        metadata["performanceConfig"] = {"latency": reply.latency_mode}
    events.append(encode_event("metadata", metadata))
    return events


def _chunk_event(payload: dict[str, Any]) -> bytes:
    data = base64.b64encode(json.dumps(payload).encode()).decode()
    return encode_event("chunk", {"bytes": data})


def _invoke_events(reply: Reply) -> list[bytes]:
    """An Anthropic Messages stream as Bedrock frames it, the metrics on message_stop.

    message_start, content_block_start, one delta per word, content_block_stop,
    message_delta, message_stop: the events the Anthropic SDK's stream accumulator needs.
    """
    message = {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": "claude",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": reply.input_tokens, "output_tokens": 1},
    }
    events = [
        _chunk_event({"type": "message_start", "message": message}),
        _chunk_event(
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            }
        ),
    ]
    words = reply.text.split(" ")
    for index, word in enumerate(words):
        text = word if index == len(words) - 1 else word + " "
        events.append(
            _chunk_event(
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": text},
                }
            )
        )
    events.append(_chunk_event({"type": "content_block_stop", "index": 0}))
    events.append(
        _chunk_event(
            {
                "type": "message_delta",
                "delta": {"stop_reason": reply.stop_reason, "stop_sequence": None},
                "usage": {"output_tokens": reply.output_tokens},
            }
        )
    )
    metrics: dict[str, Any] = {
        "inputTokenCount": reply.input_tokens,
        "outputTokenCount": reply.output_tokens,
        "invocationLatency": 5,
        "firstByteLatency": 2,
    }
    if reply.cache_read_tokens is not None:
        metrics["cacheReadInputTokenCount"] = reply.cache_read_tokens
    if reply.cache_write_tokens is not None:
        metrics["cacheWriteInputTokenCount"] = reply.cache_write_tokens
    events.append(
        _chunk_event({"type": "message_stop", "amazon-bedrock-invocationMetrics": metrics})
    )
    return events


def wait_until(predicate: Any, timeout_s: float = 5.0) -> bool:
    """Poll ``predicate`` until true or ``timeout_s`` passes (for background effects)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return bool(predicate())


def bedrock_env(monkeypatch: Any, url: str, region: str = "us-east-1") -> None:
    """Point every new bedrock-runtime client at ``url`` with fake credentials."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    monkeypatch.setenv("AWS_REGION", region)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


# -- in-process stand-ins: botocore's EventStream and a runtime client that returns one -----


class FakeEventStream:
    """Stands in for botocore.eventstream.EventStream: iterable events, ``close()``."""

    def __init__(self, events: list[Any], fail_at: int | None = None) -> None:
        self.events = events
        self.fail_at = fail_at
        self.closed = False

    def __iter__(self) -> Any:
        from botocore.exceptions import ClientError

        for i, event in enumerate(self.events):
            if i == self.fail_at:
                raise ClientError(
                    {"Error": {"Code": "ModelStreamErrorException", "Message": "boom"}},
                    "ConverseStream",
                )
            yield event

    def close(self) -> None:
        self.closed = True

    def get_initial_response(self) -> dict[str, Any]:
        return {"initial": True}


class FakeRuntime:
    """A bedrock-runtime stand-in whose stream methods return fake event streams."""

    def __init__(self, stream: FakeEventStream) -> None:
        self.stream = stream

    def converse_stream(self, **kwargs: Any) -> dict[str, Any]:
        return {"stream": self.stream, "ResponseMetadata": {}}

    def invoke_model_with_response_stream(self, **kwargs: Any) -> dict[str, Any]:
        return {"body": self.stream, "contentType": "application/json"}


def converse_stream_events(usage: dict[str, int]) -> list[dict[str, Any]]:
    """The events of a ConverseStream answer "The answer is 4." with ``usage``."""
    return [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockDelta": {"delta": {"text": "The answer"}, "contentBlockIndex": 0}},
        {"contentBlockDelta": {"delta": {"text": " is 4."}, "contentBlockIndex": 0}},
        {"contentBlockStop": {"contentBlockIndex": 0}},
        {"messageStop": {"stopReason": "end_turn"}},
        {"metadata": {"usage": usage, "metrics": {"latencyMs": 300}}},
    ]


def chunk(obj: dict[str, Any]) -> dict[str, Any]:
    """One InvokeModelWithResponseStream event holding the model's JSON ``obj``."""
    return {"chunk": {"bytes": json.dumps(obj).encode()}}
