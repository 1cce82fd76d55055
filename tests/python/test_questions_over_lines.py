"""The deck's saved questions over lines the payload really emits, run by the strict Logs
Insights evaluator (support.cloudwatch.insights_eval): cost-by-model and unpriced-models
agree with ``genai-obs report``; then the same computed rows drive ``spend`` and
``reconcile`` end to end."""

from __future__ import annotations

import io
import json
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from genai_observability import capture, record_llm_call
from genai_observability.cli import main
from genai_observability.cli._questions import QUESTIONS
from genai_observability.cli._report import MODEL_COLUMNS, build_report
from genai_observability.cli.commands import reconcile as _reconcile
from support.cli import (
    MIDNIGHT_S,
    NOW_S,
    SAVED_QUERY,
    UNPRICED_QUERY,
    add_definitions,
    add_results,
    add_start,
    cost_explorer_request,
    definition,
    saved_queries,
)
from support.cloudwatch import insights_eval as ie

SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
NOVA = "amazon.nova-micro-v1:0"
MYSTERY = "acme.mystery-v1"


# --------------------------------------------------------------------------- the payload


def _emit() -> list[dict[str, Any]]:
    """A day of real lines: priced, unpriced and mixed models, with and without the keys
    written only when known (service_tier, latency_mode, region)."""
    with capture() as events:
        record_llm_call(NOVA, 1000, 200, 120.0, region="us-east-1")
        record_llm_call(NOVA, 3000, 500, 340.5, operation="converse_stream", ttft_ms=88.0)
        record_llm_call(NOVA, 10, 0, 20.0, status="error", error_type="ThrottlingException")
        record_llm_call(
            SONNET, 2000, 300, 900.0, cache_read_tokens=5000, cache_write_tokens=1000,
            service_tier="default", region="us-west-2",
        )  # fmt: skip
        record_llm_call(SONNET, 100, 50, 700.0, cache_read_tokens=4000, latency_mode="standard")
        # Unknown usage: cost unknown for a priced model (a mixed model).
        record_llm_call(SONNET, None, 40, 650.0, region="us-west-2")
        record_llm_call(MYSTERY, 500, 100, 900.0)
        record_llm_call(MYSTERY, 700, 10, 400.0, service_tier="flex", region="eu-west-1")
    return list(events.llm_calls)


@pytest.fixture
def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    emitted = _emit()
    capsys.readouterr()  # the lines were written to stdout too
    return emitted


def _report(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    report = build_report(io.StringIO("\n".join(json.dumps(line) for line in lines)))
    return {row["model"]: row for row in report.model_rows()}


def _unpriced(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["model"]] = counts.get(row["model"], 0) + row["calls"]
    return counts


def test_emitted_lines_mix_priced_unpriced_and_missing_keys(lines: list[dict[str, Any]]) -> None:
    pricing = {(line["model"], line["pricing"]) for line in lines}
    assert (SONNET, "unknown") in pricing and (SONNET, "catalog") in pricing
    assert (MYSTERY, "unknown") in pricing and (NOVA, "catalog") in pricing
    assert any("service_tier" not in line and "region" not in line for line in lines)


def test_cost_by_model_and_unpriced_models_agree_with_report(lines: list[dict[str, Any]]) -> None:
    events = ie.events_from_lines(lines)
    costs = ie.run(QUESTIONS["cost-by-model"].query, events)
    unpriced_rows = ie.run(UNPRICED_QUERY, events)
    report = _report(lines)
    assert {row["model"] for row in costs} == set(report)
    unpriced = _unpriced(unpriced_rows)
    for row in costs:
        expected = report[row["model"]]
        assert row.get("total_cost_usd") == expected["total_cost_usd"], row["model"]
        for column in (
            "calls",
            "total_input_tokens",
            "total_output_tokens",
            "total_cache_read_tokens",
            "total_cache_write_tokens",
        ):
            assert row[column] == expected[column], (row["model"], column)
        assert unpriced.get(row["model"], 0) == expected["unpriced_calls"], row["model"]
    # Why: the facts that select a price, with the missing ones given a value.
    assert {(r["model"], r["tier"], r["latency"], r["call_region"], r["calls"]) for r in
            unpriced_rows} == {
        (SONNET, "standard", "standard", "us-west-2", 1),
        (MYSTERY, "standard", "standard", "-", 1),
        (MYSTERY, "flex", "standard", "eu-west-1", 1),
    }  # fmt: skip


def test_every_llm_call_question_runs_over_the_emitted_lines(lines: list[dict[str, Any]]) -> None:
    events = ie.events_from_lines(lines)
    for name, query in saved_queries().items():
        if name in ("log-metric-daily", "cost-by-tenant", "cost-per-invocation"):
            continue  # other lines; an attribution key; request_id is null outside Lambda
        assert ie.run(query, events), name


# --------------------------------------------------------------------------- end to end


def _stub_pair(stub: Stubber, lines: list[dict[str, Any]], start: int, end: int) -> None:
    """The deck answers cost-by-model and unpriced-models with rows computed from lines."""
    events = ie.events_from_lines(lines)
    for name, query in (("cost-by-model", SAVED_QUERY), ("unpriced-models", UNPRICED_QUERY)):
        add_definitions(stub, f"prod/{name}", definition(f"prod/{name}", query))
        add_start(stub, query=query, start=start, end=end)
        add_results(stub, "Complete", ie.query_results(ie.run(query, events)))


def test_spend_over_computed_rows_agrees_with_report(
    stub: Stubber, lines: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    _stub_pair(stub, lines, MIDNIGHT_S, NOW_S)
    assert main(["spend", "--deck", "prod", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    report = _report(lines)
    # The report's columns that spend shows too (spend has no errors and no percentiles).
    columns = [c for c in MODEL_COLUMNS[1:] if c != "errors" and not c.endswith("_ms")]
    assert len(columns) == 8
    for row in document["rows"]:
        expected = report[row["model"]]
        assert {c: row[c] for c in columns} == {c: expected[c] for c in columns}, row["model"]
    assert document["total"]["cost_is_lower_bound"] is True
    assert document["total"]["unpriced_calls"] == 3


def test_spend_table_over_computed_rows_marks_lower_bounds(
    stub: Stubber, lines: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    _stub_pair(stub, lines, MIDNIGHT_S, NOW_S)
    assert main(["spend", "--deck", "prod"]) == 0
    out = capsys.readouterr().out.splitlines()
    sonnet = next(line for line in out if line.startswith(SONNET))
    mystery = next(line for line in out if line.startswith(MYSTERY))
    assert sonnet.split()[1] == ">=" and mystery.split()[1] == "-"
    assert out[-1] == ">= : at least this much; some calls have no price (see unpriced_calls)"


def test_reconcile_over_computed_rows_counts_the_unpriced_calls(
    stub: Stubber,
    lines: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    day_s = MIDNIGHT_S - 86400
    _stub_pair(stub, lines, day_s, MIDNIGHT_S)
    ce = boto3.client(
        "ce", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    groups = [
        ("Amazon Bedrock", "USE1-NovaMicro-input-tokens", "0.0002"),
        ("Amazon Bedrock", "USE1-NovaMicro-output-tokens", "0.0001"),
        ("Claude Sonnet 4.5 (Amazon Bedrock Edition)", "USE1-MP:USE1_InputTokenCount-Units", "1"),
    ]
    answer = {
        "ResultsByTime": [
            {
                "TimePeriod": {"Start": "2025-06-13", "End": "2025-06-14"},
                "Groups": [
                    {"Keys": [s, u], "Metrics": {"UnblendedCost": {"Amount": a, "Unit": "USD"}}}
                    for s, u, a in groups
                ],
            }
        ]
    }
    with Stubber(ce) as ce_stub:
        request = cost_explorer_request("2025-06-13", "2025-06-14")
        ce_stub.add_response("get_cost_and_usage", answer, request)
        monkeypatch.setattr(_reconcile, "make_ce_client", lambda profile: ce)
        assert main(["reconcile", "--day", "2025-06-13", "--deck", "prod", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    rows = {r["model"]: r for r in document["rows"]}
    report = _report(lines)
    base = "anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert rows[base]["calls"] == report[SONNET]["calls"]
    assert rows[base]["deck_unpriced_calls"] == 1 and rows[base]["deck_is_lower_bound"] is True
    assert rows[base]["deck_usd"] == round(report[SONNET]["total_cost_usd"], 6)
    assert rows[NOVA]["deck_unpriced_calls"] == 0 and rows[NOVA]["deck_is_lower_bound"] is False
    assert document["total"]["deck_unpriced_calls"] == 1
    # The mystery model is not in the catalog: unmatched, on the deck's side.
    assert any(u["what"] == MYSTERY for u in document["unmatched"])
