"""instrument_all() and instrument() with aiobotocore, over real HTTP to the fake Bedrock.

aiobotocore (which aioboto3 wraps) overrides ``_make_api_call`` with a coroutine, so the
botocore patch never sees its calls; its own transport records them, one line per awaited
call, async streams at their end, close or garbage collection.
"""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import Iterator
from typing import Any

import genai_observability as obs
import pytest
from genai_observability.instrumentation.transports import aiobotocore as aio_transport
from support import lines_of
from support.fake_bedrock import FakeBedrock, Reply
from support.recorded import failed_call, retried_once

aiobotocore_client = pytest.importorskip("aiobotocore.client")
from aiobotocore.config import AioConfig  # noqa: E402
from aiobotocore.session import get_session  # noqa: E402
from botocore.exceptions import ClientError, EventStreamError  # noqa: E402

NOVA = "amazon.nova-micro-v1:0"
HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
MESSAGES = [{"role": "user", "content": [{"text": "What is 2+2?"}]}]
ORIGINAL = aiobotocore_client.AioBaseClient._make_api_call


@pytest.fixture
def fake(fake_bedrock: FakeBedrock) -> Iterator[FakeBedrock]:
    yield fake_bedrock
    obs.uninstrument_all()
    assert aiobotocore_client.AioBaseClient._make_api_call is ORIGINAL


def run(scenario: Any, retries: int = 1) -> Any:
    """Run ``scenario(client)`` in a fresh event loop with a new async bedrock-runtime client."""

    async def main() -> Any:
        config = AioConfig(retries={"total_max_attempts": retries, "mode": "standard"})
        async with get_session().create_client("bedrock-runtime", config=config) as client:
            return await scenario(client)

    return asyncio.run(main())


async def converse(client: Any) -> Any:
    return await client.converse(modelId=NOVA, messages=MESSAGES)


async def stream_text(client: Any) -> str:
    response = await client.converse_stream(modelId=NOVA, messages=MESSAGES)
    text = []
    async for event in response["stream"]:
        if "contentBlockDelta" in event:
            text.append(event["contentBlockDelta"]["delta"]["text"])
    return "".join(text)


def test_aiobotocore_is_not_recorded_before_instrument_all(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    run(converse)
    assert capsys.readouterr().out == ""


def test_aiobotocore_converse_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all(service="async-bot")
    fake.push(Reply(input_tokens=100, output_tokens=20, stop_reason="max_tokens"))
    response = run(converse)
    assert response["output"]["message"]["content"] == [{"text": "2 plus 2 is 4"}]
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse" and line["status"] == "ok"
    assert (line["input_tokens"], line["output_tokens"]) == (100, 20)
    assert line["service"] == "async-bot" and line["stop_reason"] == "max_tokens"
    assert line["cost_usd"] == obs.cost_usd(NOVA, 100, 20) and line["pricing"] == "catalog"


def test_aiobotocore_converse_stream_is_recorded_at_its_end_unchanged(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    assert run(stream_text) == "2 plus 2 is 4"
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse_stream" and line["stop_reason"] == "end_turn"
    assert (line["input_tokens"], line["output_tokens"]) == (12, 3)
    assert 0 < line["ttft_ms"] <= line["latency_ms"]


def test_aiobotocore_invoke_model_and_its_stream(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    body = json.dumps({"messages": [{"role": "user", "content": "hi"}]}).encode()

    async def scenario(client: Any) -> tuple[Any, list[Any]]:
        response = await client.invoke_model(modelId=HAIKU, body=body)
        answer = json.loads(await response["body"].read())
        streamed = await client.invoke_model_with_response_stream(modelId=HAIKU, body=body)
        return answer, [event async for event in streamed["body"]]

    answer, events = run(scenario)
    assert answer["stop_reason"] == "end_turn" and len(events) == 10
    first, second = lines_of(capsys.readouterr().out)
    assert first["operation"] == "invoke_model" and first["input_tokens"] == 12
    assert second["operation"] == "invoke_model_with_response_stream"
    assert (second["input_tokens"], second["output_tokens"]) == (12, 3)
    assert second["stop_reason"] == "end_turn" and second["ttft_ms"] > 0


def test_aiobotocore_stream_abandoned_early_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()

    async def scenario(client: Any) -> None:
        response = await client.converse_stream(modelId=NOVA, messages=MESSAGES)
        async for _event in response["stream"]:
            break
        response["stream"].close()

    run(scenario)
    gc.collect()
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse_stream" and line["usage_unknown"] is True
    assert line["cost_usd"] is None


def test_aiobotocore_stream_never_read_is_recorded_when_dropped(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()

    async def scenario(client: Any) -> None:
        await client.converse_stream(modelId=NOVA, messages=MESSAGES)

    run(scenario)
    gc.collect()
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse_stream" and line["status"] == "ok"


def test_aiobotocore_throttled_then_ok_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    retried_once(fake, capsys, lambda: run(converse, retries=3))


def test_aiobotocore_error_is_recorded_and_reraised_unchanged(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    invalid = Reply(error="ValidationException", status=400)
    caught, _ = failed_call(fake, capsys, lambda: run(converse), ClientError, invalid)
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_aiobotocore_error_in_the_middle_of_a_stream(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = Reply(stream_error="modelStreamErrorException")
    failed_call(fake, capsys, lambda: run(stream_text), EventStreamError, broken)


def test_aiobotocore_client_also_given_to_instrument_is_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all(service="process")

    async def scenario(client: Any) -> str:
        assert obs.instrument(client, service="client") is client
        await client.converse(modelId=NOVA, messages=MESSAGES)
        return await stream_text(client)

    assert run(scenario) == "2 plus 2 is 4"
    lines = lines_of(capsys.readouterr().out)
    assert [(x["operation"], x["service"]) for x in lines] == [
        ("converse", "client"),
        ("converse_stream", "client"),
    ]


def test_aiobotocore_instrument_alone_records_and_sync_clients_stay_botocores(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    async def scenario(client: Any) -> Any:
        obs.instrument(client)
        return await converse(client)

    run(scenario)
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse"
    assert aio_transport.instrument_client(object(), {}) is False


def test_aiobotocore_uninstrument_all_stops_recording(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    assert aiobotocore_client.AioBaseClient._make_api_call is not ORIGINAL
    obs.uninstrument_all()
    assert aiobotocore_client.AioBaseClient._make_api_call is ORIGINAL
    run(converse)
    assert capsys.readouterr().out == ""
