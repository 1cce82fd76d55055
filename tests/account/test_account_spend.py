"""The account view, rendered by a real offline plan, evaluated on sample data points.

A fixture root module plans modules/observability with the real provider (fake keys, no
network). The planned ``account_spend_metric_queries``, the dashboard's account widgets
and the account-spend alarm's queries then run in the metric-math evaluator
(support.cloudwatch.metric_math) over hand-made AWS/Bedrock and deck data points; the dollars must
be the ones computed by hand below from the catalog prices (USD per 1M tokens).
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest
from support.cloudwatch.metric_math import alarm_queries, metric_key, run_queries, widget_queries
from support.terraform import outputs, plan_json

SONNET = (
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0"  # catalog profile: 3.3 / 16.5 / 0.33 / 4.125
)
NOVA = "us.amazon.nova-micro-v1:0"  # the model's price: 0.035 / 0.14 / cache read 0.00875
OPUS = "anthropic.claude-opus-4-8"  # on bedrock-mantle, as its Model dimension names it: 5.5 / 27.5
OSS = "openai.gpt-oss-120b"  # priced here by an override: 0.15 / 0.6
SERVICE = "acct-svc"
SOURCE_ACCOUNT = "222222222222"

FIXTURE = """
module "deck" {{
  source            = "{source}"
  name              = "acct"
  service_name      = "{service}"
  log_group_name    = "/aws/lambda/acct-fn"
  account_model_ids  = ["{sonnet}", "{nova}"]
  source_account_ids = ["{source_account}"]
}}

# The same account view with its alarm (the alarm's ARN is unknown at plan time, and so
# would be a dashboard body that lists it).
module "alarmed" {{
  source            = "{source}"
  name              = "acct-alarmed"
  service_name      = "{service}"
  log_group_name    = "/aws/lambda/acct-fn"
  account_model_ids = ["{sonnet}", "{nova}"]
  create_dashboard  = false
  alarms            = {{ account_daily_cost_budget_usd = 1 }}
}}

# bedrock-mantle's models (AWS/BedrockMantle, dimension Model) beside AWS/Bedrock's, one
# priced by the catalog, one by an override; plain, and with its alarm.
module "mantle" {{
  for_each                 = {{ plain = false, alarmed = true }}
  source                   = "{source}"
  name                     = "acct-mantle-${{each.key}}"
  service_name             = "{service}"
  log_group_name           = "/aws/lambda/acct-fn"
  account_model_ids        = ["{nova}"]
  account_mantle_model_ids = ["{opus}", "{oss}"]
  model_prices             = {{ "{oss}" = {{ input = 0.15, output = 0.6 }} }}
  create_dashboard         = !each.value
  alarms                   = each.value ? {{ account_daily_cost_budget_usd = 1 }} : {{}}
}}
""" + outputs(
    mantle_queries='module.mantle["plain"].account_spend_metric_queries',
    mantle_dashboard_body='module.mantle["plain"].dashboard_body',
    queries="module.deck.account_spend_metric_queries",
    source_queries="module.deck.source_account_spend_metric_queries",
    dashboard_body="module.deck.dashboard_body",
)

DAY = 1_764_547_200  # 2025-12-01T00:00:00Z
HOUR = 3600


def bedrock(metric: str, model: str) -> tuple:
    return metric_key("AWS/Bedrock", metric, {"ModelId": model})


DATA = {
    bedrock("InputTokenCount", SONNET): [(DAY + 600, 10_000), (DAY + 5 * HOUR + 1800, 20_000)],
    bedrock("OutputTokenCount", SONNET): [(DAY + 600, 2_000)],
    bedrock("CacheReadInputTokenCount", SONNET): [(DAY + 5 * HOUR + 1800, 100_000)],
    bedrock("CacheWriteInputTokenCount", SONNET): [(DAY + 600, 4_000)],
    bedrock("InputTokenCount", NOVA): [(DAY + 12 * HOUR, 1_000_000)],
    bedrock("OutputTokenCount", NOVA): [(DAY + 12 * HOUR, 500_000)],
    # Nova's cache reads are priced (0.00875 per 1M, a quarter of its input price).
    bedrock("CacheReadInputTokenCount", NOVA): [(DAY + 12 * HOUR, 50_000)],
    # Not one of account_model_ids: not in the account view.
    bedrock("InputTokenCount", "amazon.titan-text-lite-v1"): [(DAY, 9_999_999)],
    # The deck's own lines (CostUSD by Service and Model): the untracked spend compares the
    # same models on both sides, so the deck's model the account view does not read (Titan)
    # and the {Service} rollup are not subtracted.
    metric_key("GenAI", "CostUSD", {"Service": SERVICE, "Model": SONNET}): [(DAY + 600, 0.08)],
    metric_key("GenAI", "CostUSD", {"Service": SERVICE, "Model": NOVA}): [
        (DAY + 12 * HOUR, 0.0065)
    ],
    metric_key("GenAI", "CostUSD", {"Service": SERVICE, "Model": "amazon.titan-text-lite-v1"}): [
        (DAY + HOUR, 3.0)
    ],
    metric_key("GenAI", "CostUSD", {"Service": SERVICE}): [(DAY + 600, 3.0865)],
    # The source account (read through AccountId in the monitoring account): Nova only.
    metric_key("AWS/Bedrock", "InputTokenCount", {"ModelId": NOVA}, SOURCE_ACCOUNT): [
        (DAY, 2_000_000)
    ],
    metric_key("AWS/Bedrock", "OutputTokenCount", {"ModelId": NOVA}, SOURCE_ACCOUNT): [
        (DAY, 100_000)
    ],
    metric_key("GenAI", "CostUSD", {"Service": SERVICE, "Model": NOVA}, SOURCE_ACCOUNT): [
        (DAY + 60, 0.05)
    ],
}


def mantle(metric: str, dims: dict[str, str]) -> tuple:
    return metric_key("AWS/BedrockMantle", metric, dims)


# bedrock-mantle (Amazon Bedrock User Guide, "Monitor bedrock-mantle inference using
# CloudWatch metrics"): TotalInputTokens / TotalOutputTokens at the Account, Project and
# Model levels; the view reads the Model level only, so the other levels count nothing.
MANTLE_DATA = {
    **DATA,
    mantle("TotalInputTokens", {"Model": OPUS}): [(DAY + 3 * HOUR + 60, 200_000)],
    mantle("TotalOutputTokens", {"Model": OPUS}): [(DAY + 3 * HOUR + 60, 10_000)],
    mantle("TotalInputTokens", {"Model": OSS}): [(DAY + 7 * HOUR, 1_000_000)],
    mantle("TotalOutputTokens", {"Model": OSS}): [(DAY + 7 * HOUR, 100_000)],
    mantle("TotalInputTokens", {}): [(DAY + 3 * HOUR, 1_200_000)],
    mantle("TotalInputTokens", {"Project": "proj_abc"}): [(DAY + 3 * HOUR, 1_200_000)],
    mantle("InputTokens", {"Project": "proj_abc", "Model": OPUS}): [(DAY + 3 * HOUR, 200_000)],
    # The deck recorded part of Opus's mantle calls.
    metric_key("GenAI", "CostUSD", {"Service": SERVICE, "Model": OPUS}): [(DAY + 3 * HOUR, 0.375)],
}
# By hand, USD: Opus hour 3: (200,000 x 5.5 + 10,000 x 27.5) / 1e6 = 1.375; gpt-oss hour 7:
# (1,000,000 x 0.15 + 100,000 x 0.6) / 1e6 = 0.21; Nova hour 12 as above. Day: 1.6904375.
# The deck, on the same models (Nova, Opus, gpt-oss; its Sonnet is not in this view):
# 0.0065 + 0.375 = 0.3815, so 1.3089375 is untracked.
MANTLE_HOURS = {3: 1.375, 7: 0.21, 12: 0.1054375}
MANTLE_DAY = 1.6904375
MANTLE_DECK_DAY = 0.3815
MANTLE_UNTRACKED = 1.3089375

# The source account, by hand: (2,000,000 x 0.035 + 100,000 x 0.14) / 1e6 = 0.084; its deck
# recorded 0.05, so 0.034 is untracked there.
SOURCE_DAY = 0.084
SOURCE_UNTRACKED = 0.034

# By hand, USD: Sonnet hour 0: (10,000 x 3.3 + 2,000 x 16.5 + 4,000 x 4.125) / 1e6 = 0.0825;
# hour 5: (20,000 x 3.3 + 100,000 x 0.33) / 1e6 = 0.099; Nova hour 12:
# (1,000,000 x 0.035 + 500,000 x 0.14 + 50,000 x 0.00875) / 1e6 = 0.1054375.
# Day: 0.1815 + 0.1054375 = 0.2869375.
SONNET_HOURS = {0: 0.0825, 5: 0.099}
NOVA_HOURS = {12: 0.1054375}
ACCOUNT_DAY = 0.2869375
DECK_DAY = 0.0865
UNTRACKED_DAY = 0.2004375


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not installed; the account-view test needs it")
    work = tmp_path_factory.mktemp("account")
    return plan_json(
        work,
        FIXTURE,
        service=SERVICE,
        sonnet=SONNET,
        nova=NOVA,
        opus=OPUS,
        oss=OSS,
        source_account=SOURCE_ACCOUNT,
    )


@pytest.fixture(scope="module")
def queries(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return plan["planned_values"]["outputs"]["queries"]["value"]


@pytest.fixture(scope="module")
def widgets(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    body = json.loads(plan["planned_values"]["outputs"]["dashboard_body"]["value"])
    return {w["properties"].get("title", ""): w for w in body["widgets"]}


def _resource(plan: dict[str, Any], address: str) -> dict[str, Any]:
    for module in plan["planned_values"]["root_module"]["child_modules"]:
        for r in module["resources"]:
            if r["address"] == address:
                return r["values"]
    raise AssertionError(f"{address} is not planned")


def _day_values(widget: dict[str, Any], data: dict[tuple, list]) -> dict[str, float]:
    """A single-value widget over the day (setPeriodToTimeRange: one 24-hour period)."""
    queries = widget_queries(widget["properties"]["metrics"], period=24 * HOUR)
    result = run_queries(queries, data, DAY, DAY + 24 * HOUR)
    return {label: round(series[DAY], 10) for label, series in result.values()}


def _hours(series: dict[int, float]) -> dict[int, float]:
    return {(ts - DAY) // HOUR: round(v, 10) for ts, v in series.items() if round(v, 10)}


def test_returned_series_is_the_accounts_hourly_spend(queries: list[dict[str, Any]]) -> None:
    result = run_queries(queries, DATA, DAY, DAY + 24 * HOUR)
    assert list(result) == ["account_total"]
    label, series = result["account_total"]
    assert label == "Bedrock spend, whole account, this Region (USD)"
    assert len(series) == 24  # FILL: every hour has a value
    assert _hours(series) == {**SONNET_HOURS, **NOVA_HOURS}
    assert round(sum(series.values()), 10) == ACCOUNT_DAY


def test_each_models_cost_is_its_own_labelled_series(queries: list[dict[str, Any]]) -> None:
    shown = [dict(q, ReturnData=q["Id"].startswith("cost")) for q in queries]
    result = run_queries(shown, DATA, DAY, DAY + 24 * HOUR)
    by_label = {label: _hours(series) for label, series in result.values()}
    assert by_label == {SONNET: SONNET_HOURS, NOVA: NOVA_HOURS}


def test_queries_are_getmetricdata_shapes(queries: list[dict[str, Any]]) -> None:
    for q in queries:
        assert set(q) in (
            {"Id", "MetricStat", "Label", "ReturnData"},
            {"Id", "Expression", "Label", "ReturnData"},
        )
        if "MetricStat" in q:
            assert q["MetricStat"]["Metric"]["Namespace"] == "AWS/Bedrock"
            assert [d["Name"] for d in q["MetricStat"]["Metric"]["Dimensions"]] == ["ModelId"]
    assert len(queries) == 10  # Sonnet 4 metrics, Nova 3 (no cache-write price), 2 costs, 1 total


def test_dashboard_spend_by_model_widget(widgets: dict[str, dict[str, Any]]) -> None:
    widget = widgets["Bedrock spend by model, whole account, this Region (USD per hour)"]
    result = run_queries(
        widget_queries(widget["properties"]["metrics"]), DATA, DAY, DAY + 24 * HOUR
    )
    by_label = {label: _hours(series) for label, series in result.values()}
    assert by_label == {
        SONNET: SONNET_HOURS,
        NOVA: NOVA_HOURS,
        "Bedrock spend, whole account, this Region (USD)": {**SONNET_HOURS, **NOVA_HOURS},
    }


def test_dashboard_untracked_spend_is_account_minus_deck(
    widgets: dict[str, dict[str, Any]],
) -> None:
    widget = widgets["Account vs deck spend, this Region, last 24 hours (USD)"]
    props = widget["properties"]
    assert props["setPeriodToTimeRange"] is True and props["start"] == "-PT24H"
    # setPeriodToTimeRange: one period as long as the widget's 24 hours.
    values = _day_values(widget, DATA)
    assert values == {
        "Bedrock spend, whole account, this Region (USD)": ACCOUNT_DAY,
        f"Deck (CostUSD of {SERVICE})": DECK_DAY,
        "Untracked spend (USD)": UNTRACKED_DAY,
    }


def test_dashboard_bedrock_health_widgets_by_model(widgets: dict[str, dict[str, Any]]) -> None:
    expected = {
        "Bedrock time to first token by model (ms, streams)": ("TimeToFirstToken", "Average"),
        "Bedrock throttled invocations by model": ("InvocationThrottles", "Sum"),
        "Bedrock estimated TPM quota usage by model (tokens per minute)": (
            "EstimatedTPMQuotaUsage",
            "Sum",
        ),
    }
    for title, (metric, stat) in expected.items():
        rows = widget_queries(widgets[title]["properties"]["metrics"])
        assert [
            (q["MetricStat"]["Metric"]["MetricName"], q["MetricStat"]["Stat"]) for q in rows
        ] == [(metric, stat)] * 2
        assert [q["MetricStat"]["Metric"]["Dimensions"] for q in rows] == [
            [{"Name": "ModelId", "Value": SONNET}],
            [{"Name": "ModelId", "Value": NOVA}],
        ]


def test_alarm_watches_the_days_account_spend(plan: dict[str, Any]) -> None:
    alarm = _resource(plan, "module.alarmed.aws_cloudwatch_metric_alarm.account_daily_cost[0]")
    assert alarm["threshold"] == 1 and alarm["evaluation_periods"] == 1
    queries = alarm_queries(alarm["metric_query"])
    result = run_queries(queries, DATA, DAY, DAY + 24 * HOUR)
    assert list(result) == ["account_total"]
    assert {ts: round(v, 10) for ts, v in result["account_total"][1].items()} == {DAY: ACCOUNT_DAY}


def test_source_account_queries_read_that_accounts_metrics(plan: dict[str, Any]) -> None:
    queries = plan["planned_values"]["outputs"]["source_queries"]["value"][SOURCE_ACCOUNT]
    result = run_queries(queries, DATA, DAY, DAY + 24 * HOUR)
    assert list(result) == ["a1_account_total"]
    label, series = result["a1_account_total"]
    assert label == f"Bedrock spend, account {SOURCE_ACCOUNT}, this Region (USD)"
    assert round(sum(series.values()), 10) == SOURCE_DAY


def test_source_account_row_shows_its_untracked_spend(widgets: dict[str, dict[str, Any]]) -> None:
    widget = widgets[
        f"Account {SOURCE_ACCOUNT}: account vs deck spend, this Region, last 24 hours (USD)"
    ]
    values = _day_values(widget, DATA)
    assert values == {
        f"Bedrock spend, account {SOURCE_ACCOUNT}, this Region (USD)": SOURCE_DAY,
        f"Deck (CostUSD of {SERVICE})": 0.05,
        "Untracked spend (USD)": SOURCE_UNTRACKED,
    }


@pytest.fixture(scope="module")
def mantle_queries(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return plan["planned_values"]["outputs"]["mantle_queries"]["value"]


def test_mantle_models_are_read_from_aws_bedrockmantle_by_model(
    mantle_queries: list[dict[str, Any]],
) -> None:
    read = [
        (
            q["MetricStat"]["Metric"]["Namespace"],
            q["MetricStat"]["Metric"]["MetricName"],
            q["MetricStat"]["Metric"]["Dimensions"],
        )
        for q in mantle_queries
        if "MetricStat" in q
    ]
    assert read == [
        ("AWS/Bedrock", "InputTokenCount", [{"Name": "ModelId", "Value": NOVA}]),
        ("AWS/Bedrock", "OutputTokenCount", [{"Name": "ModelId", "Value": NOVA}]),
        ("AWS/Bedrock", "CacheReadInputTokenCount", [{"Name": "ModelId", "Value": NOVA}]),
        ("AWS/BedrockMantle", "TotalInputTokens", [{"Name": "Model", "Value": OPUS}]),
        ("AWS/BedrockMantle", "TotalOutputTokens", [{"Name": "Model", "Value": OPUS}]),
        ("AWS/BedrockMantle", "TotalInputTokens", [{"Name": "Model", "Value": OSS}]),
        ("AWS/BedrockMantle", "TotalOutputTokens", [{"Name": "Model", "Value": OSS}]),
    ]


def test_mantle_spend_is_in_the_accounts_total(mantle_queries: list[dict[str, Any]]) -> None:
    result = run_queries(mantle_queries, MANTLE_DATA, DAY, DAY + 24 * HOUR)
    assert list(result) == ["account_total"]
    series = result["account_total"][1]
    assert _hours(series) == MANTLE_HOURS
    assert round(sum(series.values()), 10) == MANTLE_DAY


def test_each_mantle_models_cost_is_its_own_labelled_series(
    mantle_queries: list[dict[str, Any]],
) -> None:
    shown = [dict(q, ReturnData="cost" in q["Id"]) for q in mantle_queries]
    result = run_queries(shown, MANTLE_DATA, DAY, DAY + 24 * HOUR)
    by_label = {label: _hours(series) for label, series in result.values()}
    assert by_label == {NOVA: NOVA_HOURS, OPUS: {3: 1.375}, OSS: {7: 0.21}}


def test_mantle_dashboard_untracked_spend(plan: dict[str, Any]) -> None:
    body = json.loads(plan["planned_values"]["outputs"]["mantle_dashboard_body"]["value"])
    widgets = {w["properties"].get("title", ""): w for w in body["widgets"]}
    by_model = widgets["Bedrock spend by model, whole account, this Region (USD per hour)"]
    result = run_queries(
        widget_queries(by_model["properties"]["metrics"]), MANTLE_DATA, DAY, DAY + 24 * HOUR
    )
    assert {label: _hours(series) for label, series in result.values()}[OPUS] == {3: 1.375}
    untracked = widgets["Account vs deck spend, this Region, last 24 hours (USD)"]
    values = _day_values(untracked, MANTLE_DATA)
    assert values == {
        "Bedrock spend, whole account, this Region (USD)": MANTLE_DAY,
        f"Deck (CostUSD of {SERVICE})": MANTLE_DECK_DAY,
        "Untracked spend (USD)": MANTLE_UNTRACKED,
    }


def test_mantle_alarm_watches_both_namespaces(plan: dict[str, Any]) -> None:
    alarm = _resource(
        plan, 'module.mantle["alarmed"].aws_cloudwatch_metric_alarm.account_daily_cost[0]'
    )
    queries = alarm_queries(alarm["metric_query"])
    assert len([q for q in queries if "MetricStat" in q]) == 7  # within the alarm's 10
    result = run_queries(queries, MANTLE_DATA, DAY, DAY + 24 * HOUR)
    assert {ts: round(v, 10) for ts, v in result["account_total"][1].items()} == {DAY: MANTLE_DAY}
