"""Tests of genai_observability.cli._format: USD and number formatting, table/JSON/CSV."""

from __future__ import annotations

import json

import pytest
from genai_observability.cli._format import (
    format_bytes,
    format_number,
    format_usd,
    is_usd_column,
    render,
    render_csv,
    render_json,
    render_table,
    to_number,
)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0.000123, "$0.000123"),
        (12.3456, "$12.35"),
        (1234.5, "$1,234.50"),
        (1234567.891, "$1,234,567.89"),
        (1, "$1.00"),
        (0, "$0.00"),
        (0.5, "$0.50"),
        (0.123456, "$0.123"),
        (0.0357, "$0.0357"),
        (0.013513, "$0.0135"),
        (0.00000035, "$0.00000035"),
        (0.9999, "$1.00"),
        (0.01275, "$0.0128"),
        (2.675, "$2.68"),
        (1e-15, "$0.00"),
        (-3.1, "-$3.10"),
    ],
)
def test_format_usd_scales_with_the_amount(amount: float, text: str) -> None:
    assert format_usd(amount) == text


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (12345, "12,345"),
        (12345.0, "12,345"),
        (1234.567, "1,234.57"),
        (150.5, "150.5"),
        (99.999, "100"),
        (0.0123, "0.0123"),
    ],
)
def test_format_number_uses_thousands_separators(number: float, text: str) -> None:
    assert format_number(number) == text


@pytest.mark.parametrize(
    ("name", "usd"),
    [("cost_usd", True), ("Total_USD", True), ("total_cost", True), ("calls", False)],
)
def test_is_usd_column_matches_usd_and_cost(name: str, usd: bool) -> None:
    assert is_usd_column(name) is usd


@pytest.mark.parametrize(
    ("value", "number"),
    [("12", 12), ("1.5", 1.5), ("1.2E-5", 1.2e-5), ("abc", None), ("nan", None), (True, None)],
)
def test_to_number_reads_insights_strings(value: object, number: float | None) -> None:
    assert to_number(value) == number


def test_render_table_aligns_and_formats_usd() -> None:
    rows = [
        {"model": "amazon.nova-micro-v1:0", "calls": "1234", "cost_usd": "0.000123"},
        {"model": "anthropic.claude-3-5-sonnet-20240620-v1:0", "calls": "7", "cost_usd": "12.3456"},
    ]
    expected = (
        "model                                      calls   cost_usd\n"
        "-----------------------------------------  -----  ---------\n"
        "amazon.nova-micro-v1:0                     1,234  $0.000123\n"
        "anthropic.claude-3-5-sonnet-20240620-v1:0      7     $12.35\n"
    )
    assert render_table(["model", "calls", "cost_usd"], rows) == expected


def test_render_table_prints_total_under_a_rule() -> None:
    rows = [{"model": "a", "cost_usd": 1.5}, {"model": "b", "cost_usd": 2}]
    total = {"model": "TOTAL", "cost_usd": 3.5}
    expected = (
        "model  cost_usd\n"
        "-----  --------\n"
        "a         $1.50\n"
        "b         $2.00\n"
        "-----  --------\n"
        "TOTAL     $3.50\n"
    )
    assert render_table(["model", "cost_usd"], rows, total=total) == expected


def test_render_table_shows_missing_text_for_none() -> None:
    rows = [{"model": "a", "cost_usd": None}, {"model": "b", "cost_usd": 0.25}]
    text = render_table(["model", "cost_usd"], rows, missing="-")
    assert text.splitlines()[2] == "a             -"
    assert text.splitlines()[3] == "b         $0.25"


def test_render_table_says_no_results_when_empty() -> None:
    assert render_table(["a"], []) == "(no results)\n"


def test_render_json_converts_numeric_strings() -> None:
    rows = [{"day": "2025-06-14 00:00:00.000", "cost_usd": "0.5", "calls": "3"}]
    assert json.loads(render_json(["day", "cost_usd", "calls"], rows)) == [
        {"day": "2025-06-14 00:00:00.000", "cost_usd": 0.5, "calls": 3}
    ]


def test_render_json_with_total_is_an_object() -> None:
    document = json.loads(
        render_json(["m", "n"], [{"m": "a", "n": 1}], total={"m": "TOTAL", "n": 1})
    )
    assert document == {"rows": [{"m": "a", "n": 1}], "total": {"m": "TOTAL", "n": 1}}


def test_render_csv_keeps_raw_values_and_quotes() -> None:
    rows = [{"model": "a,b", "cost_usd": "0.000123"}, {"model": "c"}]
    assert render_csv(["model", "cost_usd"], rows) == 'model,cost_usd\n"a,b",0.000123\nc,\n'


def test_render_dispatches_on_format() -> None:
    rows = [{"a": "1"}]
    assert render("csv", ["a"], rows) == "a\n1\n"
    assert json.loads(render("json", ["a"], rows)) == [{"a": 1}]
    assert render("table", ["a"], rows) == "a\n-\n1\n"


@pytest.mark.parametrize(
    ("count", "text"), [(999, "999 B"), (1500, "1.5 kB"), (4_200_000, "4.2 MB"), (3e12, "3.0 TB")]
)
def test_format_bytes_uses_decimal_units(count: float, text: str) -> None:
    assert format_bytes(count) == text
