"""Instrumented Bedrock calls are priced by what the response says.

Each response (botocore Stubber, shaped like real Converse / InvokeModel answers) carries a
service tier, a latency mode, cache writes split by TTL, and the call is made from a Region;
the recorded line's cost is checked against figures computed by hand from the catalog.
"""

from __future__ import annotations

import io
import json
from typing import Any

import boto3
import genai_observability as obs
import pytest
from botocore.stub import Stubber
from genai_observability import instrumentation
from support import lines_of

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
NOVA_PRO = "amazon.nova-pro-v1:0"
NOVA_MICRO = "amazon.nova-micro-v1:0"
M = 1_000_000


@pytest.fixture(autouse=True)
def _catalog_prices_called_from_us_east_1(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled catalog alone prices the calls (conftest's clean_env drops the overrides)."""
    monkeypatch.delenv("GENAI_PRICE_CATALOG", raising=False)
    monkeypatch.delenv("GENAI_APPLICATION_PROFILES", raising=False)
    monkeypatch.setenv("AWS_REGION", "us-east-1")


def _client(region: str = "us-east-1") -> tuple[Any, Stubber]:
    client = boto3.client(
        "bedrock-runtime",
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return client, Stubber(client)


def _converse_answer(
    usage: dict[str, Any], tier: str | None = None, latency: str | None = None
) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "output": {"message": {"role": "assistant", "content": [{"text": "ok"}]}},
        "stopReason": "end_turn",
        "usage": {"totalTokens": usage["inputTokens"] + usage["outputTokens"], **usage},
        "metrics": {"latencyMs": 420},
    }
    if tier:
        answer["serviceTier"] = {"type": tier}
    if latency:
        answer["performanceConfig"] = {"latency": latency}
    return answer


def _converse(model: str, answer: dict[str, Any], region: str = "us-east-1") -> dict[str, Any]:
    client, stub = _client(region)
    stub.add_response(
        "converse",
        answer,
        {"modelId": model, "messages": [{"role": "user", "content": [{"text": "hi"}]}]},
    )
    obs.instrument(client)
    with stub:
        client.converse(modelId=model, messages=[{"role": "user", "content": [{"text": "hi"}]}])
    return instrumentation.last_event()  # type: ignore[no-any-return]


def _line(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    lines = lines_of(capsys.readouterr().out)
    assert len(lines) == 1
    return lines[0]


def test_default_tier_is_the_standard_price(capsys: pytest.CaptureFixture[str]) -> None:
    _converse(NOVA_MICRO, _converse_answer({"inputTokens": M, "outputTokens": M}, "default"))
    line = _line(capsys)
    # 1M x 0.035 + 1M x 0.14
    assert (line["cost_usd"], line["pricing"], line["service_tier"]) == (
        0.175,
        "catalog",
        "default",
    )
    assert line["region"] == "us-east-1"


@pytest.mark.parametrize("tier", ["priority", "flex", "reserved"])
def test_tier_without_a_published_price_is_unpriced_and_says_why(
    capsys: pytest.CaptureFixture[str], tier: str
) -> None:
    _converse(NOVA_PRO, _converse_answer({"inputTokens": 1000, "outputTokens": 100}, tier))
    line = _line(capsys)
    assert line["cost_usd"] is None and line["pricing"] == "unknown"
    assert line["service_tier"] == tier


def test_flex_call_of_nova_2_lite_is_priced_at_its_flex_price(
    capsys: pytest.CaptureFixture[str],
) -> None:
    usage = {
        "inputTokens": M,
        "outputTokens": M,
        "cacheReadInputTokens": M,
        "cacheWriteInputTokens": M,
    }
    _converse("us.amazon.nova-2-lite-v1:0", _converse_answer(usage, "flex"))
    line = _line(capsys)
    # Flex, half of each us. price: 0.165 + 1.375 + 0.04125 cache read + 0.00 cache write.
    assert (line["cost_usd"], line["pricing"], line["service_tier"]) == (
        1.58125,
        "catalog",
        "flex",
    )


def test_latency_optimized_call_is_priced_at_the_optimized_price(
    capsys: pytest.CaptureFixture[str],
) -> None:
    answer = _converse_answer({"inputTokens": M, "outputTokens": M}, latency="optimized")
    _converse("us." + NOVA_PRO, answer)
    line = _line(capsys)
    # Nova Pro latency-optimized: 1.00 + 4.00 (standard would be 0.80 + 3.20).
    assert (line["cost_usd"], line["latency_mode"]) == (5.0, "optimized")


def test_latency_optimized_in_a_region_without_it_is_unpriced(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    answer = _converse_answer({"inputTokens": 10, "outputTokens": 10}, latency="optimized")
    _converse("eu." + NOVA_PRO, answer, region="eu-west-1")
    line = _line(capsys)
    assert line["cost_usd"] is None and line["region"] == "eu-west-1"


def test_one_hour_cache_writes_are_priced_apart(capsys: pytest.CaptureFixture[str]) -> None:
    usage = {
        "inputTokens": M,
        "outputTokens": 0,
        "cacheReadInputTokens": 0,
        "cacheWriteInputTokens": M,
        "cacheDetails": [
            {"ttl": "1h", "inputTokens": 600_000},
            {"ttl": "5m", "inputTokens": 400_000},
        ],
    }
    _converse("global." + SONNET_45, _converse_answer(usage, "default"))
    line = _line(capsys)
    # Global Sonnet 4.5: 1M x 3 + 0.4M x 3.75 (5 minutes) + 0.6M x 6.00 (1 hour) = 8.1
    assert line["cost_usd"] == 8.1
    assert line["cache_write_tokens"] == M and line["cache_write_1h_tokens"] == 600_000


def test_in_region_claude_45_costs_the_regional_price(capsys: pytest.CaptureFixture[str]) -> None:
    _converse(SONNET_45, _converse_answer({"inputTokens": M, "outputTokens": M}))
    # Regional: 3.30 + 16.50 (global would be 18.00).
    assert _line(capsys)["cost_usd"] == 19.8


def test_the_calling_region_selects_its_price(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", "ap-northeast-1")
    answer = _converse_answer({"inputTokens": M, "outputTokens": M})
    _converse("deepseek.v3.2", answer, region="ap-northeast-1")
    line = _line(capsys)
    # DeepSeek V3.2 in ap-northeast-1: 0.74 + 2.22 (us-east-1: 0.62 + 1.85).
    assert (line["cost_usd"], line["region"]) == (2.96, "ap-northeast-1")


def test_invoke_model_tier_header_selects_the_price(capsys: pytest.CaptureFixture[str]) -> None:
    client, stub = _client()
    body = json.dumps({"output": {"message": {"content": [{"text": "ok"}]}}}).encode()
    from botocore.response import StreamingBody

    stub.add_response(
        "invoke_model",
        {
            "body": StreamingBody(io.BytesIO(body), len(body)),
            "contentType": "application/json",
            "serviceTier": "flex",
            "ResponseMetadata": {
                "HTTPHeaders": {
                    "x-amzn-bedrock-input-token-count": "100",
                    "x-amzn-bedrock-output-token-count": "10",
                    "x-amzn-bedrock-service-tier": "flex",
                }
            },
        },
        {"modelId": NOVA_PRO, "body": b"{}"},
    )
    obs.instrument(client)
    with stub:
        client.invoke_model(modelId=NOVA_PRO, body=b"{}")
    line = _line(capsys)
    assert line["service_tier"] == "flex"
    assert line["cost_usd"] is None and line["pricing"] == "unknown"
