"""The HTTP transport itself: which requests it records, the bytes it never touches, the
framings it decodes, and what it hands the readers of the OpenAI- and Anthropic-compatible
APIs (shapes of their own; a recording reader stands in for them here).

Real HTTP on 127.0.0.1: the fake Bedrock (tests/support/fake_bedrock.py) and, for the
JSON APIs, a small server below that answers Chat Completions and Anthropic Messages in
JSON and server-sent events.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import genai_observability as obs
import pytest
from genai_observability.instrumentation import READERS
from genai_observability.instrumentation.call import PendingCall
from genai_observability.instrumentation.endpoints import is_bedrock, route
from genai_observability.instrumentation.framing import (
    BodyDecoder,
    EventStreamDecoder,
    SseDecoder,
)
from genai_observability.instrumentation.reader import Reader
from support import LAMBDA_DIR, lines_of
from support.fake_bedrock import FakeBedrock, encode_event

httpx = pytest.importorskip("httpx")
httpx2 = pytest.importorskip("httpx2")

NOVA = "amazon.nova-micro-v1:0"
CONVERSE = {"messages": [{"role": "user", "content": [{"text": "What is 2+2?"}]}]}


# -- a stand-in for the JSON APIs (Chat Completions, Anthropic Messages) --------------------


def sse(*events: tuple[str | None, Any]) -> bytes:
    out = b""
    for name, data in events:
        if name:
            out += f"event: {name}\n".encode()
        text = data if isinstance(data, str) else json.dumps(data)
        out += f"data: {text}\n\n".encode()
    return out


CHAT_CHUNKS = sse(
    (None, {"choices": [{"delta": {"content": "4"}, "index": 0}]}),
    (None, {"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 1}}),
    (None, "[DONE]"),
)
MESSAGES_EVENTS = sse(
    ("message_start", {"type": "message_start", "message": {"usage": {"input_tokens": 5}}}),
    ("message_delta", {"type": "message_delta", "usage": {"output_tokens": 2}}),
    ("message_stop", {"type": "message_stop"}),
)


class JsonApis(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    statuses: list[int] = []  # noqa: RUF012 - scripted statuses, shared by the handler's instances

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        status = self.statuses.pop(0) if self.statuses else 200
        if status >= 400:
            error = {"error": {"type": "rate_limit_error", "message": "slow down"}}
            return self._send(status, "application/json", json.dumps(error).encode())
        if self.path.endswith("/chat/completions"):
            if body.get("stream"):
                return self._send(200, "text/event-stream", CHAT_CHUNKS)
            answer = {
                "id": "c1",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": "4"},
                    }
                ],
                "usage": {"prompt_tokens": 9, "completion_tokens": 1, "total_tokens": 10},
            }
            return self._send(200, "application/json", json.dumps(answer).encode())
        return self._send(200, "text/event-stream", MESSAGES_EVENTS)

    def _send(self, status: int, content_type: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def json_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), JsonApis)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class Recording(Reader):
    """Keeps what the transport hands a reader; usage from the last event that states it."""

    operation = "recorded"

    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] = []

    def on_request(self, call: PendingCall, params: Any) -> None:
        self.seen.append(("request", params))
        call.model = params.get("model")

    def on_success(self, call: PendingCall, response: Any) -> Any:
        self.seen.append(("success", response))
        usage = response.get("usage") or {}
        call.set_usage(usage.get("prompt_tokens"), usage.get("completion_tokens"))
        return response

    def on_error(self, call: PendingCall, error: BaseException) -> None:
        self.seen.append(("error", type(error).__name__))
        call.set_usage(0, 0)

    def on_stream_event(self, call: PendingCall, event: Any) -> None:
        self.seen.append(("event", event))
        data = event.get("data")
        usage = data.get("usage") if isinstance(data, dict) else None
        if isinstance(usage, dict) and "prompt_tokens" in usage:
            call.set_usage(usage["prompt_tokens"], usage["completion_tokens"])

    def on_stream_end(self, call: PendingCall, error: BaseException | None) -> None:
        self.seen.append(("end", error))


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch, json_server: str) -> Iterator[Recording]:
    """A recording reader for the JSON APIs, the stand-in configured as the endpoint."""
    reader = Recording()
    keys = [("openai", "ChatCompletions"), ("anthropic", "Messages")]
    before = {key: READERS.find(*key) for key in keys}
    for key in keys:
        READERS.register(*key, reader)
    monkeypatch.setenv("AWS_ENDPOINT_URL", json_server)
    monkeypatch.setenv("OPENAI_API_KEY", "testing")
    JsonApis.statuses = []
    yield reader
    obs.uninstrument_all()
    for key, previous in before.items():
        if previous is None:
            READERS.unregister(*key)
        else:
            READERS.register(*key, previous)


# -- what is a Bedrock call -------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "bedrock-runtime.us-east-1.amazonaws.com",
        "bedrock-runtime-fips.us-gov-west-1.amazonaws.com",
        "bedrock-runtime.cn-north-1.amazonaws.com.cn",
        "vpce-0abc-12345.bedrock-runtime.eu-west-1.vpce.amazonaws.com",
        "bedrock-mantle.us-east-1.api.aws",
        "bedrock-mantle-fips.us-east-1.api.aws",
    ],
)
def test_http_endpoint_aws_bedrock_hosts_are_recorded(host: str) -> None:
    assert is_bedrock(httpx.URL(f"https://{host}/model/x/converse"))


@pytest.mark.parametrize(
    "host",
    [
        "bedrock.us-east-1.amazonaws.com",  # the control plane
        "s3.us-east-1.amazonaws.com",
        "api.openai.com",
        "bedrock-runtime.us-east-1.amazonaws.com.evil.example",
        "127.0.0.1",
    ],
)
def test_http_endpoint_other_hosts_pass(host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME"):
        monkeypatch.delenv(name, raising=False)
    assert not is_bedrock(httpx.URL(f"https://{host}/"))


@pytest.mark.parametrize(
    "setting",
    [
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
        "AWS_ENDPOINT_URL",
        "AWS_BEDROCK_RUNTIME_ENDPOINT",
        "ANTHROPIC_BEDROCK_BASE_URL",
        "ANTHROPIC_BEDROCK_MANTLE_BASE_URL",
    ],
)
def test_http_endpoint_configured_endpoint_matches_host_and_port(
    setting: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(setting, "http://127.0.0.1:8123/anthropic")
    assert is_bedrock(httpx.URL("http://127.0.0.1:8123/anthropic/v1/messages"))
    assert not is_bedrock(httpx.URL("http://127.0.0.1:8124/anthropic/v1/messages"))
    assert not is_bedrock(httpx.URL("https://127.0.0.1/"))


def test_http_route_reads_the_model_from_the_raw_path() -> None:
    arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"
    found = route("POST", f"/model/{arn.replace(':', '%3A').replace('/', '%2F')}/invoke")
    assert found is not None and found[0].operation == "InvokeModel" and found[1] == arn
    found = route("POST", b"/openai/v1/chat/completions")
    assert found is not None and (found[0].api, found[0].operation) == (
        "openai",
        "ChatCompletions",
    )
    assert route("POST", "/anthropic/v1/messages?beta=true")[0].api == "anthropic"  # type: ignore[index]
    assert route("POST", "/v1/responses")[0].operation == "Responses"  # type: ignore[index]
    assert route("POST", "/anthropic/v1/messages/count_tokens") is None
    assert route("GET", f"/model/{NOVA}/converse") is None


# -- framings ----------------------------------------------------------------------------------


def test_http_framing_event_stream_split_anywhere() -> None:
    data = encode_event("metadata", {"usage": {"inputTokens": 1}}) + encode_event("x", {})
    for cut in range(len(data)):
        decoder = EventStreamDecoder()
        messages = decoder.feed(data[:cut]) + decoder.feed(data[cut:])
        assert [h[":event-type"] for h, _ in messages] == ["metadata", "x"]
        assert json.loads(messages[0][1]) == {"usage": {"inputTokens": 1}}


def test_http_framing_sse_split_anywhere() -> None:
    data = MESSAGES_EVENTS.replace(b"\n", b"\r\n") + CHAT_CHUNKS
    for cut in range(0, len(data), 7):
        decoder = SseDecoder()
        events = decoder.feed(data[:cut]) + decoder.feed(data[cut:])
        assert [e["event"] for e in events][:3] == [
            "message_start",
            "message_delta",
            "message_stop",
        ]
        assert events[-1] == {"event": None, "data": "[DONE]"}


def test_http_framing_gzip_and_unknown_encodings() -> None:
    packed = gzip.compress(b'{"usage": 1}')
    decoder = BodyDecoder("gzip")
    assert decoder.decode(packed[:5]) + decoder.decode(packed[5:]) == b'{"usage": 1}'
    assert BodyDecoder("br").readable is False


# -- the fake Bedrock over plain httpx and httpx2 -----------------------------------------------


def converse_over(library: Any, url: str) -> bytes:
    with library.Client() as client:
        response = client.post(f"{url}/model/{NOVA}/converse", json=CONVERSE)
        return bytes(response.content)


def stream_over(library: Any, url: str) -> list[bytes]:
    with library.Client() as client:
        request = client.build_request("POST", f"{url}/model/{NOVA}/converse-stream", json=CONVERSE)
        response = client.send(request, stream=True)
        try:
            return list(response.iter_raw())
        finally:
            response.close()


@pytest.mark.parametrize("library", [httpx, httpx2], ids=["httpx", "httpx2"])
def test_http_bedrock_request_is_one_line_and_its_bytes_unchanged(
    library: Any, fake_bedrock: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    plain, plain_stream = (
        converse_over(library, fake_bedrock.url),
        stream_over(library, fake_bedrock.url),
    )
    assert capsys.readouterr().out == ""
    obs.instrument_all()
    assert converse_over(library, fake_bedrock.url) == plain
    assert b"".join(stream_over(library, fake_bedrock.url)) == b"".join(plain_stream)
    first, second = lines_of(capsys.readouterr().out)
    assert first["operation"] == "converse" and first["input_tokens"] == 12
    assert second["operation"] == "converse_stream" and second["output_tokens"] == 3


@pytest.mark.parametrize("library", [httpx, httpx2], ids=["httpx", "httpx2"])
def test_http_other_hosts_pass_through_untouched(
    library: Any, fake_bedrock: FakeBedrock, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME")  # the fake is just another host now
    plain = converse_over(library, fake_bedrock.url)
    obs.instrument_all()
    assert converse_over(library, fake_bedrock.url) == plain
    assert capsys.readouterr().out == ""
    assert library.Client.send.__wrapped__  # patched, and passed through


def test_http_stream_dropped_unread_is_one_line_at_collection(
    fake_bedrock: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    import gc

    obs.instrument_all()
    client = httpx.Client()
    url = f"{fake_bedrock.url}/model/{NOVA}/converse-stream"
    response = client.send(client.build_request("POST", url, json=CONVERSE), stream=True)
    next(response.iter_raw())  # the first chunk only
    assert capsys.readouterr().out == ""
    del response
    gc.collect()
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse_stream" and line["usage_unknown"] is True
    client.close()


def test_http_async_client_bedrock_stream_is_one_line(
    fake_bedrock: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()

    async def scenario() -> bytes:
        async with httpx.AsyncClient() as client:
            url = f"{fake_bedrock.url}/model/{NOVA}/converse-stream"
            async with client.stream("POST", url, json=CONVERSE) as response:
                return b"".join([chunk async for chunk in response.aiter_bytes()])

    assert b"messageStop" in asyncio.run(scenario())
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse_stream" and line["input_tokens"] == 12


def test_http_inside_an_aiobotocore_call_is_not_recorded_twice(
    fake_bedrock: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("aiobotocore")
    from aiobotocore.config import AioConfig
    from aiobotocore.httpxsession import HttpxSession
    from aiobotocore.session import get_session

    obs.instrument_all()

    async def scenario() -> None:
        config = AioConfig(http_session_cls=HttpxSession)
        async with get_session().create_client("bedrock-runtime", config=config) as client:
            await client.converse(modelId=NOVA, **CONVERSE)

    asyncio.run(scenario())
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse"


# -- the hand-off to the JSON APIs' readers ---------------------------------------------------


def test_http_openai_chat_completions_hands_the_parsed_body(
    recording: Recording, capsys: pytest.CaptureFixture[str], json_server: str
) -> None:
    openai = pytest.importorskip("openai")
    obs.instrument_all()
    JsonApis.statuses = [429]
    client = openai.OpenAI(base_url=f"{json_server}/openai/v1", max_retries=2)
    answer = client.chat.completions.create(
        model="openai.gpt-oss-20b-1:0", messages=[{"role": "user", "content": "2+2?"}]
    )
    assert answer.choices[0].message.content == "4"
    kinds = [kind for kind, _ in recording.seen]
    assert kinds == ["request", "error", "request", "success"]  # the 429 was retried
    assert recording.seen[0][1]["model"] == "openai.gpt-oss-20b-1:0"
    assert recording.seen[-1][1]["usage"]["prompt_tokens"] == 9
    (line,) = lines_of(capsys.readouterr().out)  # one line across the SDK's retry
    assert line["operation"] == "recorded" and line["status"] == "ok"
    assert (line["input_tokens"], line["output_tokens"]) == (9, 1)


def test_http_openai_stream_hands_one_dict_per_event(
    recording: Recording, capsys: pytest.CaptureFixture[str], json_server: str
) -> None:
    openai = pytest.importorskip("openai")
    obs.instrument_all()
    client = openai.OpenAI(base_url=f"{json_server}/v1")
    stream = client.chat.completions.create(
        model="openai.gpt-oss-20b-1:0",
        messages=[{"role": "user", "content": "2+2?"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    assert [c.choices[0].delta.content for c in stream if c.choices] == ["4"]
    events = [value for kind, value in recording.seen if kind == "event"]
    assert events[-1] == {"event": None, "data": "[DONE]"}
    assert events[0]["data"]["choices"][0]["delta"] == {"content": "4"}
    assert recording.seen[0][1]["stream"] is True and recording.seen[-1] == ("end", None)
    assert "success" not in [kind for kind, _ in recording.seen]
    (line,) = lines_of(capsys.readouterr().out)
    assert (line["input_tokens"], line["output_tokens"]) == (9, 1)


def test_http_reader_that_fails_never_breaks_the_call(
    recording: Recording, capsys: pytest.CaptureFixture[str], json_server: str, monkeypatch: Any
) -> None:
    openai = pytest.importorskip("openai")

    def broken(*args: Any) -> None:
        raise RuntimeError("a reader bug")

    for hook in ("on_request", "on_stream_event", "on_stream_end"):
        monkeypatch.setattr(recording, hook, broken)
    obs.instrument_all()
    client = openai.OpenAI(base_url=f"{json_server}/v1")
    stream = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "2+2?"}], stream=True
    )
    assert [c.choices[0].delta.content for c in stream if c.choices] == ["4"]
    (line,) = lines_of(capsys.readouterr().out)  # the line keeps what is known
    assert line["status"] == "ok" and line["usage_unknown"] is True


def test_http_anthropic_mantle_messages_stream_and_error(
    recording: Recording, capsys: pytest.CaptureFixture[str], json_server: str, monkeypatch: Any
) -> None:
    anthropic = pytest.importorskip("anthropic")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    obs.instrument_all()
    client = anthropic.AnthropicBedrockMantle(base_url=f"{json_server}/anthropic", max_retries=0)
    with client.messages.create(
        model="anthropic.claude-haiku-4-5",
        max_tokens=9,
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
    ) as stream:
        assert [e.type for e in stream] == ["message_start", "message_delta", "message_stop"]
    names = [value["event"] for kind, value in recording.seen if kind == "event"]
    assert names == ["message_start", "message_delta", "message_stop"]
    JsonApis.statuses = [429]
    with pytest.raises(anthropic.RateLimitError):
        client.messages.create(
            model="anthropic.claude-haiku-4-5",
            max_tokens=9,
            messages=[{"role": "user", "content": "hi"}],
        )
    first, second = lines_of(capsys.readouterr().out)
    assert first["status"] == "ok"
    assert second["status"] == "error" and second["error_type"] == "rate_limit_error"


# -- the switch imports nothing ---------------------------------------------------------------


def test_http_instrument_all_imports_no_client_library_and_patches_on_import() -> None:
    code = """
import sys
from genai_observability import instrument_all
instrument_all()
heavy = {"httpx", "httpx2", "aiobotocore", "anthropic", "openai", "litellm", "botocore"}
assert not heavy & set(sys.modules), heavy & set(sys.modules)
import httpx
assert getattr(httpx.Client.send, "_genai_observability_instrumented", False)
assert getattr(httpx.AsyncClient.send, "_genai_observability_instrumented", False)
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(LAMBDA_DIR), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
