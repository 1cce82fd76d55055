"""The deck and the emitter cannot drift apart.

Terraform renders the observability module offline (real hashicorp/aws provider, fake
credentials, ``terraform plan``; nothing reaches AWS), and the rendered metric filter
patterns, value selectors, dimensions and saved queries are checked against lines the
real ``genai_observability`` library writes to stdout:

* a priced call feeds Calls, CostUSD and the token and latency metrics, not Errors;
* an error feeds Errors; a call to a model without a price feeds UnpricedCalls and never
  CostUSD (its ``cost_usd`` is null, not 0);
* a blog-style ``log_metric`` line feeds its custom metric and nothing else;
* every ``$.key`` a filter reads and every field a query reads is a key the library writes,
  and every literal they compare with is a value the library writes.

The same plan holds a second instance with ``create = false`` and every feature asked for:
it must plan no resource at all, so a resource added without the ``create`` guard fails.

The filter patterns are evaluated by support.cloudwatch.metric_filter, the subset of the
CloudWatch Logs JSON filter pattern syntax the deck uses; any other syntax fails the test
rather than passing silently.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from typing import Any

import pytest
from support.cloudwatch.metric_filter import (
    dimension_values,
    pattern_conditions,
    published,
    referenced_keys,
)
from support.terraform import outputs, plan_json

DECK = "contract"
SERVICE = "contract-svc"
PRICED_MODEL = "amazon.nova-micro-v1:0"
UNKNOWN_MODEL = "contract.no-such-model-v0:0"

FIXTURE = """
module "deck" {{
  source         = "{source}"
  name           = "{deck}"
  service_name   = "{service}"
  log_group_name = "/aws/lambda/{deck}-fn"
  custom_metrics = {{ AICost = {{ unit = "None", dimensions = {{ Model = "$.model" }} }} }}
}}

# Everything asked for, but create = false: the plan must create nothing for it.
module "disabled" {{
  source                     = "{source}"
  create                     = false
  name                       = "{deck}-off"
  log_group_name             = "/aws/lambda/{deck}-off"
  additional_log_group_names = ["/aws/lambda/{deck}-other"]
  function_names             = ["{deck}-off"]
  enable_data_protection     = true
  enable_field_index         = true
  custom_metrics             = {{ AICost = {{}} }}
  create_sns_topic           = true
  alarm_emails               = ["ops@example.com"]
  alarms = {{
    daily_cost_budget_usd  = 10
    llm_error_rate_percent = 5
    llm_latency_p99_ms     = 8000
    unpriced_calls         = true
    lambda_errors          = true
    lambda_throttles       = true
  }}
}}
""" + outputs(
    metric_filters="module.deck.metric_filters",
    queries="module.deck.queries",
    dashboard_body="module.deck.dashboard_body",
)

# Logs Insights QL commands, functions and keywords the deck's queries use.
QUERY_WORDS = {
    "filter", "stats", "sort", "limit", "fields", "by", "as", "and", "or", "not", "desc", "asc",
    "sum", "count", "avg", "pct", "max", "min", "bin", "count_distinct", "ispresent", "d",
    "coalesce",
}  # fmt: skip


# --------------------------------------------------------------------------- rendering


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The fixture's plan (``terraform show -json``), made once by an offline ``terraform plan``."""
    if shutil.which("terraform") is None:
        if os.environ.get("CI"):
            pytest.fail("terraform is not installed; the contract test needs it in CI")
        pytest.skip("terraform is not installed")
    work = tmp_path_factory.mktemp("deck")
    return plan_json(work, FIXTURE, deck=DECK, service=SERVICE)


@pytest.fixture(scope="module")
def rendered(plan: dict[str, Any]) -> dict[str, Any]:
    """The planned outputs of the enabled deck."""
    return {k: v["value"] for k, v in plan["planned_values"]["outputs"].items()}


@pytest.fixture(scope="module")
def filters(rendered: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return rendered["metric_filters"]


@pytest.fixture(scope="module")
def queries(rendered: dict[str, Any]) -> dict[str, str]:
    return rendered["queries"]


# --------------------------------------------------------------------------- emitted lines


@pytest.fixture
def lines(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Raw stdout lines written by the real library, one per kind of call."""
    from genai_observability import log_metric, record_llm_call

    monkeypatch.delenv("GENAI_MODEL_PRICES", raising=False)
    capsys.readouterr()
    record_llm_call(PRICED_MODEL, 1200, 350, 812.4, service=SERVICE, request_id="req-1")
    record_llm_call(
        PRICED_MODEL, 1500, 20, 95.5, cache_read_tokens=1024, cache_write_tokens=64, service=SERVICE
    )
    record_llm_call(
        PRICED_MODEL, 0, 0, 33.0, status="error", error_type="ThrottlingException", service=SERVICE
    )
    record_llm_call(UNKNOWN_MODEL, 10, 5, 12.0, service=SERVICE, request_id="req-2")
    log_metric("AICost", 0.0123, "None", {"model": PRICED_MODEL})
    record_llm_call(
        PRICED_MODEL,
        300,
        40,
        900.0,
        operation="converse_stream",
        service=SERVICE,
        ttft_ms=120.5,
        service_tier="default",
        latency_mode="standard",
        region="us-east-1",
        stop_reason="end_turn",
    )
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 6, out
    kinds = ["ok", "cached", "error", "unpriced", "log_metric", "stream"]
    return dict(zip(kinds, out, strict=True))


@pytest.fixture
def events(lines: dict[str, str]) -> dict[str, dict[str, Any]]:
    parsed = {k: json.loads(v) for k, v in lines.items()}
    assert all(isinstance(e, dict) for e in parsed.values())
    return parsed


# --------------------------------------------------------------------------- evaluator

# --------------------------------------------------------------------------- metric filters


def test_emitted_lines_are_single_json_objects(lines: dict[str, str]) -> None:
    for line in lines.values():
        assert "\n" not in line
        assert isinstance(json.loads(line), dict)


def test_every_filter_reads_keys_the_library_writes(
    filters: dict[str, dict[str, Any]], events: dict[str, dict[str, Any]]
) -> None:
    for key, f in filters.items():
        source = events["log_metric"] if key.startswith("custom-") else events["ok"]
        if key.startswith("TimeToFirstTokenMs"):
            source = events["stream"]  # only streams carry ttft_ms
        missing = referenced_keys(f) - set(source)
        assert not missing, f"{key} reads keys the library does not write: {missing}"


def test_every_filter_literal_is_a_value_the_library_writes(
    filters: dict[str, dict[str, Any]], events: dict[str, dict[str, Any]]
) -> None:
    for key, f in filters.items():
        for cond in pattern_conditions(f["pattern"]):
            if cond["string"] is None or cond["op"] != "=":
                continue
            written = {str(e.get(cond["path"])) for e in events.values()}
            assert cond["string"] in written, f"{key}: no line has {cond['path']}={cond['string']}"


def test_priced_call_feeds_calls_cost_tokens_and_latency(
    filters: dict[str, dict[str, Any]], lines: dict[str, str], events: dict[str, dict[str, Any]]
) -> None:
    got = published(filters, lines["ok"])
    event = events["ok"]
    assert event["pricing"] != "unknown" and event["cost_usd"] > 0
    assert got["Calls"] == 1 and got["Calls-by-service"] == 1
    assert got["CostUSD"] == pytest.approx(event["cost_usd"])
    assert got["CostUSD-by-service"] == pytest.approx(event["cost_usd"])
    assert got["InputTokens"] == event["input_tokens"] == 1200
    assert got["OutputTokens"] == event["output_tokens"] == 350
    assert got["CacheReadTokens"] == 0 and got["CacheWriteTokens"] == 0
    assert got["LatencyMs"] == pytest.approx(event["latency_ms"])
    assert "Errors" not in got and "UnpricedCalls" not in got
    assert not any(k.startswith("custom-") for k in got)


def test_stream_feeds_time_to_first_token_and_other_calls_do_not(
    filters: dict[str, dict[str, Any]], lines: dict[str, str], events: dict[str, dict[str, Any]]
) -> None:
    got = published(filters, lines["stream"])
    assert got["TimeToFirstTokenMs"] == pytest.approx(events["stream"]["ttft_ms"]) == 120.5
    assert got["Calls"] == 1 and got["LatencyMs"] == pytest.approx(900.0)
    for kind in ("ok", "cached", "error", "unpriced"):
        assert "TimeToFirstTokenMs" not in published(filters, lines[kind]), kind


def test_cached_call_feeds_cache_tokens(
    filters: dict[str, dict[str, Any]], lines: dict[str, str]
) -> None:
    got = published(filters, lines["cached"])
    assert got["CacheReadTokens"] == 1024
    assert got["CacheWriteTokens"] == 64


def test_error_feeds_errors(filters: dict[str, dict[str, Any]], lines: dict[str, str]) -> None:
    got = published(filters, lines["error"])
    assert got["Errors"] == 1 and got["Errors-by-service"] == 1
    assert got["Calls"] == 1
    assert "UnpricedCalls" not in got


def test_unpriced_call_feeds_unpriced_calls_never_cost(
    filters: dict[str, dict[str, Any]], lines: dict[str, str], events: dict[str, dict[str, Any]]
) -> None:
    assert events["unpriced"]["cost_usd"] is None
    assert events["unpriced"]["pricing"] == "unknown"
    got = published(filters, lines["unpriced"])
    assert got["UnpricedCalls"] == 1 and got["UnpricedCalls-by-service"] == 1
    assert got["Calls"] == 1 and got["InputTokens"] == 10
    assert "CostUSD" not in got and "CostUSD-by-service" not in got


def test_log_metric_line_feeds_its_custom_metric_only(
    filters: dict[str, dict[str, Any]], lines: dict[str, str]
) -> None:
    got = published(filters, lines["log_metric"])
    assert got == {"custom-AICost": pytest.approx(0.0123)}
    assert all("custom-AICost" not in published(filters, lines[k]) for k in ("ok", "error"))


def test_dimensions_are_the_calls_service_and_model(
    filters: dict[str, dict[str, Any]], lines: dict[str, str]
) -> None:
    for key, f in filters.items():
        if key.startswith("custom-"):
            continue
        dims = dimension_values(f["dimensions"], lines["ok"])
        expected = {"Service": SERVICE, "Model": PRICED_MODEL}
        if key.endswith("-by-service"):
            expected = {"Service": SERVICE}
        assert dims == expected, key


# --------------------------------------------------------------------------- saved queries


def query_fields(query: str) -> set[str]:
    """Fields a query reads: identifiers that are not words, aliases or string literals."""
    without_strings = re.sub(r'"[^"]*"', "", query)
    aliases = set(re.findall(r"\bas\s+([A-Za-z_][A-Za-z0-9_]*)", query))
    tokens = set(re.findall(r"[A-Za-z_@][A-Za-z0-9_@]*", without_strings))
    return tokens - QUERY_WORDS - aliases


def test_all_questions_are_rendered(queries: dict[str, str]) -> None:
    assert set(queries) == {
        "daily-cost", "cost-by-model", "cost-per-invocation", "latency-by-model",
        "slowest-calls", "most-expensive-calls", "errors-by-type", "unpriced-models",
        "log-metric-daily", "slowest-first-token",
    }  # fmt: skip


def test_every_query_reads_keys_the_library_writes(
    queries: dict[str, str], events: dict[str, dict[str, Any]]
) -> None:
    llm_keys = set().union(*(events[k] for k in ("ok", "cached", "error", "unpriced", "stream")))
    for question, query in queries.items():
        keys = set(events["log_metric"]) if question == "log-metric-daily" else llm_keys
        fields = query_fields(query)
        assert fields, question
        assert fields <= keys, f"{question} reads {fields - keys}, which no line carries"


def test_every_query_selects_on_values_the_library_writes(
    queries: dict[str, str], events: dict[str, dict[str, Any]]
) -> None:
    for question, query in queries.items():
        first = query.splitlines()[0]
        if question == "log-metric-daily":
            assert first == f'filter metric = "{events["log_metric"]["metric"]}"'
            continue
        assert first.startswith(f'filter event = "{events["ok"]["event"]}"'), question
        for field, literal in re.findall(r'\b([a-z_]+) = "([^"]*)"', query):
            assert literal in {str(e.get(field)) for e in events.values()}, (question, field)


def test_dashboard_log_tables_run_saved_questions(
    rendered: dict[str, Any], queries: dict[str, str]
) -> None:
    widgets = json.loads(rendered["dashboard_body"])["widgets"]
    logs = [w["properties"]["query"] for w in widgets if w["type"] == "log"]
    assert logs
    flat = {q.replace("\n", " ") for q in queries.values()}
    for query in logs:
        source, _, rest = query.partition(" | filter ")
        assert source == f"SOURCE '/aws/lambda/{DECK}-fn'"
        assert "filter " + rest in flat


# --------------------------------------------------------------------------- create = false


def test_disabled_deck_plans_no_resource(plan: dict[str, Any]) -> None:
    changes = plan.get("resource_changes", [])
    enabled = [c["address"] for c in changes if c["address"].startswith("module.deck.")]
    disabled = [
        (c["address"], c["change"]["actions"])
        for c in changes
        if c["address"].startswith("module.disabled.")
    ]
    assert any(a.startswith("module.deck.aws_") for a in enabled)  # the plan is not empty
    assert not [a for a, actions in disabled if "create" in actions], disabled
    assert not disabled, "create = false must plan no resource and read no data source"
