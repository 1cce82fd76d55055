"""``genai-obs spend``: today's cost by model with a total."""

from __future__ import annotations

import json
import os

import pytest
from botocore.stub import Stubber
from genai_observability.cli import main
from support.cli import (
    MIDNIGHT_S,
    NOW_S,
    SNAPSHOTS,
    SPEND_RESULTS,
    SPEND_RESULTS_CACHE,
    UNPRICED_RESULTS,
    FakeTime,
    add_definitions,
    add_results,
    add_start,
    add_unpriced,
    definition,
    snapshot,
)


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


def test_main_spend_prints_cost_by_model_since_utc_midnight_with_total(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub, start=MIDNIGHT_S)
    add_results(stub, "Running")
    add_results(stub, "Complete", SPEND_RESULTS_CACHE)
    add_unpriced(stub, UNPRICED_RESULTS)
    assert main(["spend", "--deck", "prod"]) == 0
    out = capsys.readouterr().out
    if os.environ.get("GENAI_UPDATE_SNAPSHOTS"):
        (SNAPSHOTS / "spend.txt").write_text(out, encoding="utf-8")
    assert out == snapshot("spend.txt")


def test_main_spend_json_has_rows_total_and_range(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub, start=NOW_S - 7 * 86400)
    add_results(stub, "Complete", SPEND_RESULTS)
    add_unpriced(stub, start=NOW_S - 7 * 86400)
    assert main(["spend", "--deck", "prod", "--since", "7d", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    # 18.430326 + 11.8518488 + 1.23104919 = 31.51322399 (summed in decimal)
    assert document["total"] == {
        "model": "TOTAL",
        "total_cost_usd": 31.51322399,
        "calls": 63501,
        "total_input_tokens": 35334558,
        "total_output_tokens": 5097577,
        "unpriced_calls": 0,
        "cost_is_lower_bound": False,
    }
    assert len(document["rows"]) == 3
    assert document["since"] == "2025-06-07T15:42:10Z"
    assert document["until"] == "2025-06-14T15:42:10Z"


def test_main_spend_with_no_calls_says_no_results(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub, start=MIDNIGHT_S)
    add_results(stub, "Complete", [])
    assert main(["spend", "--deck", "prod"]) == 0
    assert capsys.readouterr().out.endswith("(no results)\n")


def _rows(*rows: dict[str, str]) -> list[list[dict[str, str]]]:
    return [[{"field": k, "value": v} for k, v in row.items()] for row in rows]


def test_main_spend_shows_a_model_without_any_priced_call_as_unknown_never_zero(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub, start=MIDNIGHT_S)
    add_results(
        stub,
        "Complete",
        _rows(
            {"model": "amazon.nova-micro-v1:0", "total_cost_usd": "0.5", "calls": "10"},
            {"model": "acme.mystery-v1", "calls": "4"},
        ),
    )
    add_unpriced(
        stub,
        _rows(
            {
                "model": "acme.mystery-v1",
                "tier": "standard",
                "latency": "standard",
                "call_region": "-",
                "calls": "4",
            }
        ),
    )
    assert main(["spend", "--deck", "prod", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    mystery = document["rows"][1]
    assert mystery["total_cost_usd"] is None and mystery["unpriced_calls"] == 4
    assert mystery["cost_is_lower_bound"] is False
    assert document["rows"][0]["cost_is_lower_bound"] is False
    # The total leaves the 4 calls out: a lower bound.
    assert document["total"]["total_cost_usd"] == 0.5
    assert document["total"]["unpriced_calls"] == 4
    assert document["total"]["cost_is_lower_bound"] is True


def test_main_spend_table_marks_unknown_with_a_dash_and_csv_has_the_flag(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
        add_start(stub, start=MIDNIGHT_S)
        add_results(stub, "Complete", _rows({"model": "acme.mystery-v1", "calls": "4"}))
        add_unpriced(stub, _rows({"model": "acme.mystery-v1", "calls": "4"}))
    assert main(["spend", "--deck", "prod"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[4].split() == ["acme.mystery-v1", "-", "4", "4"]
    assert lines[-1].split() == ["TOTAL", "-", "4", "4"]  # unknown: no lower-bound note
    assert main(["spend", "--deck", "prod", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "model,total_cost_usd,calls,unpriced_calls,cost_is_lower_bound",
        "acme.mystery-v1,,4,4,false",
        "TOTAL,,4,4,false",
    ]


def test_main_spend_on_a_deck_without_the_unpriced_question_still_answers(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    add_definitions(stub, "prod/cost-by-model", definition("prod/cost-by-model"))
    add_start(stub, start=MIDNIGHT_S)
    add_results(stub, "Complete", SPEND_RESULTS)
    add_definitions(stub, "prod/unpriced-models")
    add_definitions(stub, "prod/", definition("prod/cost-by-model"))
    assert main(["spend", "--deck", "prod", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "genai-obs: note: deck 'prod' has no saved question 'unpriced-models' (saved by newer"
        " versions of the module): a cost that leaves out unpriced calls cannot be marked as"
        " a lower bound\n"
    )
    document = json.loads(captured.out)
    assert "cost_is_lower_bound" not in document["total"]
    assert document["total"]["total_cost_usd"] == 31.51322399
