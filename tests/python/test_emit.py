"""record_llm_call, log_metric and the line writer: the contract, sanitizing, never raising."""

from __future__ import annotations

import io
import json
import re
import sys
import threading
import time
from typing import Any

import genai_observability as obs
import pytest
from genai_observability import _emit
from support import FakeContext, lines_of, strict_loads

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
TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
NOVA = "amazon.nova-micro-v1:0"


class _AnyTimestamp:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(TS.match(other))


ANY_TS = _AnyTimestamp()


class CountingStdout(io.StringIO):
    """A stdout that counts write calls."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, s: str) -> int:
        self.writes.append(s)
        return super().write(s)


class BrokenStdout:
    """A stdout whose every write fails like a closed pipe."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def write(self, s: str) -> int:
        raise self.exc

    def flush(self) -> None:
        raise self.exc


def one_line(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    out = capsys.readouterr().out
    assert out.endswith("\n") and out.count("\n") == 1, out
    return strict_loads(out)


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


def test_record_llm_call_writes_one_line_in_one_write(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = CountingStdout()
    monkeypatch.setattr(sys, "stdout", fake)
    obs.record_llm_call(NOVA, 1, 2, 3.0, extra={"k": [1, 2]})
    assert len(fake.writes) == 1
    assert fake.writes[0].endswith("\n") and fake.writes[0].count("\n") == 1


def test_record_llm_call_computes_cost_from_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    obs.record_llm_call(NOVA, 1_000_000, 1_000_000, 10.0)
    assert one_line(capsys)["cost_usd"] == 0.175


def test_record_llm_call_unknown_model_has_null_cost(capsys: pytest.CaptureFixture[str]) -> None:
    obs.record_llm_call("acme.unknown-model-v9", 10, 10, 1.0)
    line = one_line(capsys)
    assert line["cost_usd"] is None and line["pricing"] == "unknown"


def test_record_llm_call_service_defaults_to_genai_service(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "fn")
    monkeypatch.setenv("GENAI_SERVICE", "search")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["service"] == "search"


def test_record_llm_call_service_falls_back_to_function_name(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "genai-agent")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["service"] == "genai-agent"
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["service"] == "unknown"


def test_record_llm_call_service_argument_wins(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_SERVICE", "search")
    obs.record_llm_call(NOVA, 1, 1, 1.0, service="billing")
    assert one_line(capsys)["service"] == "billing"


def test_record_llm_call_carries_the_bound_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["request_id"] is None
    assert obs.bind_request(FakeContext("req-1")) == "req-1"
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["request_id"] == "req-1"
    obs.record_llm_call(NOVA, 1, 1, 1.0, request_id="explicit")
    assert one_line(capsys)["request_id"] == "explicit"


def test_bind_request_accepts_strings_and_ignores_bad_contexts() -> None:
    assert obs.bind_request("abc") == "abc"
    assert obs.current_request_id() == "abc"
    assert obs.bind_request(object()) is None
    assert obs.bind_request(FakeContext("")) is None
    assert obs.bind_request(None) is None


def test_observe_handler_binds_and_restores_the_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    @obs.observe_handler
    def handler(event: dict[str, Any], context: Any) -> str:
        obs.record_llm_call(NOVA, 1, 1, 1.0)
        return event["x"]

    obs.bind_request("outer")
    assert handler({"x": "y"}, FakeContext("inner")) == "y"
    assert one_line(capsys)["request_id"] == "inner"
    assert obs.current_request_id() == "outer"
    assert handler.__name__ == "handler"


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


def test_record_llm_call_sanitizes_attribute_values(capsys: pytest.CaptureFixture[str]) -> None:
    class Weird:
        def __str__(self) -> str:
            return "weird!"

    class Broken:
        def __str__(self) -> str:
            raise RuntimeError("no")

    obs.record_llm_call(
        NOVA,
        1,
        1,
        1.0,
        nan=float("nan"),
        inf=float("-inf"),
        obj=Weird(),
        broken=Broken(),
        raw=b"\x00\xff",
        nested={"a": [1, float("nan"), {2: 3}], "s": {1}},
        flag=True,
        big=10**5000,
        surrogate="x\ud800y",
    )
    line = one_line(capsys)
    assert line["nan"] is None and line["inf"] is None
    assert line["obj"] == "weird!" and line["broken"] == "<Broken>"
    assert line["raw"] == "<2 bytes>"
    assert line["nested"] == {"a": [1, None, {"2": 3}], "s": [1]}
    assert line["flag"] is True and line["big"] is None
    assert line["surrogate"] == "x?y"


def test_record_llm_call_truncates_huge_strings(capsys: pytest.CaptureFixture[str]) -> None:
    obs.record_llm_call("m" * 5000, 1, 1, 1.0, note="n" * 100_000)
    line = one_line(capsys)
    assert len(line["note"]) == _emit.MAX_STRING + 3 and line["note"].endswith("...")
    assert len(line["model"]) == _emit.MAX_STRING + 3


def test_record_llm_call_caps_nesting_and_items(capsys: pytest.CaptureFixture[str]) -> None:
    deep: Any = "leaf"
    for _ in range(10):
        deep = [deep]
    obs.record_llm_call(NOVA, 1, 1, 1.0, deep=deep, many=list(range(1000)))
    line = one_line(capsys)
    assert len(line["many"]) == _emit.MAX_ITEMS
    depth, node = 0, line["deep"]
    while isinstance(node, list):
        depth, node = depth + 1, node[0]
    assert depth == _emit.MAX_DEPTH and isinstance(node, str)


def test_record_llm_call_drops_attributes_that_overflow_the_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    big = {f"k{i}": "v" * 1000 for i in range(64)}
    obs.record_llm_call(NOVA, 1, 1, 1.0, a=big, b=big)
    line = one_line(capsys)
    assert line["attributes_dropped"] is True and "a" not in line


@pytest.mark.parametrize(
    "stdout",
    [
        None,
        BrokenStdout(BrokenPipeError(32, "Broken pipe")),
        BrokenStdout(ValueError("I/O operation on closed file")),
        BrokenStdout(OSError(28, "No space left on device")),
    ],
    ids=["none", "broken-pipe", "closed", "disk-full"],
)
def test_record_llm_call_survives_a_broken_stdout(
    monkeypatch: pytest.MonkeyPatch, stdout: Any
) -> None:
    monkeypatch.setattr(sys, "stdout", stdout)
    event = obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert event["event"] == "llm_call" and event["cost_usd"] is not None
    metric = obs.log_metric("AICost", 0.1, "USD")
    assert metric["metric"] == "AICost"


def test_record_llm_call_survives_a_closed_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stdout", closed)
    assert obs.record_llm_call(NOVA, 1, 1, 1.0)["status"] == "ok"


def test_record_llm_call_from_many_threads_never_interleaves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class SlowStdout(io.StringIO):
        def write(self, s: str) -> int:
            # Write in two halves with a thread switch in between: a writer without the
            # lock would interleave halves of lines.
            half = len(s) // 2
            super().write(s[:half])
            time.sleep(0)
            return super().write(s[half:])

    fake = SlowStdout()
    monkeypatch.setattr(sys, "stdout", fake)
    threads_n, calls_n = 8, 200
    barrier = threading.Barrier(threads_n)

    def worker(n: int) -> None:
        barrier.wait()
        for i in range(calls_n):
            obs.record_llm_call(NOVA, i, n, 1.0, thread=n, note="x" * (i % 50))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = lines_of(fake.getvalue())
    assert len(lines) == threads_n * calls_n
    for n in range(threads_n):
        mine = [ln["input_tokens"] for ln in lines if ln["thread"] == n]
        assert mine == list(range(calls_n))


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


def test_timestamp_is_iso_utc_with_milliseconds() -> None:
    assert _emit.timestamp(0.0) == "1970-01-01T00:00:00.000Z"
    assert _emit.timestamp(1784366400.9999) == "2026-07-18T09:20:00.999Z"
    assert _emit.timestamp(1784366401.5) == "2026-07-18T09:20:01.500Z"


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


def test_record_llm_call_writes_small_costs_in_plain_decimal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 10 input + 10 output tokens of Nova Micro cost 0.00000175 USD: repr() would say 1.75e-06,
    # which metric filter value selectors are not documented to read.
    obs.record_llm_call(NOVA, 10, 10, 12.5)
    raw = capsys.readouterr().out
    assert '"cost_usd":0.00000175,' in raw
    assert "e-" not in raw
    assert json.loads(raw)["cost_usd"] == pytest.approx(1.75e-06)
