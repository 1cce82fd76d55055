"""record_llm_call and log_metric: the contract line, its usage, price and identity steps."""

from __future__ import annotations

import json
import sys
from typing import Any

import genai_observability as obs
import pytest
from genai_observability import pricing
from genai_observability._contract import CONTRACT_KEYS, FIELDS
from support import FakeContext, lines_of
from support.emitted import ANY_TS, NOVA, TS, one_line

CONTRACT_ORDER = [
    "event",
    "schema",
    "timestamp",
    "service",
    "model",
    "operation",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "latency_ms",
    "cost_usd",
    "pricing",
    "status",
    "request_id",
]


def test_record_llm_call_writes_the_contract_keys_in_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    event = obs.record_llm_call(NOVA, 1200, 350, 812.4)
    line = one_line(capsys)
    assert list(line) == CONTRACT_ORDER
    assert line == event
    assert line["event"] == "llm_call"
    assert line["schema"] == 1
    assert TS.match(line["timestamp"])
    assert line["operation"] == "converse"
    assert line["status"] == "ok"
    assert line["pricing"] == "catalog"
    assert line["cache_read_tokens"] == 0 and line["cache_write_tokens"] == 0
    assert "error_type" not in line


def test_record_llm_call_uses_compact_separators(capsys: pytest.CaptureFixture[str]) -> None:
    obs.record_llm_call(NOVA, 1, 2, 3.0, note="a b")
    out = capsys.readouterr().out
    assert ", " not in out.replace('"a b"', "") and '": ' not in out


def test_record_llm_call_computes_cost_from_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    obs.record_llm_call(NOVA, 1_000_000, 1_000_000, 10.0)
    assert one_line(capsys)["cost_usd"] == 0.175


def test_record_llm_call_unknown_model_has_null_cost(capsys: pytest.CaptureFixture[str]) -> None:
    obs.record_llm_call("acme.unknown-model-v9", 10, 10, 1.0)
    line = one_line(capsys)
    assert line["cost_usd"] is None and line["pricing"] == "unknown"


@pytest.mark.parametrize(
    ("env", "service", "expected"),
    [
        ({"AWS_LAMBDA_FUNCTION_NAME": "fn", "GENAI_SERVICE": "search"}, None, "search"),
        ({"AWS_LAMBDA_FUNCTION_NAME": "genai-agent"}, None, "genai-agent"),  # the fallback
        ({}, None, "unknown"),
        ({"GENAI_SERVICE": "search"}, "billing", "billing"),  # the argument wins
    ],
    ids=["genai_service", "function_name", "unknown", "argument_wins"],
)
def test_record_llm_call_service_label(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    service: str | None,
    expected: str,
) -> None:
    for name in ("AWS_LAMBDA_FUNCTION_NAME", "GENAI_SERVICE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    kwargs = {} if service is None else {"service": service}
    obs.record_llm_call(NOVA, 1, 1, 1.0, **kwargs)
    assert one_line(capsys)["service"] == expected


def test_record_llm_call_carries_the_bound_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["request_id"] is None
    assert obs.bind_request(FakeContext("req-1")) == "req-1"
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["request_id"] == "req-1"
    obs.record_llm_call(NOVA, 1, 1, 1.0, request_id="explicit")
    assert one_line(capsys)["request_id"] == "explicit"


def test_record_llm_call_error_status_carries_error_type(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.record_llm_call(NOVA, 0, 0, 5.0, status="error", error_type="ThrottlingException")
    line = one_line(capsys)
    assert line["status"] == "error" and line["error_type"] == "ThrottlingException"
    assert list(line)[13:16] == ["status", "error_type", "request_id"]


def test_record_llm_call_error_type_implies_error_status(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.record_llm_call(NOVA, 0, 0, 5.0, error_type="ValidationException")
    assert one_line(capsys)["status"] == "error"
    obs.record_llm_call(NOVA, 0, 0, 5.0, status="failed")
    line = one_line(capsys)
    assert line["status"] == "error" and line["error_type"] == "Error"


@pytest.mark.parametrize(
    "bad", [None, float("nan"), float("inf"), -1, True, "12", 10**30, object()]
)
def test_record_llm_call_invalid_token_count_makes_usage_unknown(
    capsys: pytest.CaptureFixture[str], bad: Any
) -> None:
    event = obs.record_llm_call(NOVA, bad, 10, 1.0)
    line = one_line(capsys)
    assert line == event
    assert line["input_tokens"] == 0
    assert line["usage_unknown"] is True
    assert line["cost_usd"] is None and line["pricing"] == "unknown"


def test_record_llm_call_none_cache_counts_mean_zero(capsys: pytest.CaptureFixture[str]) -> None:
    obs.record_llm_call(NOVA, 10, 10, 1.0, cache_read_tokens=None, cache_write_tokens=None)
    line = one_line(capsys)
    assert line["cache_read_tokens"] == 0 and "usage_unknown" not in line
    assert line["cost_usd"] is not None


def test_record_llm_call_rounds_float_token_counts(capsys: pytest.CaptureFixture[str]) -> None:
    obs.record_llm_call(NOVA, 10.0, 4.6, 1.0)
    line = one_line(capsys)
    assert (line["input_tokens"], line["output_tokens"]) == (10, 5)


@pytest.mark.parametrize("bad", [None, float("nan"), float("inf"), -3.0, False, "fast"])
def test_record_llm_call_invalid_latency_is_null(
    capsys: pytest.CaptureFixture[str], bad: Any
) -> None:
    obs.record_llm_call(NOVA, 1, 1, bad)
    line = one_line(capsys)
    assert line["latency_ms"] is None and line["cost_usd"] is not None


def test_record_llm_call_rounds_latency_to_microseconds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.record_llm_call(NOVA, 1, 1, 812.123456789)
    assert one_line(capsys)["latency_ms"] == 812.123


def test_record_llm_call_cache_tokens_at_unknown_cache_price_are_unpriced(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Nova Micro has a cache-read price but no published cache-write price.
    obs.record_llm_call(NOVA, 100, 10, 1.0, cache_write_tokens=50)
    line = one_line(capsys)
    assert line["cost_usd"] is None and line["pricing"] == "unknown"
    assert "usage_unknown" not in line


def test_record_llm_call_keeps_extra_attributes_after_contract_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.record_llm_call(NOVA, 1, 1, 1.0, team="search", attempt=2)
    line = one_line(capsys)
    assert list(line)[-2:] == ["team", "attempt"]
    assert line["team"] == "search" and line["attempt"] == 2


def test_record_llm_call_attributes_never_replace_contract_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    event = obs.record_llm_call(
        NOVA, 1, 1, 1.0, event="hack", cost_usd=0, pricing="override", timestamp="x"
    )
    line = one_line(capsys)
    assert line == event
    assert line["event"] == "llm_call" and line["pricing"] == "catalog"
    assert line["cost_usd"] != 0 and TS.match(line["timestamp"])


def test_record_llm_call_drops_attributes_that_overflow_the_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    big = {f"k{i}": "v" * 1000 for i in range(64)}
    obs.record_llm_call(NOVA, 1, 1, 1.0, a=big, b=big)
    line = one_line(capsys)
    assert line["attributes_dropped"] is True and "a" not in line


def test_log_metric_writes_the_blog_compatible_line(capsys: pytest.CaptureFixture[str]) -> None:
    event = obs.log_metric("AICost", 0.0012, "USD", {"model": NOVA})
    line = one_line(capsys)
    assert line == event
    assert list(line) == ["metric", "value", "unit", "timestamp", "model"]
    assert line["metric"] == "AICost" and line["value"] == 0.0012 and line["unit"] == "USD"
    assert TS.match(line["timestamp"])


def test_log_metric_defaults_to_count_without_properties(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.log_metric("Invocations", 1)
    line = one_line(capsys)
    assert line == {"metric": "Invocations", "value": 1, "unit": "Count", "timestamp": ANY_TS}


def test_log_metric_has_no_shared_mutable_default(capsys: pytest.CaptureFixture[str]) -> None:
    props = {"model": NOVA}
    obs.log_metric("A", 1, properties=props)
    obs.log_metric("B", 2)
    first, second = lines_of(capsys.readouterr().out)
    assert "model" in first and "model" not in second
    assert props == {"model": NOVA}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, None, "12"])
def test_log_metric_writes_null_for_a_bad_value(
    capsys: pytest.CaptureFixture[str], bad: Any
) -> None:
    obs.log_metric("AICost", bad, "USD")
    assert one_line(capsys)["value"] is None


def test_log_metric_properties_never_replace_its_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.log_metric("AICost", 1.5, "USD", {"metric": "x", "value": 0, "team": float("nan")})
    line = one_line(capsys)
    assert line["metric"] == "AICost" and line["value"] == 1.5 and line["team"] is None


def test_log_metric_ignores_properties_that_are_not_a_mapping(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.log_metric("AICost", 1, "USD", ["not", "a", "mapping"])  # type: ignore[arg-type]
    assert list(one_line(capsys)) == ["metric", "value", "unit", "timestamp"]


def test_import_does_not_load_heavy_modules() -> None:
    import subprocess

    code = (
        "import sys; import genai_observability; "
        "print(sorted(m for m in ('typing','json','dataclasses','re','botocore','boto3') "
        "if m in sys.modules))"
    )
    env_path = str(obs.__file__).rsplit("/genai_observability/", 1)[0]
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out.replace("'", '"')) == []


def test_record_llm_call_puts_every_value_under_its_own_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every argument distinct, so a value handed to the line writer in the wrong position
    # shows up under the wrong key.
    monkeypatch.setenv(
        "GENAI_MODEL_PRICES",
        json.dumps({"acme.m": {"input": 1, "output": 2, "cache_read": 3, "cache_write": 4}}),
    )
    event = obs.record_llm_call(
        "acme.m",
        11,
        22,
        33.5,
        cache_read_tokens=44,
        cache_write_tokens=55,
        operation="op-x",
        status="error",
        error_type="Err-x",
        service="svc-x",
        request_id="rid-x",
    )
    line = one_line(capsys)
    assert line == event
    assert {k: v for k, v in line.items() if k != "timestamp"} == {
        "event": "llm_call",
        "schema": 1,
        "service": "svc-x",
        "model": "acme.m",
        "operation": "op-x",
        "input_tokens": 11,
        "output_tokens": 22,
        "cache_read_tokens": 44,
        "cache_write_tokens": 55,
        "latency_ms": 33.5,
        "cost_usd": (11 * 1 + 22 * 2 + 44 * 3 + 55 * 4) / 1_000_000,
        "pricing": "override",
        "status": "error",
        "error_type": "Err-x",
        "request_id": "rid-x",
    }
    assert list(line) == [field.name for field in FIELDS if field.name in line]


# --------------------------------------------------------------------------- additive keys

NEW_KEYS = ["ttft_ms", "service_tier", "latency_mode", "region", "stop_reason", "trace_id"]
TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1"


@pytest.fixture(autouse=True)
def no_lambda_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Region and trace variables Lambda sets; each test sets the ones it needs."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "_X_AMZN_TRACE_ID"):
        monkeypatch.delenv(name, raising=False)


def test_record_llm_call_writes_the_additive_keys_after_request_id_in_contract_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    event = obs.record_llm_call(
        NOVA,
        10,
        5,
        812.4,
        cache_write_tokens=100,
        cache_write_1h_tokens=60,
        trace_id="1-abc",
        stop_reason="end_turn",
        region="eu-west-1",
        latency_mode="optimized",
        service_tier="priority",
        ttft_ms=120.123456,
        team="search",
    )
    line = one_line(capsys)
    assert line == event
    assert list(line) == [
        *CONTRACT_ORDER,
        *NEW_KEYS,
        "cache_write_1h_tokens",
        "team",
    ]
    assert line["ttft_ms"] == 120.123
    assert (line["service_tier"], line["latency_mode"]) == ("priority", "optimized")
    assert (line["region"], line["stop_reason"], line["trace_id"]) == (
        "eu-west-1",
        "end_turn",
        "1-abc",
    )
    assert line["cache_write_1h_tokens"] == 60


def test_record_llm_call_leaves_unknown_additive_keys_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.record_llm_call(NOVA, 10, 5, 1.0, cache_write_tokens=100)
    line = one_line(capsys)
    assert list(line) == CONTRACT_ORDER
    assert not {*NEW_KEYS, "cache_write_1h_tokens"} & set(line)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -1.0, True, "fast", object()])
def test_record_llm_call_leaves_an_invalid_ttft_out(
    capsys: pytest.CaptureFixture[str], bad: Any
) -> None:
    event = obs.record_llm_call(NOVA, 1, 1, 1.0, ttft_ms=bad)
    line = one_line(capsys)
    assert "ttft_ms" not in line and line == event


@pytest.mark.parametrize("key", ["service_tier", "latency_mode", "region", "stop_reason"])
@pytest.mark.parametrize("bad", ["", 7, 1.5, True, ["default"], b"flex"])
def test_record_llm_call_leaves_a_non_string_label_out(
    capsys: pytest.CaptureFixture[str], key: str, bad: Any
) -> None:
    event = obs.record_llm_call(NOVA, 1, 1, 1.0, **{key: bad})
    line = one_line(capsys)
    assert key not in line and line == event


@pytest.mark.parametrize("key", ["service_tier", "latency_mode", "region", "stop_reason"])
def test_record_llm_call_cuts_labels_to_64_characters(
    capsys: pytest.CaptureFixture[str], key: str
) -> None:
    obs.record_llm_call(NOVA, 1, 1, 1.0, **{key: "x" * 500 + "\ud800"})
    value = one_line(capsys)[key]
    assert value == "x" * 64 + "..."


def test_record_llm_call_region_defaults_to_aws_region_then_default_region(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["region"] == "us-west-2"
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["region"] == "eu-central-1"
    obs.record_llm_call(NOVA, 1, 1, 1.0, region="ap-south-1")
    assert one_line(capsys)["region"] == "ap-south-1"
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert "region" not in one_line(capsys)


def test_record_llm_call_trace_id_is_the_root_of_the_lambda_trace_header(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID", TRACE_HEADER)
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["trace_id"] == "1-5759e988-bd862e3fe1be46a994272793"
    # Lambda sets a new header for every invocation.
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Parent=1;Root=1-00000000-000000000000000000000001")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["trace_id"] == "1-00000000-000000000000000000000001"
    obs.record_llm_call(NOVA, 1, 1, 1.0, trace_id="1-explicit")
    assert one_line(capsys)["trace_id"] == "1-explicit"
    for header in ("Parent=557abcec3ee5a047;Sampled=0", "Root=", "garbage"):
        monkeypatch.setenv("_X_AMZN_TRACE_ID", header)
        obs.record_llm_call(NOVA, 1, 1, 1.0)
        assert "trace_id" not in one_line(capsys)


@pytest.mark.parametrize(
    ("part", "written"),
    [(60, 60), (100, 100), (0, None), (None, None), (101, None), (-1, None), (float("nan"), None)],
)
def test_record_llm_call_writes_1h_cache_writes_only_as_a_real_part_of_cache_writes(
    capsys: pytest.CaptureFixture[str], part: Any, written: int | None
) -> None:
    obs.record_llm_call(NOVA, 1, 1, 1.0, cache_write_tokens=100, cache_write_1h_tokens=part)
    line = one_line(capsys)
    assert line.get("cache_write_1h_tokens") == written
    assert "usage_unknown" not in line


def test_record_llm_call_hands_the_price_step_what_the_price_may_depend_on(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Any, ...]] = []

    def price(*args: Any) -> tuple[float, str]:
        seen.append(args)
        return 0.5, "catalog"

    monkeypatch.setattr(pricing, "price_call", price)  # the price step's one call
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    obs.record_llm_call(
        NOVA,
        10,
        5,
        1.0,
        cache_read_tokens=3,
        cache_write_tokens=100,
        cache_write_1h_tokens=40,
        service_tier="flex",
        latency_mode="optimized",
    )
    assert seen == [(NOVA, 10, 5, 3, 100, 40, "flex", "optimized", "eu-west-1")]
    assert one_line(capsys)["cost_usd"] == 0.5


def test_record_llm_call_prices_1h_cache_writes_at_their_own_price(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Global Sonnet 4.5: input 3, 5-minute write 3.75, 1-hour write 6.00 USD per 1M tokens.
    model = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    obs.record_llm_call(model, 1_000_000, 0, 1.0, cache_write_tokens=1_000_000)
    obs.record_llm_call(
        model, 1_000_000, 0, 1.0, cache_write_tokens=1_000_000, cache_write_1h_tokens=1_000_000
    )
    first, second = lines_of(capsys.readouterr().out)
    assert (first["cost_usd"], second["cost_usd"]) == (6.75, 9.0)


def test_the_additive_keys_are_contract_keys_that_attributes_never_replace() -> None:
    assert set(NEW_KEYS) | {"cache_write_1h_tokens"} <= CONTRACT_KEYS


def test_log_metric_flags_dropped_properties(capsys: pytest.CaptureFixture[str]) -> None:
    from genai_observability import log_metric

    properties = {f"p{i}": "x" * 1000 for i in range(70)}  # 70 KB of properties
    event = log_metric("AICost", 1.0, "USD", properties)
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["attributes_dropped"] is True
    assert event["attributes_dropped"] is True
    assert "p0" not in line and line["value"] == 1.0
    log_metric("AICost", 1.0, "USD", {"model": "m"})
    assert "attributes_dropped" not in json.loads(capsys.readouterr().out.strip())
