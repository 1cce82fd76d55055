"""The Anthropic SDK's AnthropicBedrock / AsyncAnthropicBedrock, over real HTTP to the fake.

The SDK sends with its own HTTP client (the httpx2 fork) and uses botocore only to sign and
to decode the event stream, so the HTTP transport records it: one line per logical call,
across the SDK's own retries, streams at their end, close or collection.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import genai_observability as obs
import pytest
from support import lines_of
from support.fake_bedrock import FakeBedrock, Reply
from support.recorded import failed_call, retried_once

anthropic = pytest.importorskip("anthropic")

HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
MESSAGES = [{"role": "user", "content": "What is 2+2?"}]


@pytest.fixture
def fake(fake_bedrock: FakeBedrock, monkeypatch: pytest.MonkeyPatch) -> FakeBedrock:
    monkeypatch.delenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME")  # the SDK's own setting instead
    monkeypatch.setenv("ANTHROPIC_BEDROCK_BASE_URL", fake_bedrock.url)
    return fake_bedrock


def client(**options: Any) -> Any:
    return anthropic.AnthropicBedrock(max_retries=options.pop("max_retries", 2), **options)


def create(bedrock: Any, **options: Any) -> Any:
    return bedrock.messages.create(model=HAIKU, max_tokens=50, messages=MESSAGES, **options)


def test_anthropic_bedrock_is_not_recorded_before_instrument_all(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create(client()).content[0].text == "2 plus 2 is 4"
    assert capsys.readouterr().out == ""


def test_anthropic_bedrock_messages_create_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all(service="claude-app")
    fake.push(Reply(input_tokens=100, output_tokens=20, cache_read_tokens=50))
    message = create(client())
    assert message.content[0].text == "2 plus 2 is 4"
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "invoke_model" and line["model"] == HAIKU
    assert (line["input_tokens"], line["output_tokens"], line["cache_read_tokens"]) == (
        100,
        20,
        50,
    )
    assert line["cost_usd"] == obs.cost_usd(HAIKU, 100, 20, cache_read_tokens=50)
    assert line["service"] == "claude-app" and line["status"] == "ok"


def test_anthropic_bedrock_messages_stream_is_one_line_at_its_end(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(Reply(input_tokens=70, output_tokens=9, stop_reason="max_tokens"))
    with client().messages.stream(model=HAIKU, max_tokens=50, messages=MESSAGES) as stream:
        assert capsys.readouterr().out == ""  # not before the stream's end
        assert "".join(stream.text_stream) == "2 plus 2 is 4"
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "invoke_model_with_response_stream"
    assert (line["input_tokens"], line["output_tokens"]) == (70, 9)
    assert line["stop_reason"] == "max_tokens" and 0 < line["ttft_ms"] <= line["latency_ms"]


def test_anthropic_bedrock_create_stream_true_hands_every_event_back(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    events = list(create(client(), stream=True))
    assert [e.type for e in events][:2] == ["message_start", "content_block_start"]
    assert events[-1].type == "message_stop" and len(events) == 10
    (line,) = lines_of(capsys.readouterr().out)
    assert (line["input_tokens"], line["output_tokens"]) == (12, 3)


def test_anthropic_bedrock_stream_abandoned_early_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    stream = create(client(), stream=True)
    for _event in stream:
        break
    stream.close()
    del stream
    gc.collect()
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "invoke_model_with_response_stream"
    assert line["usage_unknown"] is True and line["cost_usd"] is None


def test_anthropic_bedrock_throttled_then_ok_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    message = retried_once(fake, capsys, lambda: create(client()))
    assert message.content[0].text == "2 plus 2 is 4"
    assert [r.headers["x-stainless-retry-count"] for r in fake.requests] == ["0", "1"]


def test_anthropic_bedrock_retries_exhausted_is_one_error_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    throttled = [Reply(error="ThrottlingException", status=429)] * 2
    caught, line = failed_call(
        fake, capsys, lambda: create(client(max_retries=1)), anthropic.RateLimitError, *throttled
    )
    assert caught.value.status_code == 429
    assert (line["input_tokens"], line["output_tokens"]) == (0, 0)


def test_anthropic_bedrock_error_is_recorded_and_reraised_unchanged(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    invalid = Reply(error="ValidationException", status=400)
    caught, _ = failed_call(
        fake, capsys, lambda: create(client()), anthropic.BadRequestError, invalid
    )
    assert "scripted ValidationException" in str(caught.value)


def test_async_anthropic_bedrock_create_and_stream(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()

    async def scenario() -> tuple[str, str]:
        bedrock = anthropic.AsyncAnthropicBedrock()
        message = await bedrock.messages.create(model=HAIKU, max_tokens=50, messages=MESSAGES)
        async with bedrock.messages.stream(model=HAIKU, max_tokens=50, messages=MESSAGES) as stream:
            text = "".join([part async for part in stream.text_stream])
        return message.content[0].text, text

    fake.push(Reply(error="ThrottlingException", status=429))
    assert asyncio.run(scenario()) == ("2 plus 2 is 4", "2 plus 2 is 4")
    first, second = lines_of(capsys.readouterr().out)
    assert first["operation"] == "invoke_model" and first["status"] == "ok"
    assert second["operation"] == "invoke_model_with_response_stream"
    assert (second["input_tokens"], second["output_tokens"]) == (12, 3)
    assert len(fake.requests) == 3  # one retry, one line


def test_anthropic_bedrock_uninstrument_all_stops_recording(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    obs.uninstrument_all()
    create(client())
    assert capsys.readouterr().out == ""


def test_anthropic_bedrock_at_a_base_url_given_only_in_code_is_recorded(
    fake_bedrock: FakeBedrock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A private endpoint or proxy the process is not configured with (no environment
    setting names it): the client is a Bedrock client, so its calls are Bedrock calls."""
    monkeypatch.delenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME")
    monkeypatch.delenv("ANTHROPIC_BEDROCK_BASE_URL", raising=False)
    private = fake_bedrock.url.replace("127.0.0.1", "localhost")  # a host nothing names
    obs.instrument_all()
    assert create(client(base_url=private)).content[0].text == "2 plus 2 is 4"
    (line,) = lines_of(capsys.readouterr().out)
    assert line["model"] == HAIKU and line["cost_usd"] == obs.cost_usd(HAIKU, 12, 3)

    async def streamed() -> None:
        bedrock = anthropic.AsyncAnthropicBedrock(base_url=private)
        async with bedrock.messages.stream(model=HAIKU, max_tokens=50, messages=MESSAGES) as s:
            await s.get_final_message()

    asyncio.run(streamed())
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "invoke_model_with_response_stream"
    assert (line["input_tokens"], line["output_tokens"]) == (12, 3)


def test_anthropic_bedrock_mantle_at_a_base_url_given_only_in_code_is_recorded(
    fake_bedrock: FakeBedrock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME")
    private = fake_bedrock.url.replace("127.0.0.1", "localhost") + "/anthropic"
    obs.instrument_all()
    mantle = anthropic.AnthropicBedrockMantle(api_key="bedrock-api-key", base_url=private)
    model = "anthropic.claude-haiku-4-5"  # bedrock-mantle's id
    mantle.messages.create(model=model, max_tokens=8, messages=MESSAGES)
    (line,) = lines_of(capsys.readouterr().out)
    assert (line["operation"], line["model"]) == ("messages", model)
    assert line["cost_usd"] == obs.cost_usd(model, 12, 3) and line["pricing"] == "catalog"
