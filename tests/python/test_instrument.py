"""instrument(): one line per Bedrock Runtime call, errors recorded and re-raised unchanged."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator
from typing import Any

import boto3
import genai_observability as obs
import pytest
from botocore.exceptions import ClientError, ParamValidationError
from botocore.response import StreamingBody
from botocore.stub import Stubber
from genai_observability import ConfigurationError, instrumentation
from support import lines_of
from support.fake_bedrock import (
    FakeEventStream,
    FakeRuntime,
    chunk,
    converse_stream_events,
)

NOVA = "amazon.nova-micro-v1:0"
HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
MESSAGES = [{"role": "user", "content": [{"text": "What is 2+2?"}]}]


def converse_response(usage: dict[str, int] | None = None, text: str = "4") -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": "end_turn",
        "usage": usage or {"inputTokens": 12, "outputTokens": 3, "totalTokens": 15},
        "metrics": {"latencyMs": 120},
    }


@pytest.fixture
def client() -> Any:
    return boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def stubbed(client: Any) -> Iterator[tuple[Any, Stubber]]:
    stubber = Stubber(client)
    with stubber:
        yield obs.instrument(client), stubber
    stubber.assert_no_pending_responses()


def _usage_has_cache_members(client: Any) -> bool:
    shape = client.meta.service_model.operation_model("Converse").output_shape
    return "cacheReadInputTokens" in shape.members["usage"].members


def test_instrument_converse_records_tokens_latency_and_cost(
    stubbed: tuple[Any, Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    bedrock, stubber = stubbed
    expected = converse_response()
    stubber.add_response("converse", expected, {"modelId": NOVA, "messages": MESSAGES})
    response = bedrock.converse(modelId=NOVA, messages=MESSAGES)
    assert response["output"] == expected["output"]
    (line,) = lines_of(capsys.readouterr().out)
    assert line["model"] == NOVA and line["operation"] == "converse"
    assert (line["input_tokens"], line["output_tokens"]) == (12, 3)
    assert line["status"] == "ok" and line["pricing"] == "catalog"
    assert line["cost_usd"] == obs.cost_usd(NOVA, 12, 3)
    assert 0 <= line["latency_ms"] < 5000


def test_instrument_converse_records_cache_tokens(
    client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    if not _usage_has_cache_members(client):
        pytest.skip("this botocore has no cache members in Converse usage")
    usage = {
        "inputTokens": 100,
        "outputTokens": 10,
        "totalTokens": 2110,
        "cacheReadInputTokens": 1500,
        "cacheWriteInputTokens": 500,
    }
    with Stubber(client) as stubber:
        stubber.add_response("converse", converse_response(usage))
        obs.instrument(client).converse(modelId=HAIKU, messages=MESSAGES)
    (line,) = lines_of(capsys.readouterr().out)
    assert (line["cache_read_tokens"], line["cache_write_tokens"]) == (1500, 500)
    assert line["cost_usd"] == obs.cost_usd(HAIKU, 100, 10, 1500, 500)


@pytest.mark.parametrize(
    ("method", "code", "status", "kwargs"),
    [
        ("converse", "ThrottlingException", 429, {"messages": MESSAGES}),
        ("invoke_model", "ValidationException", 400, {"body": b"{}"}),
    ],
)
def test_instrument_records_service_errors_and_reraises_them_unchanged(
    stubbed: tuple[Any, Stubber],
    capsys: pytest.CaptureFixture[str],
    method: str,
    code: str,
    status: int,
    kwargs: dict[str, Any],
) -> None:
    bedrock, stubber = stubbed
    stubber.add_client_error(method, service_error_code=code, http_status_code=status)
    with pytest.raises(ClientError) as info:
        getattr(bedrock, method)(modelId=NOVA, **kwargs)
    assert info.value.response["Error"]["Code"] == code
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "error" and line["error_type"] == code
    assert line["operation"] == method
    assert line["input_tokens"] == 0 and line["cost_usd"] == 0.0


def test_instrument_records_client_side_errors(
    client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    bedrock = obs.instrument(client)  # botocore validates parameters before any request
    with pytest.raises(ParamValidationError):
        bedrock.converse(modelId=NOVA, messages="not a list")
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "error" and line["error_type"] == "ParamValidationError"


def test_instrument_invoke_model_reads_token_headers(
    stubbed: tuple[Any, Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    bedrock, stubber = stubbed
    body = b'{"output": "4"}'
    stubber.add_response(
        "invoke_model",
        {
            "body": StreamingBody(io.BytesIO(body), len(body)),
            "contentType": "application/json",
            "ResponseMetadata": {
                "HTTPHeaders": {
                    "x-amzn-bedrock-input-token-count": "21",
                    "x-amzn-bedrock-output-token-count": "8",
                    "x-amzn-bedrock-cache-read-input-token-count": "0",
                }
            },
        },
    )
    response = bedrock.invoke_model(modelId=NOVA, body=b"{}")
    assert response["body"].read() == body
    (line,) = lines_of(capsys.readouterr().out)
    assert (line["input_tokens"], line["output_tokens"]) == (21, 8)
    assert line["operation"] == "invoke_model" and line["cost_usd"] == obs.cost_usd(NOVA, 21, 8)


def test_instrument_invoke_model_without_headers_has_unknown_usage(
    stubbed: tuple[Any, Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    bedrock, stubber = stubbed
    stubber.add_response(
        "invoke_model",
        {"body": StreamingBody(io.BytesIO(b"{}"), 2), "contentType": "application/json"},
    )
    bedrock.invoke_model(modelId=NOVA, body=b"{}")
    (line,) = lines_of(capsys.readouterr().out)
    assert line["usage_unknown"] is True and line["cost_usd"] is None


def test_instrument_is_idempotent(
    stubbed: tuple[Any, Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    bedrock, stubber = stubbed
    assert obs.instrument(bedrock) is bedrock
    stubber.add_response("converse", converse_response())
    bedrock.converse(modelId=NOVA, messages=MESSAGES)
    assert len(lines_of(capsys.readouterr().out)) == 1


def test_instrument_leaves_other_clients_of_the_class_alone(
    client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    other = boto3.client(
        "bedrock-runtime", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    obs.instrument(client)
    with Stubber(other) as stubber:
        stubber.add_response("converse", converse_response())
        other.converse(modelId=NOVA, messages=MESSAGES)
    assert capsys.readouterr().out == ""


def test_instrument_service_and_attributes_go_on_every_line(
    client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    with Stubber(client) as stubber:
        stubber.add_response("converse", converse_response())
        obs.instrument(client, service="search", team="ranking").converse(
            modelId=NOVA, messages=MESSAGES
        )
    (line,) = lines_of(capsys.readouterr().out)
    assert line["service"] == "search" and line["team"] == "ranking"


def test_instrument_rejects_attributes_that_replace_line_keys(client: Any) -> None:
    with pytest.raises(ConfigurationError):
        obs.instrument(client, cost_usd=0)


def test_instrument_rejects_objects_that_are_not_runtime_clients() -> None:
    with pytest.raises(ConfigurationError) as info:
        obs.instrument(object())
    assert isinstance(info.value, obs.GenAIObservabilityError)


def test_instrument_logs_no_content_by_default(
    stubbed: tuple[Any, Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    bedrock, stubber = stubbed
    stubber.add_response("converse", converse_response(text="secret answer"))
    bedrock.converse(modelId=NOVA, messages=MESSAGES)
    out = capsys.readouterr().out
    assert "secret answer" not in out and "2+2" not in out


def test_instrument_logs_content_when_opted_in(
    stubbed: tuple[Any, Stubber],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GENAI_LOG_CONTENT", "true")
    bedrock, stubber = stubbed
    stubber.add_response("converse", converse_response(text="four"))
    bedrock.converse(modelId=NOVA, messages=MESSAGES)
    (line,) = lines_of(capsys.readouterr().out)
    assert line["prompt"] == "What is 2+2?" and line["response"] == "four"


# --- streams: botocore's EventStream is an iterable of event dicts with close() ---------


USAGE = {"inputTokens": 30, "outputTokens": 6, "totalTokens": 36, "cacheReadInputTokens": 0}


def instrumented_stream(fake: FakeEventStream, model: str = NOVA, invoke: bool = False) -> Any:
    """The stream of an instrumented converse_stream (or invoke_model_with_response_stream)
    call answered by ``fake``."""
    client = obs.instrument(FakeRuntime(fake))
    if invoke:
        return client.invoke_model_with_response_stream(modelId=model, body=b"{}")["body"]
    return client.converse_stream(modelId=model, messages=MESSAGES)["stream"]


def test_converse_stream_records_once_when_exhausted(capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeEventStream(converse_stream_events(USAGE))
    bedrock = obs.instrument(FakeRuntime(fake))
    response = bedrock.converse_stream(modelId=NOVA, messages=MESSAGES)
    assert capsys.readouterr().out == ""  # nothing before the stream is read
    events = list(response["stream"])
    assert events == fake.events
    response["stream"].close()
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse_stream" and line["status"] == "ok"
    assert (line["input_tokens"], line["output_tokens"]) == (30, 6)
    assert line["cost_usd"] == obs.cost_usd(NOVA, 30, 6)
    assert "response" not in line


def test_converse_stream_closed_early_records_once_with_unknown_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = FakeEventStream(converse_stream_events(USAGE))
    stream = instrumented_stream(fake)
    for _ in stream:
        break
    stream.close()
    stream.close()
    assert fake.closed
    (line,) = lines_of(capsys.readouterr().out)
    assert line["usage_unknown"] is True and line["cost_usd"] is None
    assert line["status"] == "ok"


def test_converse_stream_dropped_unread_is_recorded_when_collected(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = FakeEventStream(converse_stream_events(USAGE))
    response = obs.instrument(FakeRuntime(fake)).converse_stream(modelId=NOVA, messages=MESSAGES)
    del response
    gc.collect()
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse_stream" and line["usage_unknown"] is True


def test_converse_stream_error_mid_stream_is_recorded_and_reraised(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = FakeEventStream(converse_stream_events(USAGE), fail_at=2)
    stream = instrumented_stream(fake)
    with pytest.raises(ClientError) as info:
        list(stream)
    assert info.value.response["Error"]["Code"] == "ModelStreamErrorException"
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "error" and line["error_type"] == "ModelStreamErrorException"


def test_converse_stream_wrapper_delegates_other_attributes() -> None:
    fake = FakeEventStream([])
    stream = instrumented_stream(fake)
    assert stream.get_initial_response() == {"initial": True}
    stream.close()


def test_converse_stream_logs_content_when_opted_in(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_LOG_CONTENT", "TRUE")
    fake = FakeEventStream(converse_stream_events(USAGE))
    stream = instrumented_stream(fake)
    list(stream)
    (line,) = lines_of(capsys.readouterr().out)
    assert line["prompt"] == "What is 2+2?" and line["response"] == "The answer is 4."


def test_invoke_model_with_response_stream_reads_invocation_metrics(
    capsys: pytest.CaptureFixture[str],
) -> None:
    events = [
        chunk({"type": "content_block_delta", "delta": {"text": "4"}}),
        chunk(
            {
                "type": "message_stop",
                "amazon-bedrock-invocationMetrics": {
                    "inputTokenCount": 40,
                    "outputTokenCount": 9,
                    "invocationLatency": 500,
                    "firstByteLatency": 100,
                },
            }
        ),
    ]
    body = instrumented_stream(FakeEventStream(events), HAIKU, invoke=True)
    assert list(body) == events
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "invoke_model_with_response_stream"
    assert (line["input_tokens"], line["output_tokens"]) == (40, 9)
    assert line["model"] == HAIKU and line["cost_usd"] == obs.cost_usd(HAIKU, 40, 9)


def test_stream_observer_never_breaks_iteration(capsys: pytest.CaptureFixture[str]) -> None:
    events = [{"chunk": {"bytes": b"amazon-bedrock-invocationMetrics but not json"}}, 42, None]
    body = instrumented_stream(FakeEventStream(events), invoke=True)
    assert list(body) == events
    (line,) = lines_of(capsys.readouterr().out)
    assert line["usage_unknown"] is True


def test_last_event_is_the_line_just_recorded(
    stubbed: tuple[Any, Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    bedrock, stubber = stubbed
    instrumentation.clear_last_event()
    assert instrumentation.last_event() is None
    stubber.add_response("converse", converse_response())
    bedrock.converse(modelId=NOVA, messages=MESSAGES)
    (line,) = lines_of(capsys.readouterr().out)
    assert instrumentation.last_event() == line
