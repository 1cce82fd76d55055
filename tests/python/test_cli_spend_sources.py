"""genai-obs spend's metric sources against a real moto server (GetMetricData, ListMetrics)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from genai_observability.cli import _spend_sources as sources
from genai_observability.cli import main

boto3 = pytest.importorskip("boto3")
emulator = pytest.importorskip("emulator")

SNAPSHOTS = Path(__file__).resolve().parent / "fixtures" / "snapshots"
SERVICE = "support"
SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"  # 3.3 / 16.5 / 0.33 / 4.125 per 1M
NOVA = "us.amazon.nova-micro-v1:0"  # 0.035 / 0.14 (this data has no cache tokens)
UNPRICED = "acme.unknown-model-v1:0"
OPUS = "anthropic.claude-opus-4-8"  # on bedrock-mantle (its Model dimension): 5.5 / 27.5

# A past UTC day (the emulator takes any timestamp; CloudWatch would take two weeks' worth).
DAY = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
NOW = DAY + timedelta(hours=20, minutes=30)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with emulator.moto_server() as url:
        yield url


@pytest.fixture
def cloudwatch(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    client = boto3.client("cloudwatch", region_name="us-east-1", endpoint_url=endpoint)
    _reset(endpoint)
    return client


def _reset(endpoint: str) -> None:
    import urllib.request

    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass


def put(
    client: Any,
    namespace: str,
    name: str,
    dims: dict[str, str],
    points: list[tuple[timedelta, float]],
) -> None:
    client.put_metric_data(
        Namespace=namespace,
        MetricData=[
            {
                "MetricName": name,
                "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
                "Timestamp": DAY + offset,
                "Value": value,
            }
            for offset, value in points
        ],
    )


def deck_metrics(client: Any) -> None:
    h = timedelta(hours=1)
    for model, costs in {
        SONNET: [(h, 0.05), (5 * h, 0.0315)],
        NOVA: [(2 * h, 0.0001), (2 * h, 0.0002)],
    }.items():
        dims = {"Service": SERVICE, "Model": model}
        put(client, "GenAI", "CostUSD", dims, costs)
        put(client, "GenAI", "Calls", dims, [(t, 1) for t, _ in costs])
    # Not ours: the {Service} rollup, another service, the day before, after "now".
    put(client, "GenAI", "CostUSD", {"Service": SERVICE}, [(h, 99.0)])
    put(client, "GenAI", "CostUSD", {"Service": "other", "Model": SONNET}, [(h, 7.0)])
    put(
        client,
        "GenAI",
        "CostUSD",
        {"Service": SERVICE, "Model": SONNET},
        [(-h, 5.0), (23 * h, 5.0)],
    )


def bedrock_metrics(client: Any) -> None:
    h = timedelta(hours=1)
    sonnet = {
        "InputTokenCount": [(h, 10_000), (5 * h, 20_000)],
        "OutputTokenCount": [(h, 2_000)],
        "CacheReadInputTokenCount": [(5 * h, 100_000)],
        "CacheWriteInputTokenCount": [(h, 4_000)],
    }
    tokens = {
        SONNET: sonnet,
        NOVA: {"InputTokenCount": [(2 * h, 1_000_000)], "OutputTokenCount": [(2 * h, 500_000)]},
        UNPRICED: {"InputTokenCount": [(3 * h, 1_000)], "OutputTokenCount": [(3 * h, 10)]},
    }
    for model, metrics in tokens.items():
        for name, points in metrics.items():
            put(client, "AWS/Bedrock", name, {"ModelId": model}, points)


def mantle_metrics(client: Any) -> None:
    """bedrock-mantle's tokens (AWS/BedrockMantle) at its Model, Account, Project levels."""
    h = timedelta(hours=1)
    put(client, "AWS/BedrockMantle", "TotalInputTokens", {"Model": OPUS}, [(3 * h, 200_000)])
    put(client, "AWS/BedrockMantle", "TotalOutputTokens", {"Model": OPUS}, [(3 * h, 10_000)])
    # The Account and Project levels, and the per-inference Project+Model metric: the same
    # tokens again, not to be counted twice.
    put(client, "AWS/BedrockMantle", "TotalInputTokens", {}, [(3 * h, 200_000)])
    put(client, "AWS/BedrockMantle", "TotalInputTokens", {"Project": "proj_a"}, [(3 * h, 1)])
    put(
        client,
        "AWS/BedrockMantle",
        "InputTokens",
        {"Project": "proj_a", "Model": OPUS},
        [(3 * h, 200_000)],
    )


def test_metrics_spend_sums_the_days_cost_by_model(cloudwatch: Any) -> None:
    deck_metrics(cloudwatch)
    result = sources.metrics_spend(cloudwatch, "GenAI", SERVICE, DAY, NOW)
    assert result.costs == {SONNET: 0.0815, NOVA: 0.0003}
    assert result.calls == {SONNET: 2, NOVA: 2}
    assert result.total == pytest.approx(0.0818)
    assert result.api_calls == 2  # one ListMetrics page, one GetMetricData call


def test_metrics_spend_of_a_service_without_metrics_is_empty(cloudwatch: Any) -> None:
    deck_metrics(cloudwatch)
    result = sources.metrics_spend(cloudwatch, "GenAI", "nobody", DAY, NOW)
    assert result.costs == {} and result.total is None


def test_account_spend_prices_bedrocks_tokens_with_the_catalog(cloudwatch: Any) -> None:
    bedrock_metrics(cloudwatch)
    result = sources.account_spend(cloudwatch, DAY, NOW)
    # Sonnet: (30,000 x 3.3 + 2,000 x 16.5 + 100,000 x 0.33 + 4,000 x 4.125) / 1e6 = 0.1815
    # Nova: (1,000,000 x 0.035 + 500,000 x 0.14) / 1e6 = 0.105; the unknown model: unknown.
    assert result.costs == {SONNET: 0.1815, NOVA: 0.105, UNPRICED: None}
    assert result.total == pytest.approx(0.2865)


def test_account_spend_uses_the_price_overrides(
    cloudwatch: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bedrock_metrics(cloudwatch)
    monkeypatch.setenv(
        "GENAI_MODEL_PRICES", '{"acme.unknown-model-v1:0": {"input": 2, "output": 10}}'
    )
    result = sources.account_spend(cloudwatch, DAY, NOW, models=[UNPRICED])
    assert result.costs == {UNPRICED: 0.0021}  # (1,000 x 2 + 10 x 10) / 1e6


def test_account_spend_adds_bedrock_mantle_by_model(cloudwatch: Any) -> None:
    bedrock_metrics(cloudwatch)
    mantle_metrics(cloudwatch)
    result = sources.account_spend(cloudwatch, DAY, NOW)
    # Opus on bedrock-mantle: (200,000 x 5.5 + 10,000 x 27.5) / 1e6 = 1.375.
    assert result.costs == {SONNET: 0.1815, NOVA: 0.105, UNPRICED: None, OPUS: 1.375}
    assert result.api_calls == 3  # one ListMetrics per namespace, one GetMetricData


def test_account_spend_adds_a_models_two_endpoints(cloudwatch: Any) -> None:
    bedrock_metrics(cloudwatch)
    h = timedelta(hours=1)
    put(cloudwatch, "AWS/BedrockMantle", "TotalInputTokens", {"Model": NOVA}, [(h, 1_000_000)])
    result = sources.account_spend(cloudwatch, DAY, NOW, models=[NOVA])
    assert result.costs == {NOVA: 0.14}  # 0.105 on bedrock-runtime + 0.035 on bedrock-mantle


def test_account_spend_of_listed_models_reads_both_namespaces(cloudwatch: Any) -> None:
    bedrock_metrics(cloudwatch)
    mantle_metrics(cloudwatch)
    result = sources.account_spend(cloudwatch, DAY, NOW, models=[OPUS, SONNET])
    assert result.costs == {OPUS: 1.375, SONNET: 0.1815}


def test_account_spend_of_a_model_without_data_is_no_data_never_zero(cloudwatch: Any) -> None:
    bedrock_metrics(cloudwatch)
    result = sources.account_spend(cloudwatch, DAY, NOW, models=[NOVA, OPUS])
    assert result.costs == {NOVA: 0.105, OPUS: None}
    assert result.no_data == {OPUS}
    _, rows = sources.compare_rows([sources.SourceResult("metrics", costs={OPUS: 0.5}), result])
    assert {r["model"]: r["untracked_usd"] for r in rows} == {NOVA: 0.105, OPUS: None}


def test_compare_counts_mantle_spend_as_untracked(cloudwatch: Any) -> None:
    mantle_metrics(cloudwatch)
    account = sources.account_spend(cloudwatch, DAY, NOW)
    metrics = sources.SourceResult("metrics", costs={OPUS: 0.375})
    _, rows = sources.compare_rows([metrics, account])
    assert rows == [
        {"model": OPUS, "metrics_usd": 0.375, "account_usd": 1.375, "untracked_usd": 1.0}
    ]


def test_compare_puts_sources_side_by_side_with_differences() -> None:
    logs = sources.SourceResult("logs", costs={SONNET: 0.0815, NOVA: 0.0002})
    metrics = sources.SourceResult("metrics", costs={SONNET: 0.0815, NOVA: 0.0003})
    account = sources.SourceResult("account", costs={SONNET: 0.1815, NOVA: 0.105, UNPRICED: None})
    columns, rows = sources.compare_rows([logs, metrics, account])
    assert columns == [
        "model",
        "logs_usd",
        "metrics_usd",
        "account_usd",
        "metrics_vs_logs_usd",
        "untracked_usd",
    ]
    assert [tuple(row[c] for c in columns) for row in rows] == [
        (UNPRICED, 0.0, 0.0, None, 0.0, None),
        (NOVA, 0.0002, 0.0003, 0.105, 0.0001, 0.1047),
        (SONNET, 0.0815, 0.0815, 0.1815, 0.0, 0.1),
    ]


def test_metrics_spend_of_known_models_is_one_getmetricdata_call(cloudwatch: Any) -> None:
    deck_metrics(cloudwatch)
    result = sources.metrics_spend(cloudwatch, "GenAI", SERVICE, DAY, NOW, models=[NOVA, SONNET])
    assert result.costs == {NOVA: 0.0003, SONNET: 0.0815}
    assert result.api_calls == 1


def test_period_is_one_bucket_of_whole_hours() -> None:
    assert sources.period_for(DAY, DAY + timedelta(minutes=1)) == 3600
    assert sources.period_for(DAY, NOW) == 21 * 3600
    assert sources.period_for(DAY, DAY + timedelta(days=1)) == 86400


# --- the command, end to end against the emulator --------------------------------------


@pytest.fixture
def metered(cloudwatch: Any) -> Any:
    """The emulator's CloudWatch with the deck's metrics and Bedrock's own."""
    deck_metrics(cloudwatch)
    bedrock_metrics(cloudwatch)
    return cloudwatch


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    from genai_observability.cli import _timerange

    monkeypatch.setattr(_timerange, "now", lambda: NOW)


def test_main_spend_from_metrics(
    cloudwatch: Any, frozen: None, capsys: pytest.CaptureFixture[str]
) -> None:
    deck_metrics(cloudwatch)
    assert main(["spend", "--source", "metrics", "--service", SERVICE, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sources"] == ["metrics"]
    assert {r["model"]: (r["metrics_usd"], r["calls"]) for r in data["rows"]} == {
        SONNET: (0.0815, 2),
        NOVA: (0.0003, 2),
    }
    assert data["total"]["metrics_usd"] == pytest.approx(0.0818)


def spend_from_account(
    cloudwatch: Any, capsys: pytest.CaptureFixture[str], *args: str
) -> pytest.CaptureResult[str]:
    """``genai-obs spend --source account ARGS`` over Bedrock's metrics: what it printed."""
    bedrock_metrics(cloudwatch)
    assert main(["spend", "--source", "account", *args]) == 0
    return capsys.readouterr()


def test_main_spend_from_the_account_table(
    cloudwatch: Any, frozen: None, capsys: pytest.CaptureFixture[str]
) -> None:
    captured = spend_from_account(cloudwatch, capsys, "--model", SONNET, "--model", NOVA)
    out = captured.out
    assert out.splitlines()[0].startswith("Spend by model (account), ")
    assert f"{SONNET}  " in out and "$0.182" in out and "$0.105" in out
    assert out.splitlines()[-1].split() == ["TOTAL", "$0.287"]
    assert UNPRICED not in out and captured.err == ""


@pytest.mark.parametrize(
    ("args", "any_of", "none_of", "note"),
    [
        pytest.param(
            ["--format", "csv"],
            [f"{UNPRICED},\n", f"{UNPRICED},\r\n"],  # its cost empty, whatever the line end
            [],
            f"genai-obs: note: no price for {UNPRICED}: its cost is unknown (empty), and not in"
            " the total; set GENAI_MODEL_PRICES to price it\n",
            id="unpriced",
        ),
        pytest.param(
            ["--model", NOVA, "--model", OPUS],
            ["$0.105"],
            ["$0.000"],
            f"genai-obs: note: no data for {OPUS} in Amazon Bedrock's metrics in this Region:"
            " shown empty, never as 0, and not in the total\n",
            id="no-data",
        ),
    ],
)
def test_main_spend_says_which_models_are_unpriced_or_have_no_data(
    cloudwatch: Any,
    frozen: None,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    any_of: list[str],
    none_of: list[str],
    note: str,
) -> None:
    captured = spend_from_account(cloudwatch, capsys, *args)
    assert any(text in captured.out for text in any_of), captured.out
    assert not [text for text in none_of if text in captured.out], captured.out
    assert captured.err == note


def test_main_spend_metrics_needs_a_service(
    cloudwatch: Any, frozen: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["spend", "--source", "metrics"]) == 2
    assert capsys.readouterr().err == (
        "genai-obs: error: say whose metrics: --service NAME (the deck's service_name)"
        " or --deck NAME\n"
    )


def _logs_stub(
    monkeypatch: pytest.MonkeyPatch,
    rows: list[dict[str, str]],
    unpriced: list[dict[str, str]] | None = None,
) -> None:
    """Logs Insights answers the cost-by-model question with ``rows``, then unpriced-models
    with ``unpriced`` (the emulator's Logs Insights has no ``stats``)."""
    from botocore.stub import ANY, Stubber
    from genai_observability.cli import _insights
    from genai_observability.cli._questions import QUESTIONS

    client = boto3.client(
        "logs", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    stub = Stubber(client)
    stub.add_response("start_query", {"queryId": "q-1"}, {
        "logGroupNames": ["/aws/lambda/support-agent"], "startTime": ANY, "endTime": ANY,
        "queryString": ANY,
    })  # fmt: skip
    results = [[{"field": k, "value": v} for k, v in row.items()] for row in rows]
    stub.add_response("get_query_results", {"status": "Complete", "results": results})
    stub.add_response("start_query", {"queryId": "q-2"}, {
        "logGroupNames": ["/aws/lambda/support-agent"], "startTime": ANY, "endTime": ANY,
        "queryString": QUESTIONS["unpriced-models"].query,
    })  # fmt: skip
    results = [[{"field": k, "value": v} for k, v in row.items()] for row in unpriced or []]
    stub.add_response("get_query_results", {"status": "Complete", "results": results})
    stub.activate()
    monkeypatch.setattr(_insights, "make_client", lambda region=None, profile=None: client)


def test_main_spend_compare_side_by_side(
    metered: Any,
    frozen: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _logs_stub(
        monkeypatch,
        [
            {"model": SONNET, "total_cost_usd": "0.0815", "calls": "2"},
            {"model": NOVA, "total_cost_usd": "0.0003", "calls": "2"},
        ],
    )
    argv = ["spend", "--compare", "--log-group", "/aws/lambda/support-agent"]
    assert main([*argv, "--service", SERVICE, "--model", SONNET, "--model", NOVA]) == 0
    out = capsys.readouterr().out
    if os.environ.get("GENAI_UPDATE_SNAPSHOTS"):
        (SNAPSHOTS / "spend_compare.txt").write_text(out.replace(DAY.date().isoformat(), "{DAY}"))
    expected = (SNAPSHOTS / "spend_compare.txt").read_text()
    assert out == expected.replace("{DAY}", DAY.date().isoformat())


def test_main_spend_compare_marks_a_logs_cost_that_leaves_out_unpriced_calls(
    metered: Any,
    frozen: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = [
        {"model": SONNET, "total_cost_usd": "0.0815", "calls": "3"},
        {"model": NOVA, "total_cost_usd": "0.0003", "calls": "2"},
    ]
    unpriced = [{"model": SONNET, "tier": "flex", "latency": "standard",
                 "call_region": "us-east-1", "calls": "1"}]  # fmt: skip
    argv = ["spend", "--compare", "--log-group", "/aws/lambda/support-agent"]
    argv += ["--service", SERVICE, "--model", SONNET, "--model", NOVA]
    _logs_stub(monkeypatch, rows, unpriced)
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    sonnet = next(line for line in lines if line.startswith(SONNET))
    assert sonnet.split()[1:4] == [">=", "$0.0815", "1"]
    assert lines[-2].split()[:3] == ["TOTAL", ">=", "$0.0818"]
    assert (
        lines[-1] == ">= : at least this much; some calls have no price (see logs_unpriced_calls)"
    )
    _logs_stub(monkeypatch, rows, unpriced)
    assert main([*argv, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    by_model = {r["model"]: r for r in document["rows"]}
    assert by_model[SONNET]["logs_unpriced_calls"] == 1
    assert by_model[SONNET]["logs_cost_is_lower_bound"] is True
    assert by_model[NOVA]["logs_cost_is_lower_bound"] is False
    assert document["total"]["logs_cost_is_lower_bound"] is True


def test_logs_spend_of_a_model_without_any_priced_call_is_unknown() -> None:
    rows = [{"model": UNPRICED, "total_cost_usd": "0", "calls": "4"}]
    result = sources.logs_spend(rows, {UNPRICED: 4})
    assert result.costs == {UNPRICED: None} and result.unpriced == {UNPRICED: 4}
    assert not result.is_lower_bound(UNPRICED)
