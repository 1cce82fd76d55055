"""Tests of genai_observability.cli._report against hand-computed figures.

The fixture tests/python/fixtures/llm_calls.jsonl has 25 lines: 1 blank, 7 that are not
JSON objects (Lambda START/END/REPORT lines, "not json {", "[1, 2]"), 2 other JSON events
(a log_metric line and {"event": "handler_start"}) and 15 llm_call lines:

amazon.nova-micro-v1:0 (USD 0.035 / 0.14 per 1M tokens), 10 calls:
    input  1000+2000+400+3000+0+1000+1000+500+1500+600 = 11000
    output  200+ 500+100+1000+0+ 200+ 200+ 50+ 300+150 =  2700
    cost   11000 * 0.035e-6 + 2700 * 0.14e-6 = 0.000385 + 0.000378 = 0.000763
           (= 0.000063+0.00014+0.000028+0.000245+0+0.000063+0.000063+0.0000245
              +0.0000945+0.000042, the per-line values)
    errors 1 (ThrottlingException)
    latency sorted: 15, 88, 95, 120, 130, 150.5, 180, 205, 340, 610 (n = 10)
        p50 rank ceil(5.0) = 5 -> 130; p90 rank ceil(9.0) = 9 -> 340;
        p99 rank ceil(9.9) = 10 -> 610
anthropic.claude-3-5-sonnet-20240620-v1:0 (USD 3 / 15 per 1M tokens), 4 calls:
    input 1200+800+0+0 = 2000; output 300+150+0+0 = 450
    cost  0.0081 + 0.00465 + 0 + 0 = 0.01275 (= 2000 * 3e-6 + 450 * 15e-6)
    errors 2 (ThrottlingException, ValidationException)
    latency sorted: 25, 30, 1800, 2100 (n = 4)
        p50 rank 2 -> 30; p90 rank ceil(3.6) = 4 -> 2100; p99 rank 4 -> 2100
acme.mystery-v1, 1 call, cost_usd null (pricing unknown): input 500, output 100,
    cost shown as null (no priced call), unpriced 1, latency 900 -> p50 = p90 = p99 = 900
Total: calls 15, errors 3, unpriced 1, input 13500, output 3250,
    cost 0.000763 + 0.01275 = 0.013513
    latency sorted (n = 15): 15, 25, 30, 88, 95, 120, 130, 150.5, 180, 205, 340, 610, 900,
        1800, 2100; p50 rank ceil(7.5) = 8 -> 150.5; p90 rank ceil(13.5) = 14 -> 1800;
        p99 rank ceil(14.85) = 15 -> 2100
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from genai_observability.cli import main
from genai_observability.cli._report import Report, build_report, percentile
from support.cli import (
    FIXTURE,
    snapshot,
)

NOVA = "amazon.nova-micro-v1:0"
CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0"
MYSTERY = "acme.mystery-v1"


@pytest.fixture(scope="module")
def report() -> Report:
    with FIXTURE.open(encoding="utf-8") as handle:
        return build_report(handle)


def test_build_report_counts_lines_by_kind(report: Report) -> None:
    assert report.counts() == {"lines": 24, "llm_calls": 15, "other_events": 2, "non_json": 7}


def test_build_report_rows_match_hand_computed_figures(report: Report) -> None:
    assert report.model_rows() == [
        {
            "model": CLAUDE,
            "total_cost_usd": 0.01275,
            "calls": 4,
            "total_input_tokens": 2000,
            "total_output_tokens": 450,
            "errors": 2,
            "unpriced_calls": 0,
            "p50_ms": 30,
            "p90_ms": 2100,
            "p99_ms": 2100,
        },
        {
            "model": NOVA,
            "total_cost_usd": 0.000763,
            "calls": 10,
            "total_input_tokens": 11000,
            "total_output_tokens": 2700,
            "errors": 1,
            "unpriced_calls": 0,
            "p50_ms": 130,
            "p90_ms": 340,
            "p99_ms": 610,
        },
        {
            "model": MYSTERY,
            "total_cost_usd": None,
            "calls": 1,
            "total_input_tokens": 500,
            "total_output_tokens": 100,
            "errors": 0,
            "unpriced_calls": 1,
            "p50_ms": 900,
            "p90_ms": 900,
            "p99_ms": 900,
        },
    ]


def test_build_report_total_matches_hand_computed_figures(report: Report) -> None:
    assert report.total_row() == {
        "model": "TOTAL",
        "total_cost_usd": 0.013513,
        "calls": 15,
        "total_input_tokens": 13500,
        "total_output_tokens": 3250,
        "errors": 3,
        "unpriced_calls": 1,
        "p50_ms": 150.5,
        "p90_ms": 1800,
        "p99_ms": 2100,
    }


def test_build_report_errors_by_type_and_model(report: Report) -> None:
    assert report.error_rows() == [
        {"error_type": "ThrottlingException", "model": NOVA, "errors": 1},
        {"error_type": "ThrottlingException", "model": CLAUDE, "errors": 1},
        {"error_type": "ValidationException", "model": CLAUDE, "errors": 1},
    ]


def test_build_report_sums_costs_exactly_in_decimal() -> None:
    lines = [
        '{"event": "llm_call", "model": "m", "cost_usd": 0.1, "latency_ms": 1}',
        '{"event": "llm_call", "model": "m", "cost_usd": 0.2, "latency_ms": 1}',
    ]
    assert build_report(lines).total_row()["total_cost_usd"] == 0.3


def test_build_report_tolerates_bad_values() -> None:
    lines = [
        '{"event": "llm_call", "input_tokens": "many", "output_tokens": true,'
        ' "cost_usd": "1", "latency_ms": null, "status": "error"}',
    ]
    report = build_report(lines)
    assert report.model_rows() == [
        {
            "model": "(none)",
            "total_cost_usd": None,
            "calls": 1,
            "total_input_tokens": 0,
            "total_output_tokens": 0,
            "errors": 1,
            "unpriced_calls": 1,
            "p50_ms": None,
            "p90_ms": None,
            "p99_ms": None,
        }
    ]
    assert report.error_rows() == [{"error_type": "(none)", "model": "(none)", "errors": 1}]


@pytest.mark.parametrize(
    ("p", "expected"), [(1, 1), (10, 1), (11, 2), (50, 5), (90, 9), (99, 10), (100, 10)]
)
def test_percentile_uses_nearest_rank(p: float, expected: int) -> None:
    assert percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], p) == expected


def test_percentile_of_nothing_is_none() -> None:
    assert percentile([], 50) is None


# the command: genai-obs report


def test_main_report_prints_the_summary_of_the_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(FIXTURE)]) == 0
    assert capsys.readouterr().out == snapshot("report.txt")


def test_main_report_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(FIXTURE.read_text(encoding="utf-8")))
    assert main(["report", "-", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[-1] == [
        "TOTAL",
        "0.013513",
        "15",
        "13500",
        "3250",
        "3",
        "1",
        "150.5",
        "1800",
        "2100",
    ]


def test_main_report_json_has_everything(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(FIXTURE), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["lines"] == {"lines": 24, "llm_calls": 15, "other_events": 2, "non_json": 7}
    assert document["total"]["total_cost_usd"] == 0.013513
    assert [row["model"] for row in document["rows"]] == [
        "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "amazon.nova-micro-v1:0",
        "acme.mystery-v1",
    ]
    assert len(document["errors_by_type"]) == 3


def test_main_report_missing_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path / "nope.jsonl")]) == 2
    assert capsys.readouterr().err == (
        f"genai-obs: error: cannot read {tmp_path / 'nope.jsonl'}: No such file or directory\n"
    )
