"""LiteLLM's Bedrock routes over real HTTP to the fake: its own httpx client, botocore signing.

``bedrock/<model>`` (Converse for the models LiteLLM knows), ``bedrock/converse/<model>`` and
``bedrock/invoke/<model>``, streamed or not, sync and async: each call is one line.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import genai_observability as obs
import pytest
from support import lines_of
from support.fake_bedrock import FakeBedrock, Reply

NOVA = "amazon.nova-micro-v1:0"
HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0"
MESSAGES = [{"role": "user", "content": "What is 2+2?"}]
# What Bedrock's InvokeModel answers for a Claude model (LiteLLM parses every field).
CLAUDE_BODY = {
    "id": "msg_fake",
    "type": "message",
    "role": "assistant",
    "model": "claude",
    "content": [{"type": "text", "text": "2 plus 2 is 4"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 12, "output_tokens": 3},
}


@pytest.fixture(scope="module")
def litellm() -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # never fetch the price map
        module = pytest.importorskip("litellm")
    module.suppress_debug_info = True
    return module


@pytest.fixture
def fake(fake_bedrock: FakeBedrock, monkeypatch: pytest.MonkeyPatch) -> FakeBedrock:
    monkeypatch.delenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME")  # LiteLLM's own setting instead
    monkeypatch.setenv("AWS_BEDROCK_RUNTIME_ENDPOINT", fake_bedrock.url)
    return fake_bedrock


def complete(litellm: Any, model: str, stream: bool = False) -> str:
    response = litellm.completion(
        model=model,
        messages=MESSAGES,
        max_tokens=50,
        stream=stream,
    )
    if stream:
        return "".join(chunk.choices[0].delta.content or "" for chunk in response)
    return str(response.choices[0].message.content)


ROUTES = [
    (f"bedrock/{NOVA}", False, "converse"),
    (f"bedrock/{NOVA}", True, "converse_stream"),
    (f"bedrock/converse/{NOVA}", False, "converse"),
    (f"bedrock/converse/{NOVA}", True, "converse_stream"),
    (f"bedrock/invoke/{HAIKU}", False, "invoke_model"),
    (f"bedrock/invoke/{HAIKU}", True, "invoke_model_with_response_stream"),
]


@pytest.mark.parametrize(("model", "stream", "operation"), ROUTES)
def test_litellm_bedrock_route_is_one_line(
    litellm: Any,
    fake: FakeBedrock,
    capsys: pytest.CaptureFixture[str],
    model: str,
    stream: bool,
    operation: str,
) -> None:
    obs.instrument_all(service="litellm-app")
    fake.push(Reply(input_tokens=40, output_tokens=7, invoke_body=CLAUDE_BODY))
    assert complete(litellm, model, stream) == "2 plus 2 is 4"
    (line,) = lines_of(capsys.readouterr().out)
    bare = model.rsplit("/", 1)[-1]
    assert line["operation"] == operation and line["model"] == bare
    assert (line["input_tokens"], line["output_tokens"]) == (40, 7)
    assert line["cost_usd"] == obs.cost_usd(bare, 40, 7) and line["service"] == "litellm-app"
    if stream:
        assert 0 < line["ttft_ms"] <= line["latency_ms"]


def test_litellm_is_not_recorded_before_instrument_all(
    litellm: Any, fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    complete(litellm, f"bedrock/{NOVA}")
    assert capsys.readouterr().out == ""


def test_litellm_async_routes_are_one_line_each(
    litellm: Any, fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()

    async def scenario() -> list[str]:
        answers = []
        for model, stream in ((f"bedrock/{NOVA}", False), (f"bedrock/{NOVA}", True)):
            response = await litellm.acompletion(
                model=model,
                messages=MESSAGES,
                stream=stream,
            )
            if stream:
                answers.append("".join([c.choices[0].delta.content or "" async for c in response]))
            else:
                answers.append(response.choices[0].message.content)
        return answers

    assert asyncio.run(scenario()) == ["2 plus 2 is 4", "2 plus 2 is 4"]
    lines = lines_of(capsys.readouterr().out)
    assert [x["operation"] for x in lines] == ["converse", "converse_stream"]
    assert all(x["input_tokens"] == 12 for x in lines)


def test_litellm_error_is_recorded_and_reraised(
    litellm: Any, fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(Reply(error="ValidationException", status=400))
    with pytest.raises(litellm.exceptions.BadRequestError):
        complete(litellm, f"bedrock/converse/{NOVA}")
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "error" and line["error_type"] == "ValidationException"
    assert json.loads(json.dumps(line))["model"] == NOVA


# ---- LiteLLM's own retries: one logical call -----------------------------------------------


def ask(litellm: Any, **options: Any) -> Any:
    return litellm.completion(model=f"bedrock/{NOVA}", messages=MESSAGES, **options)


def test_litellm_num_retries_throttled_then_served_is_one_line(
    litellm: Any, fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(Reply(error="ThrottlingException", status=429))
    assert ask(litellm, num_retries=2).choices[0].message.content == "2 plus 2 is 4"
    assert len(fake.requests) == 2  # LiteLLM retried: two requests, one call
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "ok" and line["cost_usd"] == obs.cost_usd(NOVA, 12, 3)


def test_litellm_num_retries_exhausted_is_one_error_line(
    litellm: Any, fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(*[Reply(error="ThrottlingException", status=429)] * 3)
    with pytest.raises(litellm.exceptions.RateLimitError):
        ask(litellm, num_retries=2)
    assert len(fake.requests) == 3
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "error" and line["error_type"] == "ThrottlingException"


def test_litellm_async_num_retries_is_one_line(
    litellm: Any, fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(Reply(error="ThrottlingException", status=429))
    answer = asyncio.run(
        litellm.acompletion(model=f"bedrock/{NOVA}", messages=MESSAGES, num_retries=2)
    )
    assert answer.choices[0].message.content == "2 plus 2 is 4" and len(fake.requests) == 2
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "ok" and line["input_tokens"] == 12


def test_litellm_router_retries_are_one_line(
    litellm: Any, fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    router = litellm.Router(
        model_list=[{"model_name": "nova", "litellm_params": {"model": f"bedrock/{NOVA}"}}],
        num_retries=2,
        retry_after=0,
    )
    fake.push(Reply(error="ThrottlingException", status=429))
    assert router.completion(model="nova", messages=MESSAGES).choices[0].message.content
    assert len(fake.requests) == 2
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "ok" and line["model"] == NOVA


def test_litellm_entry_points_are_litellms_own_again_after_uninstrument_all(
    litellm: Any,
) -> None:
    obs.uninstrument_all()  # whatever an earlier test left on
    own = litellm.main.completion, litellm.completion, litellm.Router.acompletion
    try:
        obs.instrument_all()
        assert litellm.main.completion is not own[0] and litellm.completion is not own[1]
        assert litellm.Router.acompletion is not own[2]
    finally:
        obs.uninstrument_all()
    assert (litellm.main.completion, litellm.completion, litellm.Router.acompletion) == own
