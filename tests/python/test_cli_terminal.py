"""The command never misleads: bad input gets one line and the documented exit status,
empty results say so, totals that miss unpriced calls are marked, numbers stay plain."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from botocore.stub import Stubber
from genai_observability.cli import _insights, main
from genai_observability.cli._format import render_csv
from support.cli import FakeTime, add_definitions, add_results, add_start, definition


def _line(**fields: object) -> str:
    base = {"event": "llm_call", "model": "m", "status": "ok", "latency_ms": 10}
    base.update(fields)
    return json.dumps(base)


def _report(tmp_path: Path, lines: list[str], *extra: str) -> tuple[int, str, str]:
    path = tmp_path / "calls.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return main(["report", str(path), *extra]), str(path), ""


def _one_line_error(text: str) -> None:
    assert text.count("\n") == 1 and text.startswith("genai-obs: error: "), text
    assert "Traceback" not in text


def test_report_counts_deeply_nested_json_as_unreadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = "[" * 200_000 + "]" * 200_000
    nested_call = '{"event": "llm_call", "x": ' + "[" * 200_000 + "]" * 200_000 + "}"
    code, _, _ = _report(tmp_path, [deep, nested_call, _line(cost_usd=0.5)], "--format", "json")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    document = json.loads(captured.out)
    assert document["lines"]["non_json"] == 2
    assert document["total"]["calls"] == 1


def test_report_skips_and_counts_token_counts_that_are_not_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        _line(input_tokens=10, output_tokens=5, cost_usd=0.1),
        _line(input_tokens=-3, output_tokens=5, cost_usd=0.1),
        _line(input_tokens=10**16, output_tokens=5, cost_usd=0.1),
        _line(input_tokens=1.5, output_tokens=5, cost_usd=0.1),
        _line(input_tokens=True, output_tokens=5, cost_usd=0.1),
        _line(input_tokens=10**15, output_tokens=0, cost_usd=0.1),
    ]
    code, _, _ = _report(tmp_path, lines, "--format", "json")
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert document["total"]["total_input_tokens"] == 10 + 10**15
    assert document["total"]["calls"] == 2
    assert document["lines"]["invalid_counts"] == 4
    main(["report", str(tmp_path / "calls.jsonl")])
    assert "4 llm_call lines skipped" in capsys.readouterr().out


def test_report_shows_cache_tokens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        _line(cache_read_tokens=100, cache_write_tokens=7, cost_usd=0.1),
        _line(cache_read_tokens=20, cost_usd=0.1),
    ]
    _report(tmp_path, lines, "--format", "json")
    total = json.loads(capsys.readouterr().out)["total"]
    assert total["total_cache_read_tokens"] == 120
    assert total["total_cache_write_tokens"] == 7
    _report(tmp_path, lines)
    assert "total_cache_read_tokens" in capsys.readouterr().out


def test_report_marks_a_total_with_unpriced_calls_as_a_lower_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        _line(model="a", cost_usd=1.23),
        _line(model="b", cost_usd=None),
        _line(model="c", cost_usd=2.0),
    ]
    _report(tmp_path, lines, "--format", "json")
    document = json.loads(capsys.readouterr().out)
    assert document["total"]["cost_is_lower_bound"] is True
    rows = {row["model"]: row for row in document["rows"]}
    assert rows["a"]["cost_is_lower_bound"] is False
    _report(tmp_path, lines, "--format", "csv")
    total = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))[-1]
    assert total["cost_is_lower_bound"] == "true"
    _report(tmp_path, lines)
    table = capsys.readouterr().out
    assert ">= $3.23" in table
    assert "at least" in table


def test_csv_writes_plain_decimals() -> None:
    text = render_csv(["cost_usd", "n"], [{"cost_usd": 5.1415e-05, "n": "1.5e-07"}])
    assert text == "cost_usd,n\n0.000051415,0.00000015\n"


def test_report_csv_total_is_a_plain_decimal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _report(tmp_path, [_line(cost_usd=0.00005), _line(cost_usd=0.0000014)], "--format", "csv")
    assert "e-0" not in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("command", ["spend", "ask"])
def test_rows_without_columns_are_no_results(
    stub: Stubber, capsys: pytest.CaptureFixture[str], fmt: str, command: str
) -> None:
    question = "cost-by-model" if command == "spend" else "daily-cost"
    add_definitions(stub, f"prod/{question}", definition(f"prod/{question}"))
    since = ["--since", "24h"]
    add_start(stub)
    add_results(stub, "Complete", [[], []])
    args = [command, *([question] if command == "ask" else []), "--deck", "prod", *since]
    code = main([*args, "--format", fmt])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err == "genai-obs: no results: the query returned no rows\n"
    if fmt == "table":
        assert captured.out.endswith("(no results)\n")
    elif fmt == "csv":
        assert captured.out.strip() == ""  # no columns: not even a header
    else:
        document = json.loads(captured.out)
        assert (document if command == "ask" else document["rows"]) == []


def test_region_hint_names_the_variable_botocore_reads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    code = main(["questions", "--deck", "prod"])
    err = capsys.readouterr().err
    assert code == 1
    assert "AWS_DEFAULT_REGION" in err
    # ...and the variable named really works.
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert _insights.make_client().meta.region_name == "eu-west-1"


@pytest.mark.parametrize(
    "argv",
    [
        ["ask"],
        ["frobnicate"],
        ["report"],
        ["spend", "--format", "xml"],
        ["spend", "--bogus"],
    ],
)
def test_usage_errors_are_one_line_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    _one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "0", "1e400", "soon"])
def test_timeout_must_be_a_finite_positive_number(
    fake_time: FakeTime, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "daily-cost", "--log-group", "g", f"--timeout={value}"]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "--timeout" in err


@pytest.mark.parametrize("value", ["nan", "-1", "0", "soon"])
def test_reconcile_timeout_is_read_as_asks(
    fake_time: FakeTime, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["reconcile", "--day", "2025-06-13", "--log-group", "g", f"--timeout={value}"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "argument --timeout: " in err


@pytest.mark.parametrize("value", ["1900-01-01", "1969-12-31T23:59:59Z", "0001-01-01"])
def test_since_before_the_epoch_is_a_usage_error(
    fake_time: FakeTime, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "daily-cost", "--log-group", "g", "--since", value]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "1970-01-01" in err


@pytest.mark.parametrize("out", ["", "DIR"])
def test_package_on_a_directory_or_empty_path_is_one_clear_line(
    tmp_path: Path, out: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path) if out == "DIR" else ""
    assert main(["package", target]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert ("is a directory" in err) if out == "DIR" else ("empty" in err)


@pytest.mark.parametrize("source", ["MISSING", "", "EMPTYDIR"])
def test_package_source_dir_must_hold_the_package(
    tmp_path: Path, source: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    given = {"MISSING": str(tmp_path / "nope"), "": "", "EMPTYDIR": str(tmp_path / "empty")}
    out = tmp_path / "out.zip"
    assert main(["package", str(out), "--source-dir", given[source]]) == 2
    _one_line_error(capsys.readouterr().err)
    assert not out.exists()


def test_a_malformed_region_is_a_usage_error(
    fake_time: FakeTime, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "daily-cost", "--log-group", "g", "--region", "bad region!"]) == 2
    _one_line_error(capsys.readouterr().err)


def test_json_numbers_are_plain_decimals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _report(tmp_path, [_line(cost_usd=0.000051415)], "--format", "json")
    text = capsys.readouterr().out
    assert "e-05" not in text and '"total_cost_usd": 0.000051415' in text
    assert json.loads(text)["total"]["total_cost_usd"] == 0.000051415


@pytest.mark.parametrize("cost", [-1.0, 1e16, 1e308])
def test_report_skips_costs_that_are_not_costs(
    tmp_path: Path, cost: float, capsys: pytest.CaptureFixture[str]
) -> None:
    _report(
        tmp_path,
        [_line(cost_usd=cost), _line(cost_usd=cost), _line(cost_usd=0.5)],
        "--format",
        "json",
    )
    document = json.loads(capsys.readouterr().out)
    assert document["total"]["total_cost_usd"] == 0.5
    assert document["lines"]["invalid_counts"] == 2


def test_more_than_50_log_groups_is_a_usage_error(
    fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(_insights, "make_client", lambda *a: pytest.fail("called AWS"))
    groups = [arg for i in range(51) for arg in ("--log-group", f"/aws/lambda/f{i}")]
    assert main(["ask", "daily-cost", *groups]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "50" in err


def test_package_layer_on_a_directory_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["package", "--layer", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "is a directory" in err
