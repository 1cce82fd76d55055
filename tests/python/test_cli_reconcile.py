"""``genai-obs reconcile --day``: the deck's cost by model next to Cost Explorer's, with
Stubber answers shaped like real Logs Insights and ``GetCostAndUsage`` responses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from genai_observability.cli import _insights, _timerange
from genai_observability.cli._questions import QUESTIONS
from genai_observability.cli.commands import reconcile as _reconcile
from support.cli import cost_explorer_request, run_command

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
DAY_S = int(datetime(2026, 11, 30, tzinfo=UTC).timestamp())
GROUPS = ["/aws/lambda/prod-agent"]
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
NOVA_MICRO = "amazon.nova-micro-v1:0"
QUERY = 'filter event = "llm_call" | stats sum(cost_usd) as total_cost_usd by model'
APP_ARN = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"
UNPRICED = QUESTIONS["unpriced-models"].query


class _Clock:
    def __init__(self) -> None:
        self.now = 10.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def stubs(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Stubber, Stubber]]:
    clock = _Clock()
    monkeypatch.setattr(_insights, "_clock", clock.clock)
    monkeypatch.setattr(_insights, "_sleep", clock.sleep)
    monkeypatch.setattr(_timerange, "now", lambda: NOW)
    monkeypatch.delenv("GENAI_OBS_DECK", raising=False)
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    logs = boto3.client("logs", region_name="us-east-1", **keys)
    ce = boto3.client("ce", region_name="us-east-1", **keys)
    monkeypatch.setattr(_insights, "make_client", lambda region=None, profile=None: logs)
    monkeypatch.setattr(_reconcile, "make_ce_client", lambda profile: ce)
    with Stubber(logs) as logs_stub, Stubber(ce) as ce_stub:
        yield logs_stub, ce_stub
        logs_stub.assert_no_pending_responses()
        ce_stub.assert_no_pending_responses()


def _answer(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "status": "Complete",
        "results": [
            [{"field": k, "value": str(v)} for k, v in row.items()]
            + [{"field": "@ptr", "value": "CmAKJwojMTIz"}]
            for row in rows
        ],
        "statistics": {"recordsMatched": 9.0, "recordsScanned": 90.0, "bytesScanned": 9e3},
    }


def _unpriced(stub: Stubber, rows: list[dict[str, Any]] | None, end: int = DAY_S + 86400) -> None:
    """The deck's unpriced-models question: saved and answered with rows (None: not saved)."""
    name = "prod/unpriced-models"
    if rows is None:
        stub.add_response(
            "describe_query_definitions",
            {"queryDefinitions": []},
            {"queryDefinitionNamePrefix": name, "maxResults": 1000},
        )
        stub.add_response(
            "describe_query_definitions",
            {"queryDefinitions": [{"queryDefinitionId": "q", "name": "prod/cost-by-model"}]},
            {"queryDefinitionNamePrefix": "prod/", "maxResults": 1000},
        )
        return
    stub.add_response(
        "describe_query_definitions",
        {
            "queryDefinitions": [
                {
                    "queryDefinitionId": "u",
                    "name": name,
                    "queryString": UNPRICED,
                    "logGroupNames": GROUPS,
                }
            ]
        },
        {"queryDefinitionNamePrefix": name, "maxResults": 1000},
    )
    stub.add_response(
        "start_query",
        {"queryId": "q-2"},
        {"logGroupNames": GROUPS, "startTime": DAY_S, "endTime": end, "queryString": UNPRICED},
    )
    stub.add_response("get_query_results", _answer(rows), {"queryId": "q-2"})


def _deck(
    stub: Stubber,
    rows: list[dict[str, Any]],
    end: int = DAY_S + 86400,
    unpriced: list[dict[str, Any]] | None = None,
    *,
    saved: bool = True,
    start: int = DAY_S,
) -> None:
    stub.add_response(
        "describe_query_definitions",
        {
            "queryDefinitions": [
                {
                    "queryDefinitionId": "q",
                    "name": "prod/cost-by-model",
                    "queryString": QUERY,
                    "logGroupNames": GROUPS,
                }
            ]
        },
        {"queryDefinitionNamePrefix": "prod/cost-by-model", "maxResults": 1000},
    )
    stub.add_response(
        "start_query",
        {"queryId": "q-1"},
        {"logGroupNames": GROUPS, "startTime": start, "endTime": end, "queryString": QUERY},
    )
    stub.add_response("get_query_results", _answer(rows), {"queryId": "q-1"})
    if rows:
        _unpriced(stub, (unpriced or []) if saved else None, end)


def _group(service: str, usage_type: str, usd: str) -> dict[str, Any]:
    return {
        "Keys": [service, usage_type],
        "Metrics": {"UnblendedCost": {"Amount": usd, "Unit": "USD"}},
    }


def _bill(stub: Stubber, groups: list[dict[str, Any]], day: str = "2026-11-30") -> None:
    request = cost_explorer_request(day, "2026-12-01" if day == "2026-11-30" else day)
    half = len(groups) // 2
    for i, (part, token) in enumerate(((groups[:half], "next-1"), (groups[half:], None))):
        answer: dict[str, Any] = {
            "GroupDefinitions": [
                {"Type": "DIMENSION", "Key": "SERVICE"},
                {"Type": "DIMENSION", "Key": "USAGE_TYPE"},
            ],
            "ResultsByTime": [
                {
                    "TimePeriod": {"Start": day, "End": request["TimePeriod"]["End"]},
                    "Total": {},
                    "Groups": part,
                    "Estimated": True,
                }
            ],
            "DimensionValueAttributes": [],
        }
        if token:
            answer["NextPageToken"] = token
        params = dict(request)
        if i:
            params["NextPageToken"] = "next-1"
        stub.add_response("get_cost_and_usage", answer, params)


BILL = [
    _group(
        "Claude Sonnet 4.5 (Amazon Bedrock Edition)", "USE1-MP:USE1_InputTokenCount-Units", "6.0"
    ),
    _group(
        "Claude Sonnet 4.5 (Amazon Bedrock Edition)", "USE1-MP:USE1_OutputTokenCount-Units", "4.0"
    ),
    _group("Amazon Bedrock", "USE1-NovaMicro-input-tokens", "0.03"),
    _group("Amazon Bedrock", "USE1-NovaMicro-output-tokens", "0.07"),
    _group("Amazon Bedrock", "USE1-Guardrails-ContentPolicyUnitsConsumed", "1.50"),
    _group("Amazon Bedrock", "USE1-KnowledgeBase-Retrieve", "0.25"),
    _group("AWS Lambda", "USE1-Request", "0.40"),
]


SONNET_AND_NOVA = [
    {"model": "us." + SONNET_45, "total_cost_usd": "8.5", "calls": "1200"},
    {"model": NOVA_MICRO, "total_cost_usd": "0.1", "calls": "3000"},
]
"""The deck's cost-by-model rows of the lower-bound tests."""


def _run(argv: list[str]) -> tuple[int, str, str]:
    return run_command(argv)


def _json_answer() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """``reconcile --day 2026-11-30 --deck prod --format json``: the document, rows by model."""
    code, out, err = _run(
        ["reconcile", "--day", "2026-11-30", "--deck", "prod", "--format", "json"]
    )
    assert code == 0, err
    document = json.loads(out)
    return document, {r["model"]: r for r in document["rows"]}


def test_reconcile_matches_models_with_difference_in_dollars_and_percent(
    stubs: tuple[Stubber, Stubber],
) -> None:
    logs, ce = stubs
    _deck(
        logs,
        [
            # Two endpoint kinds of one model add up to the model.
            {"model": "us." + SONNET_45, "total_cost_usd": "8.5", "calls": "1200"},
            {"model": "global." + SONNET_45, "total_cost_usd": "1.0", "calls": "100"},
            {"model": NOVA_MICRO, "total_cost_usd": "0.1", "calls": "3000"},
            {"model": APP_ARN, "total_cost_usd": "0.2", "calls": "10"},
            {"model": "anthropic.claude-3-haiku-20240307-v1:0", "total_cost_usd": "0.05"},
        ],
    )
    _bill(ce, BILL)
    document, rows = _json_answer()
    # Sonnet 4.5: deck 9.50, bill 10.00 -> -0.50, -5.0 %.
    assert rows[SONNET_45] == {
        "model": SONNET_45,
        "calls": 1300,
        "deck_unpriced_calls": 0,
        "deck_usd": 9.5,
        "bill_usd": 10.0,
        "difference_usd": -0.5,
        "difference_pct": -5.0,
        "deck_is_lower_bound": False,
    }
    # Nova Micro: deck 0.10, bill 0.03 + 0.07 -> 0, 0 %.
    assert rows[NOVA_MICRO]["difference_usd"] == 0.0
    assert rows[NOVA_MICRO]["difference_pct"] == 0.0
    assert document["total"]["deck_usd"] == 9.6 and document["total"]["bill_usd"] == 10.1
    unmatched = {(u["side"], u["what"]): u for u in document["unmatched"]}
    assert unmatched[("deck", APP_ARN)]["why"].startswith("application inference profile")
    assert unmatched[("deck", "anthropic.claude-3-haiku-20240307-v1:0")]["why"] == (
        "no bill row for this model"
    )
    guard = unmatched[("bill", "Amazon Bedrock / USE1-Guardrails-ContentPolicyUnitsConsumed")]
    assert guard["usd"] == 1.5 and "does not see it" in guard["why"]
    assert ("bill", "Amazon Bedrock / USE1-KnowledgeBase-Retrieve") in unmatched
    # Other services are not Bedrock's cost.
    assert not any("Lambda" in u["what"] for u in document["unmatched"])


def test_reconcile_table_shows_both_sections(stubs: tuple[Stubber, Stubber]) -> None:
    logs, ce = stubs
    _deck(logs, [{"model": NOVA_MICRO, "total_cost_usd": "0.08", "calls": "10"}])
    _bill(ce, BILL[2:5])
    code, out, _ = _run(["reconcile", "--day", "2026-11-30", "--deck", "prod"])
    assert code == 0
    assert out.startswith("Deck vs bill (Cost Explorer, UnblendedCost) for 2026-11-30 UTC")
    assert "Not matched" in out and "Guardrails" in out
    # 0.08 vs 0.10: -0.02, -20.0 %.
    assert "-20" in out
    assert "Cost Explorer is hours late" in out


def test_reconcile_marks_a_deck_figure_that_leaves_out_unpriced_calls(
    stubs: tuple[Stubber, Stubber],
) -> None:
    logs, ce = stubs
    deck = SONNET_AND_NOVA
    # 40 Sonnet calls on the flex tier (no published price), in two Regions.
    unpriced = [
        {"model": "us." + SONNET_45, "tier": "flex", "latency": "standard",
         "call_region": "us-east-1", "calls": "30"},
        {"model": "us." + SONNET_45, "tier": "flex", "latency": "standard",
         "call_region": "us-west-2", "calls": "10"},
    ]  # fmt: skip
    _deck(logs, deck, unpriced=unpriced)
    _bill(ce, BILL)
    code, out, err = _run(["reconcile", "--day", "2026-11-30", "--deck", "prod"])
    assert code == 0, err
    lines = out.splitlines()
    sonnet = next(line for line in lines if line.startswith(SONNET_45))
    nova = next(line for line in lines if line.startswith(NOVA_MICRO))
    assert sonnet.split()[1:4] == ["1,200", "40", ">="] and "$8.50" in sonnet
    assert ">=" not in nova and nova.split()[2] == "0"
    total = next(line for line in lines if line.startswith("TOTAL (matched)"))
    assert ">= $8.60" in total
    assert (
        ">= : 40 calls had no price, so the deck figure leaves their cost out: the difference"
        " includes it (see deck_unpriced_calls)"
    ) in lines
    assert out.index("40 calls had no price") < out.index("Not matched")


def test_reconcile_json_and_csv_carry_the_lower_bound_as_a_boolean(
    stubs: tuple[Stubber, Stubber],
) -> None:
    logs, ce = stubs
    deck = SONNET_AND_NOVA
    unpriced = [{"model": "us." + SONNET_45, "tier": "flex", "latency": "standard",
                 "call_region": "-", "calls": "40"}]  # fmt: skip
    _deck(logs, deck, unpriced=unpriced)
    _bill(ce, BILL)
    document, rows = _json_answer()
    assert rows[SONNET_45]["deck_unpriced_calls"] == 40
    assert rows[SONNET_45]["deck_is_lower_bound"] is True
    assert rows[NOVA_MICRO]["deck_is_lower_bound"] is False
    assert document["total"]["deck_unpriced_calls"] == 40
    assert document["total"]["deck_is_lower_bound"] is True
    _deck(logs, deck, unpriced=unpriced)
    _bill(ce, BILL)
    code, out, err = _run(["reconcile", "--day", "2026-11-30", "--deck", "prod", "--format", "csv"])
    assert code == 0, err
    header, *body = out.splitlines()
    assert header == (
        "model,calls,deck_unpriced_calls,deck_usd,bill_usd,difference_usd,difference_pct,"
        "deck_is_lower_bound"
    )
    assert body[0].startswith(NOVA_MICRO) and body[0].endswith(",false")
    assert body[1].startswith(f"{SONNET_45},1200,40,8.5,") and body[1].endswith(",true")


def test_reconcile_on_a_deck_without_the_unpriced_question_notes_it(
    stubs: tuple[Stubber, Stubber],
) -> None:
    logs, ce = stubs
    _deck(logs, [{"model": NOVA_MICRO, "total_cost_usd": "0.1", "calls": "3"}], saved=False)
    _bill(ce, BILL)
    code, out, err = _run(
        ["reconcile", "--day", "2026-11-30", "--deck", "prod", "--format", "json"]
    )
    assert code == 0
    assert err == (
        "genai-obs: note: deck 'prod' has no saved question 'unpriced-models' (saved by newer"
        " versions of the module): a cost that leaves out unpriced calls cannot be marked as"
        " a lower bound\n"
    )
    row = json.loads(out)["rows"][0]
    assert "deck_unpriced_calls" not in row and "deck_is_lower_bound" not in row


def test_reconcile_today_stops_the_deck_query_now(stubs: tuple[Stubber, Stubber]) -> None:
    logs, ce = stubs
    today_s = int(datetime(2026, 12, 1, tzinfo=UTC).timestamp())
    _deck(logs, [], int(NOW.timestamp()), start=today_s)
    request = cost_explorer_request("2026-12-01", "2026-12-02")
    ce.add_response("get_cost_and_usage", {"ResultsByTime": []}, request)
    code, out, _ = _run(["reconcile", "--day", "2026-12-01", "--deck", "prod"])
    assert code == 0 and "(no model on both sides)" in out


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-13-01", "use YYYY-MM-DD"),
        ("someday", "use YYYY-MM-DD"),  # yesterday is a day now (issue 18)
        ("2026-12-02", "in the future"),
        ("2024-01-01", "14 months"),
    ],
)
def test_reconcile_bad_day_is_a_usage_error(
    stubs: tuple[Stubber, Stubber], day: str, message: str
) -> None:
    code, out, err = _run(["reconcile", "--day", day, "--deck", "prod"])
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1


def test_reconcile_cost_explorer_error_is_one_line(stubs: tuple[Stubber, Stubber]) -> None:
    logs, ce = stubs
    _deck(logs, [{"model": NOVA_MICRO, "total_cost_usd": "0.1", "calls": "1"}])
    ce.add_client_error(
        "get_cost_and_usage", "DataUnavailableException", "Data is not available yet"
    )
    code, _, err = _run(["reconcile", "--day", "2026-11-30", "--deck", "prod"])
    assert code == 1
    assert "GetCostAndUsage" in err and err.count("\n") == 1


def test_bill_model_names_both_service_shapes() -> None:
    from genai_observability import pricing
    from genai_observability.cli import _pricelist

    index = _pricelist.name_index(pricing.catalog())
    assert (
        _reconcile.bill_model(
            "Claude Haiku 4.5 (Amazon Bedrock Edition)",
            "USW2-MP:USW2_CacheReadInputTokenCount_Global-Units",
            index,
        )
        == "anthropic.claude-haiku-4-5-20251001-v1:0"
    )
    assert _reconcile.bill_model("Amazon Bedrock", "EU-NovaPro-output-tokens", index) == (
        "amazon.nova-pro-v1:0"
    )
    assert _reconcile.bill_model("Amazon Bedrock", "USE1-Guardrails-Text", index) is None
