"""``genai-obs ask``: saved and built-in questions over stubbed Logs Insights answers;
errors are one line with the documented exit status."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from botocore.stub import Stubber
from genai_observability.cli import _insights, main
from genai_observability.cli._questions import QUESTIONS
from support.cli import (
    NOW_S,
    SPEND_RESULTS,
    FakeTime,
    add_definitions,
    add_results,
    add_saved_question_answered,
    add_start,
    definition,
    snapshot,
)


def test_main_ask_runs_the_saved_query_and_prints_a_table(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    add_saved_question_answered(stub)
    code = main(["ask", "cost-by-model", "--deck", "prod", "--region", "eu-west-1"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out == snapshot("ask_cost_by_model.txt")
    assert err == ""
    assert stub.make_client_calls == [("eu-west-1", None)]  # type: ignore[attr-defined]


def test_main_ask_uses_the_deck_from_the_environment(
    stub: Stubber, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GENAI_OBS_DECK", "prod")
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub)
    add_results(stub, "Complete", SPEND_RESULTS)
    assert main(["ask", "cost-by-model"]) == 0


def test_main_ask_with_log_group_and_no_deck_uses_the_built_in_query(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    add_start(
        stub,
        query=QUESTIONS["errors-by-type"].query,
        groups=["/aws/lambda/a", "/aws/lambda/b"],
        start=NOW_S - 7 * 86400,
    )
    add_results(
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
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub, groups=["/aws/lambda/other"])
    add_results(stub, "Complete", SPEND_RESULTS)
    assert main(["ask", "cost-by-model", "--deck", "prod", "--log-group", "/aws/lambda/other"]) == 0


def test_main_ask_json_has_numbers_and_no_ptr(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub)
    add_results(stub, "Complete", SPEND_RESULTS[:1])
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
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub)
    add_results(stub, "Complete", SPEND_RESULTS)
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
    add_saved_question_answered(stub)
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
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub)
    add_results(stub, "Complete", SPEND_RESULTS)
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


@pytest.mark.parametrize(
    ("question", "deck", "saved", "status", "message"),
    [
        pytest.param(
            "latency",
            "prod",
            ["prod/latency-by-model", "prod/daily-cost"],
            2,
            "unknown question 'latency' (did you mean 'latency-by-model'?); "
            "deck 'prod' answers: daily-cost, latency-by-model",
            id="question_missing_from_deck_lists_the_saved_ones",
        ),
        pytest.param(
            "daily-cost",
            "prod",
            ["prod/cost-by-model"],
            1,
            "deck 'prod' has no saved query 'prod/daily-cost' in eu-west-1; "
            "it answers: cost-by-model",
            id="built_in_question_missing_from_deck_is_not_found",
        ),
        pytest.param(
            "daily-cost",
            "nope",
            [],
            1,
            "deck 'nope' not found: no Logs Insights query definitions named "
            "'nope/...' in eu-west-1 (check --deck, --region and --profile)",
            id="deck_not_found_is_one_line",
        ),
    ],
)
def test_main_ask_what_the_deck_lacks_is_one_line(
    stub: Stubber,
    capsys: pytest.CaptureFixture[str],
    question: str,
    deck: str,
    saved: list[str],
    status: int,
    message: str,
) -> None:
    add_definitions(stub, f"{deck}/{question}")  # the exact name first: not saved
    add_definitions(stub, f"{deck}/", *(definition(name) for name in saved))
    assert main(["ask", question, "--deck", deck]) == status
    assert capsys.readouterr().err == f"genai-obs: error: {message}\n"


def test_main_ask_saved_query_without_log_groups_asks_for_one(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    add_definitions(stub, "prod/daily-cost", definition("prod/daily-cost", groups=[]))
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
        (["--timeout", "0"], "argument --timeout: must be a finite number of seconds above zero"),
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
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub)
    add_results(stub, "Running")
    add_results(stub, status)
    assert main(["ask", "cost-by-model", "--deck", "prod"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"genai-obs: error: query q-1 ended with status {status} on AWS")
    assert err.count("\n") == 1


def test_main_ask_timeout_stops_the_query(
    stub: Stubber, fake_time: FakeTime, capsys: pytest.CaptureFixture[str]
) -> None:
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub)
    for _ in range(3):
        add_results(stub, "Running")
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
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub)
    add_results(stub, "Running")
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
