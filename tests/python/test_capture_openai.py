"""instrument_all() and the OpenAI / Anthropic SDKs on Bedrock's compatible APIs, end to end.

The real openai and anthropic SDKs, through their public APIs, over real HTTP to the fake
Bedrock (tests/support/fake_bedrock.py): OpenAI Chat Completions on bedrock-runtime's
``/openai/v1``, OpenAI Responses and Chat Completions on bedrock-mantle's ``/v1``, Anthropic
Messages on bedrock-mantle's ``/anthropic/v1/messages``. The fake is a Bedrock endpoint because
the process is configured with it (``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``). Each call, sync or
async, streamed or not, retried or failed, is exactly one line with the right tokens and cost;
a request to another host is no line.

These need the HTTP transport (issue 17, item 2): enabled by its module's presence.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import anthropic
import genai_observability as obs
import openai
import pytest
from support import lines_of
from support.fake_bedrock import FakeBedrock, Reply, bedrock_env

pytest.importorskip("genai_observability.instrumentation.transports.httpx")

GPT_OSS = "openai.gpt-oss-120b-1:0"  # bedrock-runtime's id (model-parameters-openai)
MANTLE_GPT_OSS = "openai.gpt-oss-120b"  # bedrock-mantle's id of the same model
OPUS = "anthropic.claude-opus-4-8"
ASK = [{"role": "user", "content": "What is 2+2?"}]


@pytest.fixture
def endpoint(bedrock_server: FakeBedrock, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBedrock]:
    """The fake, reset, configured as the process's Bedrock endpoint; recording off after."""
    bedrock_server.reset()
    bedrock_env(monkeypatch, bedrock_server.url)
    try:
        yield bedrock_server
    finally:
        obs.uninstrument_all()


@pytest.fixture
def fake(endpoint: FakeBedrock) -> FakeBedrock:
    """The configured fake, with :func:`instrument_all` switched on."""
    assert obs.instrument_all() is True
    return endpoint


def chat(fake: FakeBedrock, base: str = "/openai/v1") -> openai.OpenAI:
    return openai.OpenAI(base_url=fake.url + base, api_key="bedrock-api-key")


def claude(fake: FakeBedrock) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=fake.url + "/anthropic", api_key="bedrock-api-key")


def async_claude(fake: FakeBedrock) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(base_url=fake.url + "/anthropic", api_key="k")


def one_line(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    lines = lines_of(capsys.readouterr().out)
    assert len(lines) == 1, lines
    return lines[0]


def priced(capsys: pytest.CaptureFixture[str], model: str) -> dict[str, Any]:
    """The one line written since the last read: the fake's 12 + 3 tokens, priced."""
    line = one_line(capsys)
    assert line["model"] == model and line["status"] == "ok"
    assert (line["input_tokens"], line["output_tokens"]) == (12, 3)
    assert line["pricing"] == "catalog" and line["cost_usd"] == obs.cost_usd(model, 12, 3)
    return line


# ---- OpenAI Chat Completions ----------------------------------------------------------------


def test_capture_openai_chat_completions_before_and_after_instrument_all(
    endpoint: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    client = chat(endpoint)
    client.chat.completions.create(model=GPT_OSS, messages=ASK)
    assert lines_of(capsys.readouterr().out) == []
    assert obs.instrument_all() is True
    answer = client.chat.completions.create(model=GPT_OSS, messages=ASK)
    assert answer.choices[0].message.content == "2 plus 2 is 4"
    line = priced(capsys, GPT_OSS)
    assert line["operation"] == "chat_completions" and line["stop_reason"] == "end_turn"


def test_capture_openai_chat_completions_async(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:

    async def call() -> Any:
        client = openai.AsyncOpenAI(base_url=fake.url + "/v1", api_key="k")
        return await client.chat.completions.create(model=MANTLE_GPT_OSS, messages=ASK)

    assert asyncio.run(call()).usage.completion_tokens == 3
    priced(capsys, MANTLE_GPT_OSS)


def test_capture_openai_chat_stream_with_and_without_include_usage(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    client = chat(fake)
    asked = client.chat.completions.create(
        model=GPT_OSS, messages=ASK, stream=True, stream_options={"include_usage": True}
    )
    assert "".join(c.choices[0].delta.content or "" for c in asked if c.choices) == "2 plus 2 is 4"
    line = priced(capsys, GPT_OSS)
    assert 0 < line["ttft_ms"] <= line["latency_ms"]
    list(client.chat.completions.create(model=GPT_OSS, messages=ASK, stream=True))
    line = one_line(capsys)
    assert line["usage_unknown"] is True and line.get("cost_usd") is None


def test_capture_openai_chat_stream_abandoned_early_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = chat(fake).chat.completions.create(model=GPT_OSS, messages=ASK, stream=True)
    next(iter(stream))
    stream.close()
    assert one_line(capsys)["usage_unknown"] is True


def test_capture_openai_throttled_then_served_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(Reply(error="rate_limit_exceeded", status=429))
    chat(fake).chat.completions.create(model=GPT_OSS, messages=ASK)
    assert len(fake.requests) == 2
    priced(capsys, GPT_OSS)


def test_capture_openai_error_is_one_error_line_and_reraised(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(Reply(error="invalid_request_error", status=400))
    with pytest.raises(openai.BadRequestError) as raised:
        chat(fake).chat.completions.create(model=GPT_OSS, messages=ASK)
    assert raised.value.code == "invalid_request_error"
    line = one_line(capsys)
    assert line["status"] == "error" and line["input_tokens"] == 0


# ---- OpenAI Responses -----------------------------------------------------------------------


def test_capture_openai_responses_and_its_stream(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    client = chat(fake, "/v1")
    assert client.responses.create(model=MANTLE_GPT_OSS, input="2+2?").output_text
    assert priced(capsys, MANTLE_GPT_OSS)["operation"] == "responses"
    with client.responses.stream(model=MANTLE_GPT_OSS, input="2+2?") as stream:
        assert stream.get_final_response().output_text == "2 plus 2 is 4"
    line = priced(capsys, MANTLE_GPT_OSS)
    assert line["stop_reason"] == "completed" and "ttft_ms" in line


# ---- Anthropic Messages on bedrock-mantle ---------------------------------------------------


def test_capture_anthropic_messages_create_stream_and_create_stream_true(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    client = claude(fake)
    client.messages.create(model=OPUS, max_tokens=8, messages=ASK)
    assert priced(capsys, OPUS)["operation"] == "messages"
    with client.messages.stream(model=OPUS, max_tokens=8, messages=ASK) as stream:
        assert stream.get_final_text() == "2 plus 2 is 4"
    priced(capsys, OPUS)
    events = list(client.messages.create(model=OPUS, max_tokens=8, messages=ASK, stream=True))
    assert events[-1].type == "message_stop"
    line = priced(capsys, OPUS)
    assert line["stop_reason"] == "end_turn" and "ttft_ms" in line


def test_capture_anthropic_messages_async(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:

    async def calls() -> None:
        client = async_claude(fake)
        await client.messages.create(model=OPUS, max_tokens=8, messages=ASK)
        async with client.messages.stream(model=OPUS, max_tokens=8, messages=ASK) as stream:
            await stream.get_final_message()

    asyncio.run(calls())
    lines = lines_of(capsys.readouterr().out)
    assert len(lines) == 2 and all(line["model"] == OPUS for line in lines)
    assert [line["cost_usd"] for line in lines] == [obs.cost_usd(OPUS, 12, 3)] * 2


def test_capture_anthropic_messages_throttled_then_served_and_failed(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(Reply(error="rate_limit_error", status=429))
    claude(fake).messages.create(model=OPUS, max_tokens=8, messages=ASK)
    priced(capsys, OPUS)
    fake.push(Reply(error="invalid_request_error", status=400))
    with pytest.raises(anthropic.BadRequestError):
        claude(fake).messages.create(model=OPUS, max_tokens=8, messages=ASK)
    assert one_line(capsys)["status"] == "error"


# ---- a connection the server closed: the SDK retries ----------------------------------------


def hung_up_call(sdk: str, fake: FakeBedrock, stream: bool) -> str:
    """One call of ``sdk``, read to its end; returns the model id it used."""
    if sdk == "openai":
        model, extra = GPT_OSS, {"stream_options": {"include_usage": True}} if stream else {}
        answer = chat(fake).chat.completions.create(
            model=model, messages=ASK, stream=stream, **extra
        )
    else:
        model = OPUS
        answer = claude(fake).messages.create(
            model=model, max_tokens=8, messages=ASK, stream=stream
        )
    if stream:
        list(answer)
    return model


@pytest.mark.parametrize("stream", [False, True], ids=["body", "stream"])
@pytest.mark.parametrize("sdk", ["openai", "anthropic"])
def test_capture_hung_up_attempt_then_served_is_one_priced_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str], sdk: str, stream: bool
) -> None:
    """The server closed the connection (``RemoteProtocolError``) and the SDK retried.

    The failed attempt is collected when the retry starts; it must write nothing then (it
    once wrote a second, zero-token "ok" line, whenever the server had closed a keep-alive
    connection the client reused).
    """
    fake.hang_up()
    model = hung_up_call(sdk, fake, stream)
    gc.collect()
    assert len(fake.requests) == 1  # the hung-up attempt got no answer
    priced(capsys, model)


@pytest.mark.parametrize("sdk", ["openai", "anthropic"])
def test_capture_hung_up_on_every_attempt_is_one_error_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str], sdk: str
) -> None:
    fake.hang_up(3)  # the first try and the SDKs' two retries
    with pytest.raises((openai.APIConnectionError, anthropic.APIConnectionError)):
        hung_up_call(sdk, fake, stream=False)
    gc.collect()
    line = one_line(capsys)
    assert line["status"] == "error" and line["error_type"] == "RemoteProtocolError"
    assert line["input_tokens"] == 0 and fake.requests == []


def test_capture_hung_up_async_retry_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.hang_up()
    asyncio.run(async_claude(fake).messages.create(model=OPUS, max_tokens=8, messages=ASK))
    gc.collect()
    priced(capsys, OPUS)


# ---- other hosts ----------------------------------------------------------------------------


def test_capture_other_hosts_are_no_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeBedrock() as other:  # same API, another endpoint the process is not configured with
        other_url = other.url.replace("127.0.0.1", "localhost")
        client = openai.OpenAI(base_url=other_url + "/v1", api_key="k")
        assert client.chat.completions.create(model=GPT_OSS, messages=ASK).usage is not None
    assert lines_of(capsys.readouterr().out) == []
