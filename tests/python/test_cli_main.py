"""Tests of the genai-obs command run in-process through main(argv)."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from genai_observability.cli import _insights, _timerange, main
from genai_observability.cli._questions import QUESTIONS

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "llm_calls.jsonl"
SNAPSHOTS = HERE / "fixtures" / "snapshots"
LAMBDA_DIR = HERE.parent.parent / "lambda"

NOW = datetime(2025, 6, 14, 15, 42, 10, tzinfo=UTC)
NOW_S = int(NOW.timestamp())
MIDNIGHT_S = int(datetime(2025, 6, 14, tzinfo=UTC).timestamp())
GROUPS = ["/aws/lambda/chat-prod"]
SAVED_QUERY = QUESTIONS["cost-by-model"].query

# A realistic cost-by-model result, as Logs Insights returns it (strings, @ptr on rows).
SPEND_RESULTS = [
    [
        {"field": "model", "value": "us.anthropic.claude-sonnet-4-20250514-v1:0"},
        {"field": "total_cost_usd", "value": "18.430326"},
        {"field": "calls", "value": "2841"},
        {"field": "total_input_tokens", "value": "4112337"},
        {"field": "total_output_tokens", "value": "406221"},
    ],
    [
        {"field": "model", "value": "us.amazon.nova-pro-v1:0"},
        {"field": "total_cost_usd", "value": "11.8518488"},
        {"field": "calls", "value": "12450"},
        {"field": "total_input_tokens", "value": "9876543"},
        {"field": "total_output_tokens", "value": "1234567"},
    ],
    [
        {"field": "model", "value": "amazon.nova-micro-v1:0"},
        {"field": "total_cost_usd", "value": "1.23104919"},
        {"field": "calls", "value": "48210"},
        {"field": "total_input_tokens", "value": "21345678"},
        {"field": "total_output_tokens", "value": "3456789"},
    ],
]


class FakeTime:
    """A monotonic clock that only moves when sleep is called."""

    def __init__(self) -> None:
        self.now = 50.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(_insights, "_clock", fake.clock)
    monkeypatch.setattr(_insights, "_sleep", fake.sleep)
    monkeypatch.setattr(_timerange, "now", lambda: NOW)
    monkeypatch.delenv("GENAI_OBS_DECK", raising=False)
    return fake


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch, fake_time: FakeTime) -> Iterator[Stubber]:
    client = boto3.client(
        "logs",
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    calls: list[tuple[Any, Any]] = []

    def make_client(region: str | None = None, profile: str | None = None) -> Any:
        calls.append((region, profile))
        return client

    monkeypatch.setattr(_insights, "make_client", make_client)
    with Stubber(client) as stubber:
        stubber.make_client_calls = calls  # type: ignore[attr-defined]
        yield stubber
        stubber.assert_no_pending_responses()


def _definitions(stubber: Stubber, prefix: str, *definitions: dict[str, Any]) -> None:
    stubber.add_response(
        "describe_query_definitions",
        {"queryDefinitions": list(definitions)},
        {"queryDefinitionNamePrefix": prefix, "maxResults": 1000},
    )


def _definition(name: str, query: str = SAVED_QUERY, groups: list[str] = GROUPS) -> dict:
    return {
        "queryDefinitionId": f"id-{name}",
        "name": name,
        "queryString": query,
        "logGroupNames": groups,
    }


def _start(
    stubber: Stubber,
    *,
    query: str = SAVED_QUERY,
    groups: list[str] = GROUPS,
    start: int = NOW_S - 86400,
    end: int = NOW_S,
) -> None:
    stubber.add_response(
        "start_query",
        {"queryId": "q-1"},
        {"logGroupNames": groups, "startTime": start, "endTime": end, "queryString": query},
    )


def _results(stubber: Stubber, status: str, results: list | None = None) -> None:
    stubber.add_response(
        "get_query_results",
        {
            "status": status,
            "results": [
                [*row, {"field": "@ptr", "value": "CmAKJwojMTIzNDU2Nzg5MDEyOi9hd3MvbGFtYmRh"}]
                for row in (results or [])
            ],
            "statistics": {
                "recordsMatched": 63501.0,
                "recordsScanned": 191204.0,
                "bytesScanned": 48_213_377.0,
            },
        },
        {"queryId": "q-1"},
    )


def _snapshot(name: str) -> str:
    return (SNAPSHOTS / name).read_text(encoding="utf-8")


# ask


def test_main_ask_runs_the_saved_query_and_prints_a_table(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub)
    _results(stub, "Running")
    _results(stub, "Complete", SPEND_RESULTS)
    code = main(["ask", "cost-by-model", "--deck", "prod", "--region", "eu-west-1"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out == _snapshot("ask_cost_by_model.txt")
    assert err == ""
    assert stub.make_client_calls == [("eu-west-1", None)]  # type: ignore[attr-defined]


def test_main_ask_uses_the_deck_from_the_environment(
    stub: Stubber, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GENAI_OBS_DECK", "prod")
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub)
    _results(stub, "Complete", SPEND_RESULTS)
    assert main(["ask", "cost-by-model"]) == 0


def test_main_ask_with_log_group_and_no_deck_uses_the_built_in_query(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _start(
        stub,
        query=QUESTIONS["errors-by-type"].query,
        groups=["/aws/lambda/a", "/aws/lambda/b"],
        start=NOW_S - 7 * 86400,
    )
    _results(
        stub,
        "Complete",
        [
            [
                {"field": "error_type", "value": "ThrottlingException"},
                {"field": "model", "value": "amazon.nova-micro-v1:0"},
                {"field": "errors", "value": "1204"},
            ]
        ],
    )
    code = main(
        [
            "ask",
            "errors-by-type",
            "--log-group",
            "/aws/lambda/a",
            "--log-group",
            "/aws/lambda/b",
            "--since",
            "7d",
        ]
    )
    assert code == 0
    assert capsys.readouterr().out == (
        "error_type           model                   errors\n"
        "-------------------  ----------------------  ------\n"
        "ThrottlingException  amazon.nova-micro-v1:0   1,204\n"
    )


def test_main_ask_log_group_overrides_the_saved_log_groups(stub: Stubber) -> None:
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub, groups=["/aws/lambda/other"])
    _results(stub, "Complete", SPEND_RESULTS)
    assert main(["ask", "cost-by-model", "--deck", "prod", "--log-group", "/aws/lambda/other"]) == 0


def test_main_ask_json_has_numbers_and_no_ptr(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub)
    _results(stub, "Complete", SPEND_RESULTS[:1])
    assert main(["ask", "cost-by-model", "--deck", "prod", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "model": "us.anthropic.claude-sonnet-4-20250514-v1:0",
            "total_cost_usd": 18.430326,
            "calls": 2841,
            "total_input_tokens": 4112337,
            "total_output_tokens": 406221,
        }
    ]


def test_main_ask_csv_keeps_values_as_returned(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub)
    _results(stub, "Complete", SPEND_RESULTS)
    assert main(["ask", "cost-by-model", "--deck", "prod", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == [
        "model",
        "total_cost_usd",
        "calls",
        "total_input_tokens",
        "total_output_tokens",
    ]
    assert rows[3] == ["amazon.nova-micro-v1:0", "1.23104919", "48210", "21345678", "3456789"]


def test_main_ask_progress_flag_reports_on_stderr(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub)
    _results(stub, "Running")
    _results(stub, "Complete", SPEND_RESULTS)
    assert main(["ask", "cost-by-model", "--deck", "prod", "--progress"]) == 0
    assert capsys.readouterr().err == (
        "Running: 191,204 records scanned, 48.2 MB scanned in 0s\n"
        "Complete: 191,204 records scanned, 48.2 MB scanned in 0s\n"
        "3 rows; 191,204 records scanned, 48.2 MB scanned in 0s\n"
    )


def test_main_ask_warns_when_results_hit_the_row_limit(
    stub: Stubber, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(_insights, "MAX_ROWS", 3)
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub)
    _results(stub, "Complete", SPEND_RESULTS)
    assert main(["ask", "cost-by-model", "--deck", "prod"]) == 0
    assert "at most 3 rows" in capsys.readouterr().err


def test_main_ask_unknown_question_lists_the_valid_ones(
    fake_time: FakeTime, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ask", "daily-costs", "--log-group", "/aws/lambda/chat"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "genai-obs: error: unknown question 'daily-costs' (did you mean 'daily-cost'?); "
        f"valid questions: {', '.join(QUESTIONS)}\n"
    )


def test_main_ask_question_missing_from_deck_lists_the_saved_ones(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "prod/latency")
    _definitions(
        stub, "prod/", _definition("prod/latency-by-model"), _definition("prod/daily-cost")
    )
    assert main(["ask", "latency", "--deck", "prod"]) == 2
    assert capsys.readouterr().err == (
        "genai-obs: error: unknown question 'latency' (did you mean 'latency-by-model'?); "
        "deck 'prod' answers: daily-cost, latency-by-model\n"
    )


def test_main_ask_built_in_question_missing_from_deck_is_not_found(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "prod/daily-cost")
    _definitions(stub, "prod/", _definition("prod/cost-by-model"))
    assert main(["ask", "daily-cost", "--deck", "prod"]) == 1
    assert capsys.readouterr().err == (
        "genai-obs: error: deck 'prod' has no saved query 'prod/daily-cost' in eu-west-1; "
        "it answers: cost-by-model\n"
    )


def test_main_ask_deck_not_found_is_one_line(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "nope/daily-cost")
    _definitions(stub, "nope/")
    assert main(["ask", "daily-cost", "--deck", "nope"]) == 1
    assert capsys.readouterr().err == (
        "genai-obs: error: deck 'nope' not found: no Logs Insights query definitions named "
        "'nope/...' in eu-west-1 (check --deck, --region and --profile)\n"
    )


def test_main_ask_saved_query_without_log_groups_asks_for_one(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "prod/daily-cost", _definition("prod/daily-cost", groups=[]))
    assert main(["ask", "daily-cost", "--deck", "prod"]) == 2
    assert "has no log groups; pass --log-group" in capsys.readouterr().err


def test_main_ask_without_deck_or_log_group_is_a_usage_error(
    fake_time: FakeTime, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "daily-cost"]) == 2
    assert "--deck NAME" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterdayish"], "bad --since 'yesterdayish'"),
        (["--until", "2025-99-01"], "bad --until '2025-99-01'"),
        (["--since", "1h", "--until", "2h"], "bad time range"),
        (["--timeout", "0"], "--timeout must be a positive number"),
    ],
)
def test_main_ask_bad_time_range_exits_2_before_calling_aws(
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.setattr(_insights, "make_client", lambda *a: pytest.fail("called AWS"))
    assert main(["ask", "daily-cost", "--deck", "prod", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("status", ["Failed", "Cancelled", "Timeout", "Unknown"])
def test_main_ask_failed_query_is_one_line_exit_1(
    stub: Stubber, capsys: pytest.CaptureFixture[str], status: str
) -> None:
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub)
    _results(stub, "Running")
    _results(stub, status)
    assert main(["ask", "cost-by-model", "--deck", "prod"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"genai-obs: error: query q-1 ended with status {status} on AWS")
    assert err.count("\n") == 1


def test_main_ask_timeout_stops_the_query(
    stub: Stubber, fake_time: FakeTime, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub)
    for _ in range(3):
        _results(stub, "Running")
    stub.add_response("stop_query", {"success": True}, {"queryId": "q-1"})
    assert main(["ask", "cost-by-model", "--deck", "prod", "--timeout", "1"]) == 1
    assert fake_time.sleeps == [0.5, 0.5]
    assert capsys.readouterr().err == (
        "genai-obs: error: query q-1 did not finish within 1s and was stopped;"
        " narrow the time range or raise --timeout\n"
    )


def test_main_ask_ctrl_c_stops_the_query_and_exits_130(
    stub: Stubber, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def ctrl_c(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_insights, "_sleep", ctrl_c)
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub)
    _results(stub, "Running")
    stub.add_response("stop_query", {"success": True}, {"queryId": "q-1"})
    assert main(["ask", "cost-by-model", "--deck", "prod"]) == 130
    assert capsys.readouterr().err == "genai-obs: error: interrupted; stopped query q-1 on AWS\n"


def test_main_ask_without_credentials_is_one_line(
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["ask", "daily-cost", "--deck", "prod", "--region", "eu-west-1"]) == 1
    assert capsys.readouterr().err == (
        "genai-obs: error: no AWS credentials found: pass --profile, set AWS_PROFILE or "
        "configure credentials (aws configure, aws sso login)\n"
    )


def test_main_ask_unknown_profile_is_one_line(
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    assert main(["ask", "daily-cost", "--deck", "prod", "--profile", "ghost"]) == 1
    assert capsys.readouterr().err == "genai-obs: error: AWS profile not found: ghost\n"


def test_main_spend_on_moto_reports_a_missing_log_group(
    fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    moto = pytest.importorskip("moto")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with moto.mock_aws():
        code = main(["spend", "--log-group", "/aws/lambda/missing", "--region", "eu-west-1"])
    assert code == 1
    assert capsys.readouterr().err == (
        "genai-obs: error: StartQuery: not found: The specified log group does not exist.\n"
    )


# spend


def test_main_spend_prints_cost_by_model_since_utc_midnight_with_total(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub, start=MIDNIGHT_S)
    _results(stub, "Running")
    _results(stub, "Complete", SPEND_RESULTS)
    assert main(["spend", "--deck", "prod"]) == 0
    assert capsys.readouterr().out == _snapshot("spend.txt")


def test_main_spend_json_has_rows_total_and_range(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub, start=NOW_S - 7 * 86400)
    _results(stub, "Complete", SPEND_RESULTS)
    assert main(["spend", "--deck", "prod", "--since", "7d", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    # 18.430326 + 11.8518488 + 1.23104919 = 31.51322399 (summed in decimal)
    assert document["total"] == {
        "model": "TOTAL",
        "total_cost_usd": 31.51322399,
        "calls": 63501,
        "total_input_tokens": 35334558,
        "total_output_tokens": 5097577,
    }
    assert len(document["rows"]) == 3
    assert document["since"] == "2025-06-07T15:42:10Z"
    assert document["until"] == "2025-06-14T15:42:10Z"


def test_main_spend_with_no_calls_says_no_results(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(stub, "prod/cost-by-model", _definition("prod/cost-by-model"))
    _start(stub, start=MIDNIGHT_S)
    _results(stub, "Complete", [])
    assert main(["spend", "--deck", "prod"]) == 0
    assert capsys.readouterr().out.endswith("(no results)\n")


# questions


def test_main_questions_lists_the_built_in_questions(
    fake_time: FakeTime, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["questions", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [row["question"] for row in listed] == [
        "daily-cost",
        "cost-by-model",
        "cost-per-invocation",
        "latency-by-model",
        "slowest-calls",
        "most-expensive-calls",
        "errors-by-type",
        "unpriced-models",
        "log-metric-daily",
    ]
    assert all(row["description"].endswith(".") for row in listed)


def test_main_questions_with_deck_shows_saved_missing_and_custom(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    _definitions(
        stub,
        "prod/",
        _definition("prod/daily-cost"),
        _definition("prod/my-own", groups=["/aws/lambda/a", "/aws/lambda/b"]),
    )
    assert main(["questions", "--deck", "prod", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["question", "saved", "log_groups", "description"]
    assert rows[1][:3] == ["daily-cost", "yes", "/aws/lambda/chat-prod"]
    assert rows[2][:3] == ["cost-by-model", "no", ""]
    assert rows[-1] == ["my-own", "yes", "/aws/lambda/a, /aws/lambda/b", "(custom query)"]
    assert len(rows) == 1 + len(QUESTIONS) + 1


# report


def test_main_report_prints_the_summary_of_the_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(FIXTURE)]) == 0
    assert capsys.readouterr().out == _snapshot("report.txt")


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


# prices


def test_main_prices_shows_a_catalog_price(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GENAI_MODEL_PRICES", raising=False)
    assert main(["prices", "us.amazon.nova-micro-v1:0", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "model": "us.amazon.nova-micro-v1:0",
            "source": "catalog",
            "input_usd": 0.035,
            "output_usd": 0.14,
            "cache_read_usd": 0.00875,
            "cache_write_usd": None,
        }
    ]


def test_main_prices_override_wins(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(
        "GENAI_MODEL_PRICES", json.dumps({"amazon.nova-micro-v1:0": {"input": 1, "output": 2}})
    )
    assert main(["prices", "amazon.nova-micro-v1:0"]) == 0
    assert capsys.readouterr().out == (
        "Prices in USD per 1M tokens; - is unknown.\n"
        "\n"
        "model                   source    input_usd  output_usd  cache_read_usd  cache_write_usd\n"
        "----------------------  --------  ---------  ----------  --------------  ---------------\n"
        "amazon.nova-micro-v1:0  override      $1.00       $2.00  -               -\n"
    )


def test_main_prices_unknown_model_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GENAI_MODEL_PRICES", raising=False)
    assert main(["prices", "acme.mystery-v1", "--format", "csv"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[1] == "acme.mystery-v1,unknown,,,,"
    assert "no price for acme.mystery-v1" in err


def test_main_prices_lists_catalog_and_overrides(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(
        "GENAI_MODEL_PRICES", json.dumps({"acme.mystery-v1": {"input": 0.5, "output": 1.5}})
    )
    assert main(["prices", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["overrides"] == 1
    assert document["as_of"]
    rows = {row["model"]: row for row in document["rows"]}
    assert rows["acme.mystery-v1"]["source"] == "override"
    assert rows["amazon.nova-micro-v1:0"]["source"] == "catalog"
    assert len(rows) > 20


def test_main_prices_bad_overrides_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GENAI_MODEL_PRICES", "{not json")
    assert main(["prices"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("genai-obs: error: ")
    assert "GENAI_MODEL_PRICES" in err
    assert err.count("\n") == 1


# package


def test_main_package_prints_path_and_both_hashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_zip = tmp_path / "lambda.zip"
    assert main(["package", str(out_zip)]) == 0
    digest = hashlib.sha256(out_zip.read_bytes()).digest()
    assert capsys.readouterr().out == (
        f"{out_zip}\n"
        f"sha256         {digest.hex()}\n"
        f"sha256 base64  {base64.b64encode(digest).decode()}  (Terraform source_code_hash)\n"
    )


def test_main_package_unwritable_path_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    assert main(["package", str(blocker / "x.zip")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("genai-obs: error: ")
    assert err.count("\n") == 1


# parser


def test_main_without_a_command_prints_help_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 2
    assert "usage: genai-obs" in capsys.readouterr().err


def test_main_bad_format_is_an_argparse_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "-", "--format", "xml"]) == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_main_module_help_runs_in_a_subprocess() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "genai_observability.cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(LAMBDA_DIR), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("usage: genai-obs")
    for command in ("ask", "questions", "spend", "report", "package", "prices"):
        assert command in completed.stdout


def test_main_prices_partly_bad_overrides_show_what_the_payload_uses(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(
        "GENAI_MODEL_PRICES",
        json.dumps(
            {
                "amazon.nova-micro-v1:0": {"input": "cheap"},
                "acme.mystery-v1": {"input": 0.5, "output": 1.5},
            }
        ),
    )
    assert main(["prices", "--format", "json"]) == 1
    captured = capsys.readouterr()
    rows = {row["model"]: row for row in json.loads(captured.out)["rows"]}
    assert rows["acme.mystery-v1"]["source"] == "override"
    assert rows["amazon.nova-micro-v1:0"]["source"] == "catalog"
    assert captured.err.startswith("genai-obs: error: ")
    assert captured.err.count("\n") == 1
