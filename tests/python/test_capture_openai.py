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


@pytest.fixture(scope="module")
def server() -> Iterator[FakeBedrock]:
    with FakeBedrock() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeBedrock, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBedrock]:
    server.reset()
    bedrock_env(monkeypatch, server.url)
    yield server
    obs.uninstrument_all()


def chat(fake: FakeBedrock, base: str = "/openai/v1") -> openai.OpenAI:
    return openai.OpenAI(base_url=fake.url + base, api_key="bedrock-api-key")


def claude(fake: FakeBedrock) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=fake.url + "/anthropic", api_key="bedrock-api-key")


def one_line(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    lines = lines_of(capsys.readouterr().out)
    assert len(lines) == 1, lines
    return lines[0]


def assert_priced(line: dict[str, Any], model: str, tokens: tuple[int, int]) -> None:
    assert line["model"] == model and line["status"] == "ok"
    assert (line["input_tokens"], line["output_tokens"]) == tokens
    assert line["pricing"] == "catalog" and line["cost_usd"] == obs.cost_usd(model, *tokens)


# ---- OpenAI Chat Completions ----------------------------------------------------------------


def test_capture_openai_chat_completions_before_and_after_instrument_all(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    client = chat(fake)
    client.chat.completions.create(model=GPT_OSS, messages=ASK)
    assert lines_of(capsys.readouterr().out) == []
    assert obs.instrument_all() is True
    answer = client.chat.completions.create(model=GPT_OSS, messages=ASK)
    assert answer.choices[0].message.content == "2 plus 2 is 4"
    line = one_line(capsys)
    assert line["operation"] == "chat_completions" and line["stop_reason"] == "end_turn"
    assert_priced(line, GPT_OSS, (12, 3))


def test_capture_openai_chat_completions_async(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()

    async def call() -> Any:
        client = openai.AsyncOpenAI(base_url=fake.url + "/v1", api_key="k")
        return await client.chat.completions.create(model=MANTLE_GPT_OSS, messages=ASK)

    assert asyncio.run(call()).usage.completion_tokens == 3
    assert_priced(one_line(capsys), MANTLE_GPT_OSS, (12, 3))


def test_capture_openai_chat_stream_with_and_without_include_usage(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    client = chat(fake)
    asked = client.chat.completions.create(
        model=GPT_OSS, messages=ASK, stream=True, stream_options={"include_usage": True}
    )
    assert "".join(c.choices[0].delta.content or "" for c in asked if c.choices) == "2 plus 2 is 4"
    line = one_line(capsys)
    assert_priced(line, GPT_OSS, (12, 3))
    assert 0 < line["ttft_ms"] <= line["latency_ms"]
    list(client.chat.completions.create(model=GPT_OSS, messages=ASK, stream=True))
    line = one_line(capsys)
    assert line["usage_unknown"] is True and line.get("cost_usd") is None


def test_capture_openai_chat_stream_abandoned_early_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    stream = chat(fake).chat.completions.create(model=GPT_OSS, messages=ASK, stream=True)
    next(iter(stream))
    stream.close()
    assert one_line(capsys)["usage_unknown"] is True


def test_capture_openai_throttled_then_served_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(Reply(error="rate_limit_exceeded", status=429))
    chat(fake).chat.completions.create(model=GPT_OSS, messages=ASK)
    assert len(fake.requests) == 2
    assert_priced(one_line(capsys), GPT_OSS, (12, 3))


def test_capture_openai_error_is_one_error_line_and_reraised(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
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
    obs.instrument_all()
    client = chat(fake, "/v1")
    assert client.responses.create(model=MANTLE_GPT_OSS, input="2+2?").output_text
    line = one_line(capsys)
    assert line["operation"] == "responses"
    assert_priced(line, MANTLE_GPT_OSS, (12, 3))
    with client.responses.stream(model=MANTLE_GPT_OSS, input="2+2?") as stream:
        for _ in stream:
            pass
    line = one_line(capsys)
    assert_priced(line, MANTLE_GPT_OSS, (12, 3))
    assert line["stop_reason"] == "completed" and "ttft_ms" in line


# ---- Anthropic Messages on bedrock-mantle ---------------------------------------------------


def test_capture_anthropic_messages_create_stream_and_create_stream_true(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    client = claude(fake)
    client.messages.create(model=OPUS, max_tokens=8, messages=ASK)
    line = one_line(capsys)
    assert line["operation"] == "messages"
    assert_priced(line, OPUS, (12, 3))
    with client.messages.stream(model=OPUS, max_tokens=8, messages=ASK) as stream:
        assert stream.get_final_text() == "2 plus 2 is 4"
    assert_priced(one_line(capsys), OPUS, (12, 3))
    for _ in client.messages.create(model=OPUS, max_tokens=8, messages=ASK, stream=True):
        pass
    line = one_line(capsys)
    assert_priced(line, OPUS, (12, 3))
    assert line["stop_reason"] == "end_turn" and "ttft_ms" in line


def test_capture_anthropic_messages_async(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()

    async def calls() -> None:
        client = anthropic.AsyncAnthropic(base_url=fake.url + "/anthropic", api_key="k")
        await client.messages.create(model=OPUS, max_tokens=8, messages=ASK)
        async with client.messages.stream(model=OPUS, max_tokens=8, messages=ASK) as stream:
            await stream.get_final_message()

    asyncio.run(calls())
    lines = lines_of(capsys.readouterr().out)
    assert len(lines) == 2
    for line in lines:
        assert_priced(line, OPUS, (12, 3))


def test_capture_anthropic_messages_throttled_then_served_and_failed(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(Reply(error="rate_limit_error", status=429))
    claude(fake).messages.create(model=OPUS, max_tokens=8, messages=ASK)
    assert_priced(one_line(capsys), OPUS, (12, 3))
    fake.push(Reply(error="invalid_request_error", status=400))
    with pytest.raises(anthropic.BadRequestError):
        claude(fake).messages.create(model=OPUS, max_tokens=8, messages=ASK)
    assert one_line(capsys)["status"] == "error"


# ---- other hosts ----------------------------------------------------------------------------


def test_capture_other_hosts_are_no_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    with FakeBedrock() as other:  # same API, another endpoint the process is not configured with
        other_url = other.url.replace("127.0.0.1", "localhost")
        client = openai.OpenAI(base_url=other_url + "/v1", api_key="k")
        assert client.chat.completions.create(model=GPT_OSS, messages=ASK).usage is not None
    assert lines_of(capsys.readouterr().out) == []
