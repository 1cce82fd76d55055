"""The Lambda entry point: prompt and model from the event or the environment, one line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import ANY, Stubber
from genai_observability import ConfigurationError, GenAIObservabilityError, handler
from support import FakeContext, lines_of

NOVA = "amazon.nova-micro-v1:0"


def converse_response(text: str = "Paris.") -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 1000, "outputTokens": 200, "totalTokens": 1200},
        "metrics": {"latencyMs": 150},
    }


@pytest.fixture
def stubber() -> Iterator[Stubber]:
    client = boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with Stubber(client) as stub:
        handler.set_client(client)
        yield stub
    handler.set_client(None)
    stub.assert_no_pending_responses()


def expect_converse(stubber: Stubber, model: str, prompt: str, **extra: Any) -> None:
    params = {"modelId": model, "messages": [{"role": "user", "content": [{"text": prompt}]}]}
    params.update(extra)
    stubber.add_response("converse", converse_response(), params)


def test_lambda_handler_answers_and_returns_the_cost(
    stubber: Stubber, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    expect_converse(stubber, NOVA, "Capital of France?")
    result = handler.lambda_handler({"prompt": "Capital of France?"}, FakeContext("req-42"))
    (line,) = lines_of(capsys.readouterr().out)
    assert result == {
        "model": NOVA,
        "answer": "Paris.",
        "input_tokens": 1000,
        "output_tokens": 200,
        "cost_usd": line["cost_usd"],
        "pricing": "catalog",
        "latency_ms": line["latency_ms"],
        "request_id": "req-42",
    }
    assert line["cost_usd"] == 0.000063  # 1000 x 0.035 + 200 x 0.14 per 1M
    assert line["request_id"] == "req-42"


def test_lambda_handler_falls_back_to_the_environment_prompt(
    stubber: Stubber, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    monkeypatch.setenv("GENAI_PROMPT", "Summarize today's spend.")
    expect_converse(stubber, NOVA, "Summarize today's spend.")
    assert handler.lambda_handler({}, FakeContext())["answer"] == "Paris."


def test_lambda_handler_event_model_wins(stubber: Stubber, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    other = "us.amazon.nova-lite-v1:0"
    expect_converse(stubber, other, "hi", inferenceConfig={"maxTokens": 64})
    result = handler.lambda_handler({"prompt": "hi", "model_id": other, "max_tokens": 64}, None)
    assert result["model"] == other and result["request_id"] is None


def test_lambda_handler_without_a_prompt_raises_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    with pytest.raises(ConfigurationError, match="GENAI_PROMPT") as info:
        handler.lambda_handler({}, FakeContext())
    assert isinstance(info.value, GenAIObservabilityError)


def test_lambda_handler_without_a_model_raises_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="GENAI_MODEL_ID"):
        handler.lambda_handler({"prompt": "hi"}, FakeContext())


@pytest.mark.parametrize("bad", [0, -5, "10", True, 1.5])
def test_lambda_handler_rejects_a_bad_max_tokens(bad: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    with pytest.raises(ConfigurationError, match="max_tokens"):
        handler.lambda_handler({"prompt": "hi", "max_tokens": bad}, None)


def test_lambda_handler_rejects_a_non_string_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    with pytest.raises(ConfigurationError):
        handler.lambda_handler({"prompt": ["hi"]}, None)


def test_lambda_handler_logs_no_prompt_or_answer_by_default(
    stubber: Stubber, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    expect_converse(stubber, NOVA, "my secret question")
    handler.lambda_handler({"prompt": "my secret question"}, FakeContext())
    captured = capsys.readouterr()
    for text in ("my secret question", "Paris"):
        assert text not in captured.out and text not in captured.err


def test_lambda_handler_logs_content_when_opted_in(
    stubber: Stubber, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    monkeypatch.setenv("GENAI_LOG_CONTENT", "true")
    expect_converse(stubber, NOVA, "question")
    handler.lambda_handler({"prompt": "question"}, FakeContext())
    (line,) = lines_of(capsys.readouterr().out)
    assert line["prompt"] == "question" and line["response"] == "Paris."


def test_lambda_handler_records_and_reraises_bedrock_errors(
    stubber: Stubber, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    stubber.add_client_error(
        "converse",
        service_error_code="AccessDeniedException",
        http_status_code=403,
        expected_params={"modelId": NOVA, "messages": ANY},
    )
    with pytest.raises(ClientError):
        handler.lambda_handler({"prompt": "hi"}, FakeContext("req-err"))
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "error" and line["error_type"] == "AccessDeniedException"
    assert line["request_id"] == "req-err"


def test_lambda_handler_creates_one_client_per_container(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    created: list[Any] = []

    class FakeClient:
        def converse(self, **kwargs: Any) -> dict[str, Any]:
            return converse_response()

    def fake_client(service: str, **kwargs: Any) -> FakeClient:
        assert service == "bedrock-runtime"
        created.append(kwargs)
        return FakeClient()

    monkeypatch.setattr(boto3, "client", fake_client)
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    handler.set_client(None)
    try:
        handler.lambda_handler({"prompt": "a"}, None)
        handler.lambda_handler({"prompt": "b"}, None)
    finally:
        handler.set_client(None)
    assert len(created) == 1
    assert "genai-observability/" in created[0]["config"].user_agent_extra
