"""The readers by their own hooks, and the registry: a new shape is one module + one entry.

Each reader is driven as a transport drives it (``on_request`` -> ``on_success`` -> stream
events -> ``on_stream_end``), with no client and no transport; the last tests register a
reader for an operation nobody reads and see the botocore transport call it unchanged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import boto3
import genai_observability as obs
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from genai_observability.instrumentation import READERS
from genai_observability.instrumentation.call import PendingCall
from genai_observability.instrumentation.reader import Reader
from genai_observability.instrumentation.readers.invoke_stream import ANY_FAMILY, BODIES, body_of
from genai_observability.instrumentation.registry import BEDROCK_RUNTIME, ReaderRegistry
from support import LAMBDA_DIR, lines_of
from support.fake_bedrock import FakeEventStream, chunk, converse_stream_events

NOVA = "amazon.nova-micro-v1:0"
HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
MESSAGES = [{"role": "user", "content": [{"text": "What is 2+2?"}]}]


def read(operation: str, params: Mapping[str, Any], response: Any) -> tuple[PendingCall, Any]:
    """Drive the reader of ``operation`` through its request and success hooks."""
    reader = READERS.find(BEDROCK_RUNTIME, operation)
    assert reader is not None
    call = PendingCall(reader.operation, {})
    reader.on_request(call, params)
    return call, reader.on_success(call, response)


def test_converse_reader_reads_usage_and_what_the_response_states() -> None:
    usage = {
        "inputTokens": 50,
        "outputTokens": 400,
        "cacheReadInputTokens": 1000,
        "cacheWriteInputTokens": 300,
        "cacheDetails": [{"ttl": "1h", "inputTokens": 200}, {"ttl": "5m", "inputTokens": 100}],
    }
    response = {
        "output": {"message": {"role": "assistant", "content": [{"text": "4"}]}},
        "usage": usage,
        "stopReason": "max_tokens",
        "serviceTier": {"type": "priority"},
        "performanceConfig": {"latency": "optimized"},
    }
    call, returned = read("Converse", {"modelId": HAIKU, "messages": MESSAGES}, response)
    assert returned is response and not call.watched
    assert (call.operation, call.model) == ("converse", HAIKU)
    assert call.usage == {
        "input_tokens": 50,
        "output_tokens": 400,
        "cache_read_tokens": 1000,
        "cache_write_tokens": 300,
    }
    assert call.facts == {
        "stop_reason": "max_tokens",
        "service_tier": "priority",
        "latency_mode": "optimized",
        "cache_write_1h_tokens": 200,
    }
    assert call.prompt is None and call.answer is None  # no content unless opted in


def test_converse_reader_keeps_prompt_and_answer_when_content_is_opted_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GENAI_LOG_CONTENT", "yes")
    response = {"output": {"message": {"content": [{"text": "four"}]}}, "usage": {}}
    call, _ = read("Converse", {"modelId": NOVA, "messages": MESSAGES}, response)
    assert call.prompt == "What is 2+2?" and call.answer == ["four"]


def test_reader_on_error_means_nothing_billed_and_the_line_says_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    reader = READERS.find(BEDROCK_RUNTIME, "Converse")
    assert reader is not None
    call = PendingCall(reader.operation, {"team": "search"})
    reader.on_request(call, {"modelId": NOVA})
    error = ClientError({"Error": {"Code": "ThrottlingException"}}, "Converse")
    reader.on_error(call, error)
    call.finish(error)
    call.finish(error)  # once only
    (line,) = lines_of(capsys.readouterr().out)
    assert (line["input_tokens"], line["output_tokens"], line["cost_usd"]) == (0, 0, 0.0)
    assert line["error_type"] == "ThrottlingException" and line["team"] == "search"


def test_converse_stream_reader_watches_the_stream_and_finishes_at_its_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    usage = {"inputTokens": 30, "outputTokens": 6, "cacheWriteInputTokens": 2}
    fake = FakeEventStream(converse_stream_events(usage))
    call, response = read("ConverseStream", {"modelId": NOVA}, {"stream": fake})
    assert call.watched and response["stream"] is not fake
    assert list(response["stream"]) == fake.events
    assert call.usage == {
        "input_tokens": 30,
        "output_tokens": 6,
        "cache_read_tokens": None,
        "cache_write_tokens": 2,
    }
    assert call.facts["stop_reason"] == "end_turn" and call.facts["ttft_ms"] >= 0
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse_stream" and line["cache_write_tokens"] == 2


def test_converse_stream_reader_without_a_stream_finishes_with_the_call() -> None:
    call, response = read("ConverseStream", {"modelId": NOVA}, {"ResponseMetadata": {}})
    assert not call.watched and response == {"ResponseMetadata": {}}


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {
                "x-amzn-bedrock-input-token-count": "21",
                "x-amzn-bedrock-output-token-count": "8",
                "x-amzn-bedrock-cache-read-input-token-count": "3",
                "x-amzn-bedrock-service-tier": "flex",
            },
            ((21, 8, 3, None), {"service_tier": "flex"}),
        ),
        (  # an embedding model states no output tokens: 0, not unknown
            {"x-amzn-bedrock-input-token-count": "7"},
            ((7, 0, None, None), {}),
        ),
        ({"x-amzn-bedrock-input-token-count": "many"}, ((None, None, None, None), {})),
    ],
)
def test_invoke_model_reader_reads_the_token_headers(
    headers: dict[str, str], expected: tuple[tuple[Any, ...], dict[str, str]]
) -> None:
    response = {"body": object(), "ResponseMetadata": {"HTTPHeaders": headers}}
    call, returned = read("InvokeModel", {"modelId": NOVA, "body": b"{}"}, response)
    assert returned is response and call.operation == "invoke_model"
    assert call.usage is not None and tuple(call.usage.values()) == expected[0]
    assert call.facts == expected[1]


def _metrics(inputs: int, outputs: int) -> dict[str, Any]:
    return {
        "amazon-bedrock-invocationMetrics": {"inputTokenCount": inputs, "outputTokenCount": outputs}
    }


# Each family's chunks as Bedrock streams them: a preamble (or none), content, the stop.
FAMILIES = {
    "anthropic.claude-haiku-4-5-20251001-v1:0": [
        {"type": "message_start", "message": {"role": "assistant"}},
        {"type": "content_block_start", "index": 0},
        {"type": "content_block_delta", "delta": {"text": "4"}},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn"}},
        {"type": "message_stop", **_metrics(40, 9)},
    ],
    "us.amazon.nova-lite-v1:0": [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockDelta": {"delta": {"text": "4"}}},
        {"messageStop": {"stopReason": "end_turn"}},
        {"metadata": {"usage": {}}, **_metrics(40, 9)},
    ],
    "amazon.titan-text-express-v1": [
        {"outputText": "4", "index": 0},
        {"outputText": "", "completionReason": "FINISH", **_metrics(40, 9)},
    ],
    "meta.llama3-8b-instruct-v1:0": [
        {"generation": "4", "stop_reason": None},
        {"generation": "", "stop_reason": "stop", **_metrics(40, 9)},
    ],
    "mistral.mistral-large-2407-v1:0": [
        {"outputs": [{"text": "4", "stop_reason": None}]},
        {"outputs": [{"text": "", "stop_reason": "stop"}], **_metrics(40, 9)},
    ],
    "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc": [
        {"choices": [{"delta": {"content": "4"}}]},
        {"choices": [{"finish_reason": "length"}], **_metrics(40, 9)},
    ],
}
STOPS = ["end_turn", "end_turn", "FINISH", "stop", "stop", "length"]


@pytest.mark.parametrize(("model", "stop"), list(zip(FAMILIES, STOPS, strict=True)), ids=str)
def test_invoke_stream_reader_reads_each_model_familys_chunks(model: str, stop: str) -> None:
    events = [chunk(body) for body in FAMILIES[model]]
    call, response = read("InvokeModelWithResponseStream", {"modelId": model}, {"body": events})
    assert list(response["body"]) == events
    assert call.operation == "invoke_model_with_response_stream"
    usage = call.usage or {}
    assert (usage["input_tokens"], usage["output_tokens"]) == (40, 9)
    assert call.facts["stop_reason"] == stop and call.facts["ttft_ms"] >= 0


def test_invoke_stream_reader_picks_the_body_by_model_family() -> None:
    assert body_of(HAIKU) is BODIES["anthropic."]
    assert (
        body_of("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0")
        is BODIES["amazon.nova"]
    )
    assert body_of("arn:aws:bedrock:us-east-1:1:application-inference-profile/x") is ANY_FAMILY
    assert body_of(None) is ANY_FAMILY
    # a preamble chunk is no first token; content is
    assert not BODIES["anthropic."].starts_content(b'{"type":"message_start"}')
    assert ANY_FAMILY.starts_content(b'{"outputText":"4"}')


# -- the registry ---------------------------------------------------------------------------


def test_registry_loads_a_reader_module_on_its_first_lookup_only() -> None:
    registry = ReaderRegistry({("api", "Converse"): "converse"})
    assert registry.operations("api") == ["Converse"] and registry.operations("other") == []
    reader = registry.find("api", "Converse")
    assert reader is READERS.find(BEDROCK_RUNTIME, "Converse")
    assert registry.find("api", "Converse") is reader
    assert registry.find("api", "Nothing") is None and registry.find(None, "Converse") is None
    registry.unregister("api", "Converse")
    assert registry.find("api", "Converse") is None


class MadeUpReader(Reader):
    """A reader of a shape nobody reads: notes every hook it gets."""

    operation = "made_up"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def on_request(self, call: PendingCall, params: Mapping[str, Any]) -> None:
        self.seen.append("request")
        call.model = params.get("Model", "made-up-model")

    def on_success(self, call: PendingCall, response: Any) -> Any:
        self.seen.append("success")
        call.set_usage(1, 2)
        call.put("stop_reason", "made_up")
        return response


@pytest.fixture
def made_up() -> Iterator[MadeUpReader]:
    reader = MadeUpReader()
    READERS.register("sts", "GetCallerIdentity", reader)
    READERS.register(BEDROCK_RUNTIME, "MadeUp", reader)
    yield reader
    READERS.unregister("sts", "GetCallerIdentity")
    READERS.unregister(BEDROCK_RUNTIME, "MadeUp")
    obs.uninstrument_all()


def test_a_new_reader_is_called_by_the_botocore_transport_unchanged(
    made_up: MadeUpReader, capsys: pytest.CaptureFixture[str]
) -> None:
    sts = boto3.client(
        "sts", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    obs.instrument_all(service="made")
    with Stubber(sts) as stubber:
        stubber.add_response("get_caller_identity", {"Account": "111122223333"})
        assert sts.get_caller_identity()["Account"] == "111122223333"
    (line,) = lines_of(capsys.readouterr().out)
    assert made_up.seen == ["request", "success"]
    assert (line["operation"], line["model"], line["service"]) == (
        "made_up",
        "made-up-model",
        "made",
    )
    assert (line["input_tokens"], line["output_tokens"], line["stop_reason"]) == (1, 2, "made_up")


def test_a_new_reader_is_called_for_a_client_passed_to_instrument(
    made_up: MadeUpReader, capsys: pytest.CaptureFixture[str]
) -> None:
    class Client:
        def made_up(self, **kwargs: Any) -> dict[str, Any]:
            return {"ok": True}

    client = obs.instrument(Client())
    assert client.made_up(Model="m-1") == {"ok": True}
    (line,) = lines_of(capsys.readouterr().out)
    assert (line["operation"], line["model"]) == ("made_up", "m-1")


LAZY = """
import json
import sys
import genai_observability as obs
obs.instrument_all()
loaded = sorted(m for m in sys.modules if m.startswith("genai_observability.instrumentation."))
print(json.dumps(loaded))
"""


def test_instrument_all_loads_no_transport_and_no_reader_before_the_library() -> None:
    env = {**os.environ, "PYTHONPATH": str(LAMBDA_DIR)}
    proc = subprocess.run(
        [sys.executable, "-c", LAZY], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout)
    assert not [m for m in loaded if ".readers" in m or ".transports." in m or m.endswith(".call")]
