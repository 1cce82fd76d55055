"""instrument_all(): every bedrock-runtime client of the process, over real HTTP.

Every call here goes through botocore's whole stack to the fake Bedrock Runtime endpoint
(tests/support/fake_bedrock.py) on 127.0.0.1, reached through
``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``; the clients are created the ways agent frameworks
create theirs (Strands Agents, langchain-aws, LlamaIndex), before and after the patch.
"""

from __future__ import annotations

import functools
import gc
import io
import json
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.client
import genai_observability as obs
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError
from botocore.stub import Stubber
from genai_observability import ConfigurationError, instrumentation
from genai_observability.instrumentation.transports import botocore as botocore_transport
from support import lines_of
from support.fake_bedrock import FakeBedrock, Reply, bedrock_env
from support.recorded import failed_call, retried_once

NOVA = "amazon.nova-micro-v1:0"
HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
MESSAGES = [{"role": "user", "content": [{"text": "What is 2+2?"}]}]
ORIGINAL_MAKE_API_CALL = botocore.client.BaseClient._make_api_call


@pytest.fixture(scope="module")
def server() -> Iterator[FakeBedrock]:
    with FakeBedrock() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeBedrock, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBedrock]:
    """The running fake endpoint, reset, with every new client pointed at it."""
    server.reset()
    bedrock_env(monkeypatch, server.url)
    yield server
    obs.uninstrument_all()
    assert botocore.client.BaseClient._make_api_call is ORIGINAL_MAKE_API_CALL


# -- clients the way frameworks make them (mimicking their code, without the frameworks) -----


def strands_client(boto_session: Any = None) -> Any:
    """strands.models.bedrock.BedrockModel.__init__: session.client("bedrock-runtime", ...)."""
    session = boto_session or boto3.Session()
    config = Config(user_agent_extra="strands-agents", read_timeout=120)
    return session.client(
        service_name="bedrock-runtime", config=config, endpoint_url=None, region_name=None
    )


def langchain_client() -> Any:
    """langchain_aws.utils.create_aws_client: boto3.Session(**kw).client(service, **params)."""
    session = boto3.Session(region_name="us-east-1")
    return session.client("bedrock-runtime", region_name="us-east-1", config=Config())


def llamaindex_client() -> Any:
    """llama_index.llms.bedrock_converse: a Session's client with retries and timeouts."""
    session = boto3.Session(region_name="us-east-1")
    config = Config(
        retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=60, read_timeout=60
    )
    return session.client("bedrock-runtime", config=config)


def no_retries_client() -> Any:
    return boto3.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))


def retry_decorator(fn: Any) -> Any:
    """A framework's own wrapper around the client's method (like LlamaIndex's tenacity)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


def drain(response: dict[str, Any], key: str = "stream") -> list[Any]:
    return list(response[key])


# -- one line per call, whatever made the client --------------------------------------------


def test_instrument_all_records_clients_created_before_and_after(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    before = strands_client()
    assert obs.instrument_all() is True
    after = strands_client(boto3.Session(region_name="us-east-1"))
    for client in (before, after):
        events = drain(client.converse_stream(modelId=NOVA, messages=MESSAGES))
        assert any("metadata" in e for e in events)
    lines = lines_of(capsys.readouterr().out)
    assert len(lines) == 2
    for line in lines:
        assert line["operation"] == "converse_stream" and line["status"] == "ok"
        assert (line["input_tokens"], line["output_tokens"]) == (12, 3)
        assert line["cost_usd"] == obs.cost_usd(NOVA, 12, 3) and line["pricing"] == "catalog"
        assert 0 < line["ttft_ms"] <= line["latency_ms"]
        assert line["stop_reason"] == "end_turn"
    assert [r.operation for r in fake.requests] == ["ConverseStream", "ConverseStream"]
    assert all("strands-agents" in r.headers["user-agent"] for r in fake.requests)


def test_instrument_all_records_langchain_style_converse_and_stream(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all(service="support-bot")
    client = langchain_client()
    fake.push(Reply(input_tokens=100, output_tokens=20))
    response = client.converse(modelId=HAIKU, messages=MESSAGES)
    assert response["output"]["message"]["content"] == [{"text": "2 plus 2 is 4"}]
    text = [
        e["contentBlockDelta"]["delta"]["text"]
        for e in drain(client.converse_stream(modelId=HAIKU, messages=MESSAGES))
        if "contentBlockDelta" in e
    ]
    assert "".join(text) == "2 plus 2 is 4"  # the stream is handed back whole
    first, second = lines_of(capsys.readouterr().out)
    assert first["operation"] == "converse" and "ttft_ms" not in first
    assert (first["input_tokens"], first["output_tokens"]) == (100, 20)
    assert first["cost_usd"] == obs.cost_usd(HAIKU, 100, 20)
    assert second["operation"] == "converse_stream" and second["ttft_ms"] > 0
    assert {first["service"], second["service"]} == {"support-bot"}


def test_instrument_all_records_llamaindex_style_calls_wrapped_again(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    client = llamaindex_client()
    obs.instrument_all()
    converse = retry_decorator(retry_decorator(client.converse))
    converse(modelId=NOVA, messages=MESSAGES)
    body = json.dumps({"messages": MESSAGES}).encode()
    response = client.invoke_model(modelId=NOVA, body=body)
    assert json.loads(response["body"].read())["stop_reason"] == "end_turn"
    first, second = lines_of(capsys.readouterr().out)
    assert first["operation"] == "converse" and second["operation"] == "invoke_model"
    assert (second["input_tokens"], second["output_tokens"]) == (12, 3)
    assert second["cost_usd"] == obs.cost_usd(NOVA, 12, 3)


def test_instrument_all_records_each_logical_call_once_across_retries(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    retried_once(
        fake, capsys, lambda: llamaindex_client().converse(modelId=NOVA, messages=MESSAGES)
    )


def test_instrument_all_records_throttling_and_reraises_it_unchanged(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    throttled = Reply(error="ThrottlingException", status=429)
    caught, line = failed_call(
        fake,
        capsys,
        lambda: no_retries_client().converse(modelId=NOVA, messages=MESSAGES),
        ClientError,
        throttled,
    )
    response = caught.value.response
    assert response["Error"]["Code"] == "ThrottlingException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert (line["input_tokens"], line["output_tokens"]) == (0, 0)


def test_instrument_all_records_an_error_in_the_middle_of_a_stream(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(Reply(stream_error="modelStreamErrorException"))
    response = no_retries_client().converse_stream(modelId=NOVA, messages=MESSAGES)
    with pytest.raises(EventStreamError):
        drain(response)
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "error" and line["error_type"] == "modelStreamErrorException"
    assert line["ttft_ms"] > 0  # the first delta arrived before the error


# -- the facts of the response ---------------------------------------------------------------


def test_instrument_all_converse_carries_tier_latency_mode_stop_reason_and_1h_writes(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(
        Reply(
            input_tokens=50,
            output_tokens=400,
            cache_read_tokens=1000,
            cache_write_tokens=300,
            cache_details=[{"ttl": "1h", "inputTokens": 200}, {"ttl": "5m", "inputTokens": 100}],
            stop_reason="max_tokens",
            service_tier="priority",
            latency_mode="optimized",
        )
    )
    boto3.client("bedrock-runtime").converse(modelId=HAIKU, messages=MESSAGES)
    (line,) = lines_of(capsys.readouterr().out)
    assert (line["cache_read_tokens"], line["cache_write_tokens"]) == (1000, 300)
    assert line["cache_write_1h_tokens"] == 200
    assert line["stop_reason"] == "max_tokens"
    assert line["service_tier"] == "priority" and line["latency_mode"] == "optimized"
    assert "ttft_ms" not in line


def test_instrument_all_converse_leaves_out_facts_the_response_does_not_state(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    boto3.client("bedrock-runtime").converse(modelId=NOVA, messages=MESSAGES)
    (line,) = lines_of(capsys.readouterr().out)
    for key in ("service_tier", "latency_mode", "cache_write_1h_tokens", "ttft_ms"):
        assert key not in line or line[key] is None


def test_instrument_all_converse_stream_takes_tier_from_metadata_and_ttft_from_first_delta(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(Reply(service_tier="flex", first_token_delay_s=0.2, stop_reason="end_turn"))
    drain(boto3.client("bedrock-runtime").converse_stream(modelId=NOVA, messages=MESSAGES))
    (line,) = lines_of(capsys.readouterr().out)
    assert line["service_tier"] == "flex"
    assert 200 <= line["ttft_ms"] <= line["latency_ms"]


def test_instrument_all_invoke_model_reads_token_and_tier_headers(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(Reply(input_tokens=40, output_tokens=8, cache_read_tokens=5, service_tier="flex"))
    boto3.client("bedrock-runtime").invoke_model(modelId=HAIKU, body=b"{}")
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "invoke_model"
    assert (line["input_tokens"], line["output_tokens"], line["cache_read_tokens"]) == (40, 8, 5)
    assert line["service_tier"] == "flex" and "ttft_ms" not in line


def test_instrument_all_invoke_model_without_token_headers_has_unknown_usage(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(Reply(omit_usage_headers=True))
    boto3.client("bedrock-runtime").invoke_model(modelId=NOVA, body=b"{}")
    (line,) = lines_of(capsys.readouterr().out)
    assert line["usage_unknown"] is True and line["cost_usd"] is None


def test_instrument_all_invoke_model_stream_reads_metrics_stop_reason_and_ttft(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(
        Reply(
            input_tokens=70,
            output_tokens=9,
            stop_reason="stop_sequence",
            service_tier="priority",
            first_token_delay_s=0.1,
        )
    )
    response = boto3.client("bedrock-runtime").invoke_model_with_response_stream(
        modelId=HAIKU, body=b"{}"
    )
    chunks = [json.loads(e["chunk"]["bytes"]) for e in drain(response, "body")]
    assert chunks[0]["type"] == "message_start"
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "invoke_model_with_response_stream"
    assert (line["input_tokens"], line["output_tokens"]) == (70, 9)
    # Priority has no published price for Haiku 4.5: unpriced, never the standard price.
    assert line["cost_usd"] is None and line["pricing"] == "unknown"
    assert line["stop_reason"] == "stop_sequence" and line["service_tier"] == "priority"
    assert 100 <= line["ttft_ms"] <= line["latency_ms"]


# -- bad input and the edges ------------------------------------------------------------------


def test_instrument_all_twice_changes_nothing(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert obs.instrument_all() is True
    patched = botocore.client.BaseClient._make_api_call
    assert obs.instrument_all(service="ignored") is False
    assert botocore.client.BaseClient._make_api_call is patched
    boto3.client("bedrock-runtime").converse(modelId=NOVA, messages=MESSAGES)
    (line,) = lines_of(capsys.readouterr().out)
    assert line["service"] != "ignored"


def test_uninstrument_all_without_instrument_all_is_a_no_op(fake: FakeBedrock) -> None:
    assert obs.uninstrument_all() is False
    assert botocore.client.BaseClient._make_api_call is ORIGINAL_MAKE_API_CALL


def test_uninstrument_all_stops_recording_and_restores_botocore(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    client = boto3.client("bedrock-runtime")
    obs.instrument_all()
    assert obs.uninstrument_all() is True
    assert botocore.client.BaseClient._make_api_call is ORIGINAL_MAKE_API_CALL
    assert obs.uninstrument_all() is False
    client.converse(modelId=NOVA, messages=MESSAGES)
    assert capsys.readouterr().out == ""
    assert obs.instrument_all() is True  # and it can be switched on again
    client.converse(modelId=NOVA, messages=MESSAGES)
    assert len(lines_of(capsys.readouterr().out)) == 1


def test_uninstrument_all_under_another_tools_patch_passes_through(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    obs.instrument_all()
    ours = botocore.client.BaseClient._make_api_call
    seen: list[str] = []

    def other_tool(self: Any, operation_name: str, api_params: Any) -> Any:
        seen.append(operation_name)
        return ours(self, operation_name, api_params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", other_tool)
    assert obs.uninstrument_all() is True
    assert botocore.client.BaseClient._make_api_call is other_tool  # the other tool stays
    boto3.client("bedrock-runtime").converse(modelId=NOVA, messages=MESSAGES)
    assert seen == ["Converse"] and capsys.readouterr().out == ""
    assert obs.instrument_all() is True
    boto3.client("bedrock-runtime").converse(modelId=NOVA, messages=MESSAGES)
    assert len(lines_of(capsys.readouterr().out)) == 1
    obs.uninstrument_all()
    monkeypatch.undo()  # puts back our first (now idle) patch, which the next one unwraps
    assert obs.instrument_all() is True
    assert botocore_transport.PATCH.original is ORIGINAL_MAKE_API_CALL


def test_instrument_all_and_instrument_on_one_client_give_one_line(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    client = obs.instrument(boto3.client("bedrock-runtime"), service="own", team="search")
    obs.instrument_all(service="process")
    obs.instrument(client)  # a framework instruments it again
    client.converse(modelId=NOVA, messages=MESSAGES)
    drain(client.converse_stream(modelId=NOVA, messages=MESSAGES))
    retry_decorator(client.invoke_model)(modelId=NOVA, body=b"{}")
    lines = lines_of(capsys.readouterr().out)
    assert [line["operation"] for line in lines] == [
        "converse",
        "converse_stream",
        "invoke_model",
    ]
    assert {line["service"] for line in lines} == {"own"}  # the client's own label wins
    assert {line["team"] for line in lines} == {"search"}


def test_instrument_all_stream_never_read_is_recorded_once_when_dropped(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    client = boto3.client("bedrock-runtime")
    response = client.converse_stream(modelId=NOVA, messages=MESSAGES)
    assert capsys.readouterr().out == ""
    del response
    gc.collect()
    (line,) = lines_of(capsys.readouterr().out)
    assert line["operation"] == "converse_stream" and line["usage_unknown"] is True
    assert line["cost_usd"] is None and "ttft_ms" not in line
    stream = client.converse_stream(modelId=NOVA, messages=MESSAGES)["stream"]
    stream.close()
    stream.close()
    (line,) = lines_of(capsys.readouterr().out)
    assert line["usage_unknown"] is True


def test_instrument_all_leaves_other_services_untouched(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    s3 = boto3.client("s3", region_name="us-east-1")
    with Stubber(s3) as stubber:
        expected = {"Body": io.BytesIO(b"data"), "ContentLength": 4}
        stubber.add_response("get_object", expected, {"Bucket": "b", "Key": "k"})
        response = s3.get_object(Bucket="b", Key="k")
    assert response["Body"].read() == b"data"
    bedrock = boto3.client("bedrock")  # the control plane is another service
    with Stubber(bedrock) as stubber:
        stubber.add_response("list_foundation_models", {"modelSummaries": []}, {})
        assert bedrock.list_foundation_models()["modelSummaries"] == []
    assert capsys.readouterr().out == ""


def test_instrument_all_rejects_attributes_that_replace_line_keys(fake: FakeBedrock) -> None:
    for key in ("model", "cost_usd", "ttft_ms", "service_tier", "prompt"):
        with pytest.raises(ConfigurationError, match="would replace line keys"):
            obs.instrument_all(**{key: "x"})
    assert botocore.client.BaseClient._make_api_call is ORIGINAL_MAKE_API_CALL


def test_instrument_all_is_thread_safe(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def switch_on() -> None:
        barrier.wait()
        results.append(obs.instrument_all())

    threads = [threading.Thread(target=switch_on) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    client = boto3.client("bedrock-runtime")

    def call() -> None:
        client.converse(modelId=NOVA, messages=MESSAGES)

    callers = [threading.Thread(target=call) for _ in range(6)]
    for thread in callers:
        thread.start()
    for thread in callers:
        thread.join()
    assert len(lines_of(capsys.readouterr().out)) == 6


def test_instrument_all_is_lazy_public_api() -> None:
    assert "instrument_all" in obs.__all__ and "uninstrument_all" in obs.__all__
    assert obs.instrument_all is instrumentation.instrument_all


def test_instrument_all_records_a_stream_that_stalls_as_a_read_timeout(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.instrument_all()
    fake.push(Reply(stall_s=30))
    config = Config(read_timeout=1, connect_timeout=1, retries={"total_max_attempts": 1})
    client = boto3.client("bedrock-runtime", config=config)
    response = client.converse_stream(modelId=NOVA, messages=MESSAGES)
    with pytest.raises(Exception) as caught:
        drain(response)
    assert type(caught.value).__name__ == "ReadTimeoutError"
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "error" and line["error_type"] == "ReadTimeoutError"
    assert 0 < line["ttft_ms"] < line["latency_ms"]


LAZY = """
import sys
import genai_observability as obs
assert obs.instrument_all() is True
assert "botocore" not in sys.modules, "instrument_all() must not import botocore"
if sys.argv[1] == "off":
    assert obs.uninstrument_all() is True
import boto3
import botocore.client
patched = getattr(botocore.client.BaseClient._make_api_call, "_genai_observability_instrumented", 0)
print("patched" if patched else "plain", file=sys.stderr)
client = boto3.client("bedrock-runtime")
messages = [{"role": "user", "content": [{"text": "hi"}]}]
client.converse(modelId="amazon.nova-micro-v1:0", messages=messages)
"""


@pytest.mark.parametrize("mode", ["on", "off"])
def test_instrument_all_before_botocore_is_imported_patches_it_at_import(
    fake: FakeBedrock, mode: str
) -> None:
    import os
    import subprocess
    import sys

    from support import LAMBDA_DIR

    env = {**os.environ, "PYTHONPATH": str(LAMBDA_DIR)}
    proc = subprocess.run(
        [sys.executable, "-c", LAZY, mode], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    lines = lines_of(proc.stdout)
    if mode == "on":
        assert proc.stderr.strip() == "patched"
        (line,) = lines
        assert line["input_tokens"] == 12 and line["operation"] == "converse"
    else:
        assert proc.stderr.strip() == "plain" and lines == []


def test_instrument_all_lines_carry_the_trace_root_and_region(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "_X_AMZN_TRACE_ID",
        "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1",
    )
    obs.instrument_all()
    boto3.client("bedrock-runtime").converse(modelId=NOVA, messages=MESSAGES)
    (line,) = lines_of(capsys.readouterr().out)
    assert line["trace_id"] == "1-67891233-abcdef012345678912345678"
    assert line["region"] == "us-east-1"
