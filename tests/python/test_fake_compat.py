"""The fake Bedrock's compatible APIs, parsed by the real openai and anthropic SDKs.

The stand-in (tests/support/fake_bedrock.py, bodies in tests/support/fake_compat.py) must
speak what the pinned SDKs read, or the capture tests would test a shape nobody sends: each
path here is called through the SDK's public API over real HTTP, sync and async, streamed or
not, with errors in each API's shape. No recording is switched on: this is the fake alone.
"""

from __future__ import annotations

import asyncio
from typing import Any

import anthropic
import openai
import pytest
from support.fake_bedrock import FakeBedrock, Reply

GPT_OSS = "openai.gpt-oss-120b-1:0"
MANTLE_GPT_OSS = "openai.gpt-oss-120b"
OPUS = "anthropic.claude-opus-4-8"
ASK = [{"role": "user", "content": "What is 2+2?"}]


@pytest.fixture
def fake(bedrock_server: FakeBedrock) -> FakeBedrock:
    bedrock_server.reset()
    return bedrock_server


def openai_client(fake: FakeBedrock, base: str = "/openai/v1", **kw: Any) -> openai.OpenAI:
    return openai.OpenAI(base_url=fake.url + base, api_key="bedrock-api-key", **kw)


def anthropic_client(fake: FakeBedrock, **kw: Any) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=fake.url + "/anthropic", api_key="bedrock-api-key", **kw)


@pytest.mark.parametrize("base", ["/openai/v1", "/v1"])
def test_fake_chat_completions_as_the_openai_sdk_reads_it(fake: FakeBedrock, base: str) -> None:
    fake.push(Reply(input_tokens=10, output_tokens=4, cache_read_tokens=6, stop_reason="stop"))
    answer = openai_client(fake, base).chat.completions.create(model=GPT_OSS, messages=ASK)
    assert answer.choices[0].message.content == "2 plus 2 is 4"
    assert answer.choices[0].finish_reason == "stop" and answer.model == GPT_OSS
    assert answer.usage is not None and answer.usage.prompt_tokens == 16
    assert answer.usage.prompt_tokens_details is not None
    assert answer.usage.prompt_tokens_details.cached_tokens == 6
    assert [(r.operation, r.model) for r in fake.requests] == [("ChatCompletions", GPT_OSS)]


def test_fake_chat_completions_stream_has_usage_only_when_asked(fake: FakeBedrock) -> None:
    client = openai_client(fake)
    asked = list(
        client.chat.completions.create(
            model=GPT_OSS, messages=ASK, stream=True, stream_options={"include_usage": True}
        )
    )
    assert asked[-1].choices == [] and asked[-1].usage is not None
    assert asked[-1].usage.completion_tokens == 3
    text = "".join(c.choices[0].delta.content or "" for c in asked if c.choices)
    assert text == "2 plus 2 is 4"
    unasked = list(client.chat.completions.create(model=GPT_OSS, messages=ASK, stream=True))
    assert all(chunk.usage is None for chunk in unasked)


def test_fake_responses_as_the_openai_sdk_reads_it(fake: FakeBedrock) -> None:
    client = openai_client(fake, "/v1")
    answer = client.responses.create(model=MANTLE_GPT_OSS, input="What is 2+2?")
    assert answer.output_text == "2 plus 2 is 4" and answer.status == "completed"
    assert answer.usage is not None and answer.usage.output_tokens == 3
    with client.responses.stream(model=MANTLE_GPT_OSS, input="What is 2+2?") as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_response()
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"
    assert final.output_text == "2 plus 2 is 4" and final.usage is not None
    assert [r.operation for r in fake.requests] == ["Responses", "Responses"]


def test_fake_messages_as_the_anthropic_sdk_reads_it(fake: FakeBedrock) -> None:
    fake.push(Reply(cache_write_tokens=50), Reply(output_tokens=9, stop_reason="max_tokens"))
    client = anthropic_client(fake)
    message = client.messages.create(model=OPUS, max_tokens=64, messages=ASK)
    assert message.content[0].type == "text" and message.content[0].text == "2 plus 2 is 4"
    assert message.usage.input_tokens == 12 and message.usage.cache_creation_input_tokens == 50
    with client.messages.stream(model=OPUS, max_tokens=64, messages=ASK) as stream:
        assert stream.get_final_text() == "2 plus 2 is 4"
        final = stream.get_final_message()
    assert final.usage.output_tokens == 9 and final.stop_reason == "max_tokens"
    assert "anthropic-version" in fake.requests[0].headers  # the SDK sends its own
    assert [r.model for r in fake.requests] == [OPUS, OPUS]


def test_fake_async_clients_read_the_same_shapes(fake: FakeBedrock) -> None:
    async def calls() -> tuple[Any, Any, list[Any]]:
        chat = openai.AsyncOpenAI(base_url=fake.url + "/openai/v1", api_key="k")
        messages = anthropic.AsyncAnthropic(base_url=fake.url + "/anthropic", api_key="k")
        answer = await chat.chat.completions.create(model=GPT_OSS, messages=ASK)
        message = await messages.messages.create(model=OPUS, max_tokens=8, messages=ASK)
        stream = await messages.messages.create(model=OPUS, max_tokens=8, messages=ASK, stream=True)
        events = [event.type async for event in stream]
        return answer, message, events

    answer, message, events = asyncio.run(calls())
    assert answer.usage.total_tokens == 15 and message.usage.output_tokens == 3
    assert events[0] == "message_start" and events[-1] == "message_stop"


def test_fake_errors_in_each_api_shape(fake: FakeBedrock) -> None:
    fake.push(Reply(error="invalid_request_error", status=400))
    with pytest.raises(anthropic.BadRequestError) as bad_message:
        anthropic_client(fake).messages.create(model=OPUS, max_tokens=8, messages=ASK)
    assert bad_message.value.body["error"]["type"] == "invalid_request_error"  # type: ignore[index]
    fake.push(Reply(error="invalid_request_error", status=400))
    with pytest.raises(openai.BadRequestError) as bad_chat:
        openai_client(fake).chat.completions.create(model=GPT_OSS, messages=ASK)
    assert bad_chat.value.code == "invalid_request_error"


def test_fake_throttling_then_success_is_one_sdk_retry(fake: FakeBedrock) -> None:
    fake.push(Reply(error="rate_limit_error", status=429))
    message = anthropic_client(fake).messages.create(model=OPUS, max_tokens=8, messages=ASK)
    assert message.usage.output_tokens == 3
    assert len(fake.requests) == 2
    assert fake.requests[1].headers.get("x-stainless-retry-count") == "1"


def test_fake_stream_errors_as_each_sdk_raises_them(fake: FakeBedrock) -> None:
    fake.push(Reply(stream_error="overloaded_error"))
    stream = anthropic_client(fake).messages.create(
        model=OPUS, max_tokens=8, messages=ASK, stream=True
    )
    with pytest.raises(anthropic.APIStatusError):
        list(stream)
    fake.push(Reply(stream_error="server_error"))
    chunks = openai_client(fake).chat.completions.create(model=GPT_OSS, messages=ASK, stream=True)
    with pytest.raises(openai.APIError):
        list(chunks)
