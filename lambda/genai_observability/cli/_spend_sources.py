"""Where ``genai-obs spend`` takes its answer from: the deck's lines, its metrics, or the account.

Three sources of today's spend by model, side by side with ``--compare``:

* ``logs``: the deck's saved ``cost-by-model`` question over the lines (Logs Insights),
  with its ``unpriced-models`` question for the calls the cost leaves out
  (``logs_unpriced_calls``; the cost is then a lower bound): exact to the call, but it
  scans every line of the day, so it grows with the log volume;
* ``metrics``: the deck's ``CostUSD`` metric per ``{Service, Model}`` (the metric filters'
  output) with one GetMetricData call, one sum per model from the day's start (UTC
  midnight) to now: exact from the day's start, and as fast at a million calls as at ten;
* ``account``: Amazon Bedrock's own token metrics, every caller in the account in this
  Region: ``AWS/Bedrock`` (the bedrock-runtime endpoint: ``InputTokenCount``,
  ``OutputTokenCount``, ``CacheReadInputTokenCount``, ``CacheWriteInputTokenCount`` per
  ``ModelId``) and ``AWS/BedrockMantle`` (the bedrock-mantle endpoint's OpenAI Responses,
  Chat Completions and Anthropic Messages APIs: ``TotalInputTokens``, ``TotalOutputTokens``
  per ``Model``), priced here with the same catalog and ``GENAI_MODEL_PRICES`` overrides as
  the payload (the deck's account view prices them the same way with metric math); a model
  id in both namespaces is one row, its costs added. A model without a price, or cache
  tokens without a cache price, has an unknown cost: shown empty, never as 0.

Clients come from the one factory (:mod:`._aws`); the ``spend`` command runs the sources.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import _aws
from ._format import to_number

__all__ = [
    "ACCOUNT_METRICS",
    "ACCOUNT_NAMESPACES",
    "BEDROCK_NAMESPACE",
    "DEFAULT_NAMESPACE",
    "MANTLE_METRICS",
    "MANTLE_NAMESPACE",
    "SOURCES",
    "SourceResult",
    "account_spend",
    "compare_rows",
    "logs_spend",
    "make_cloudwatch_client",
    "metrics_spend",
    "period_for",
]

BEDROCK_NAMESPACE = "AWS/Bedrock"
MANTLE_NAMESPACE = "AWS/BedrockMantle"
HOUR = 3600


def period_for(start: datetime, end: datetime) -> int:
    """One bucket for the whole range, in whole hours (valid at every data age).

    From a start on the hour (UTC midnight for ``today``) the bucket starts exactly there,
    so its sum is the range's exact sum; CloudWatch accepts any multiple of 3600 seconds
    for data of any age (multiples of 60, 300 and 3600 beyond 15 and 63 days).
    """
    seconds = max(1, math.ceil((end - start).total_seconds()))
    return max(HOUR, math.ceil(seconds / HOUR) * HOUR)


ACCOUNT_METRICS = {
    "input": "InputTokenCount",
    "output": "OutputTokenCount",
    "cache_read": "CacheReadInputTokenCount",
    "cache_write": "CacheWriteInputTokenCount",
}
"""Token kind -> Amazon Bedrock metric (namespace AWS/Bedrock, dimension ModelId)."""

MANTLE_METRICS = {"input": "TotalInputTokens", "output": "TotalOutputTokens"}
"""Token kind -> bedrock-mantle metric (namespace AWS/BedrockMantle, dimension Model).

Amazon Bedrock User Guide, "Monitor bedrock-mantle inference using CloudWatch metrics"
(docs.aws.amazon.com/bedrock/latest/userguide/monitoring-mantle-metrics.html): the billable
tokens of each publish interval, unit Count, at the Account, Project and Model levels (the
Model level is read: every project, each model once); no cache-token metric is published.
"""

ACCOUNT_NAMESPACES = (
    (BEDROCK_NAMESPACE, "ModelId", ACCOUNT_METRICS),
    (MANTLE_NAMESPACE, "Model", MANTLE_METRICS),
)
"""Where the account's tokens are: (namespace, model dimension, token kind -> metric)."""

_MAX_QUERIES = 500
"""GetMetricData takes at most 500 queries per call."""


@dataclass
class SourceResult:
    """One source's answer: USD by model (None: unknown), and how many API calls it took.

    ``unpriced`` (the logs source, when the deck saves ``unpriced-models``) is the calls per
    model that have no cost: a model's cost is then a lower bound; None when unknown.
    ``no_data`` (the account source) is the models read that had no data point in the
    range: their cost is None (no data, never 0).
    """

    source: str
    costs: dict[str, float | None] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    api_calls: int = 0
    unpriced: dict[str, int] | None = None
    no_data: set[str] = field(default_factory=set)

    def is_lower_bound(self, model: str) -> bool:
        """Whether the model's known cost leaves out some of its calls (unpriced)."""
        if self.unpriced is None:
            return False
        return 0 < self.unpriced.get(model, 0) < self.calls.get(model, 0)

    @property
    def total(self) -> float | None:
        """The sum of the known costs; None when no cost is known."""
        known = [c for c in self.costs.values() if c is not None]
        return math.fsum(known) if known else None


def make_cloudwatch_client(region: str | None = None, profile: str | None = None) -> Any:
    """Create a CloudWatch client (the commands' one factory, service ``cloudwatch``)."""
    return _aws.make_client("cloudwatch", region, profile)


def _list_dimension_values(
    client: Any, namespace: str, metric: str, key: str, where: dict[str, str], result: SourceResult
) -> list[str]:
    """Values of dimension ``key`` in the series whose dimensions are exactly ``where`` + key."""
    wanted = set(where) | {key}
    values: set[str] = set()
    kwargs: dict[str, Any] = {"Namespace": namespace, "MetricName": metric}
    if where:
        kwargs["Dimensions"] = [{"Name": k, "Value": v} for k, v in where.items()]
    with _aws.aws_errors("cloudwatch", "ListMetrics"):
        while True:
            page = client.list_metrics(**kwargs)
            result.api_calls += 1
            for m in page.get("Metrics", []):
                dims = {d["Name"]: d["Value"] for d in m.get("Dimensions", [])}
                if set(dims) == wanted and all(dims[k] == v for k, v in where.items()):
                    values.add(dims[key])
            token = page.get("NextToken")
            if not token:
                break
            kwargs["NextToken"] = token
    return sorted(values)


def _sums(
    client: Any,
    queries: list[tuple[str, str, str, dict[str, str]]],
    start: datetime,
    end: datetime,
    result: SourceResult,
    seen: set[str] | None = None,
) -> dict[str, float]:
    """Sum of each (id, namespace, metric, dimensions) over [start, end), one bucket.

    ``seen``, when given, gets the ids that had at least one data point.
    """
    totals: dict[str, float] = {qid: 0.0 for qid, *_ in queries}
    period = period_for(start, end)
    for i in range(0, len(queries), _MAX_QUERIES):
        batch = [
            {
                "Id": qid,
                "MetricStat": {
                    "Metric": {
                        "Namespace": namespace,
                        "MetricName": metric,
                        "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
                    },
                    "Period": period,
                    "Stat": "Sum",
                },
                "ReturnData": True,
            }
            for qid, namespace, metric, dims in queries[i : i + _MAX_QUERIES]
        ]
        kwargs: dict[str, Any] = {"MetricDataQueries": batch, "StartTime": start, "EndTime": end}
        with _aws.aws_errors("cloudwatch", "GetMetricData"):
            while True:
                page = client.get_metric_data(**kwargs)
                result.api_calls += 1
                for series in page.get("MetricDataResults", []):
                    totals[series["Id"]] += math.fsum(series.get("Values", []))
                    if seen is not None and series.get("Values"):
                        seen.add(series["Id"])
                token = page.get("NextToken")
                if not token:
                    break
                kwargs["NextToken"] = token
    return totals


def metrics_spend(
    client: Any,
    namespace: str,
    service: str,
    start: datetime,
    end: datetime,
    models: Iterable[str] | None = None,
) -> SourceResult:
    """Today's spend by model from the deck's CostUSD metric (and Calls), GetMetricData.

    Without ``models``, the service's models are the ``Model`` values of its CostUSD
    series (ListMetrics).
    """
    result = SourceResult("metrics")
    models = (
        sorted(set(models))
        if models
        else _list_dimension_values(
            client, namespace, "CostUSD", "Model", {"Service": service}, result
        )
    )
    queries = []
    for i, model in enumerate(models):
        dims = {"Service": service, "Model": model}
        queries.append((f"cost{i}", namespace, "CostUSD", dims))
        queries.append((f"calls{i}", namespace, "Calls", dims))
    sums = _sums(client, queries, start, end, result) if queries else {}
    for i, model in enumerate(models):
        result.costs[model] = round(sums[f"cost{i}"], 10)
        result.calls[model] = int(sums[f"calls{i}"])
    return result


def account_spend(
    client: Any, start: datetime, end: datetime, models: Iterable[str] | None = None
) -> SourceResult:
    """Today's Amazon Bedrock spend by model for the whole account, priced with the catalog."""
    from .. import pricing

    result = SourceResult("account")
    queries: list[tuple[str, str, str, dict[str, str]]] = []
    owner: dict[str, tuple[int, str, str]] = {}  # query id -> (namespace no., model, kind)
    for n, (namespace, dimension, metrics) in enumerate(ACCOUNT_NAMESPACES):
        ids = (
            sorted(set(models))
            if models
            else _list_dimension_values(client, namespace, metrics["input"], dimension, {}, result)
        )
        for i, model in enumerate(ids):
            for kind, metric in metrics.items():
                qid = f"n{n}_{kind}{i}"
                queries.append((qid, namespace, metric, {dimension: model}))
                owner[qid] = (n, model, kind)
    seen: set[str] = set()
    sums = _sums(client, queries, start, end, result, seen) if queries else {}
    tokens: dict[tuple[int, str], dict[str, int]] = {}
    for qid, (n, model, kind) in owner.items():
        tokens.setdefault((n, model), {})[kind] = int(sums[qid])
    # A model with no data point in either namespace: no data, never $0.
    result.no_data = {m for _, m, _ in owner.values()} - {owner[q][1] for q in seen}
    for (_, model), counts in tokens.items():
        cost = pricing.cost_usd(
            model,
            counts["input"],
            counts["output"],
            counts.get("cache_read", 0),
            counts.get("cache_write", 0),
        )
        result.costs[model] = _add(result.costs.get(model, 0.0), cost)
    for model in result.no_data:
        result.costs[model] = None
    return result


def _add(a: float | None, b: float | None) -> float | None:
    """The sum of two costs; unknown (None) when either is."""
    return None if a is None or b is None else round(a + b, 10)


def compare_rows(results: list[SourceResult]) -> tuple[list[str], list[dict[str, Any]]]:
    """Side by side: one column per source, then the differences.

    ``metrics_vs_logs`` says how far the metrics are from the lines (0 when the metric
    filters saw every priced line); ``untracked_usd`` (account minus the deck's metrics, or
    minus the logs without metrics) is the spend the deck never recorded.
    """
    by = {r.source: r for r in results}
    columns = ["model", *[f"{r.source}_usd" for r in results]]
    deck = by.get("metrics") or by.get("logs")
    logs = by.get("logs")
    marked = logs is not None and logs.unpriced is not None
    if marked:
        columns.insert(columns.index("logs_usd") + 1, "logs_unpriced_calls")
    if "metrics" in by and "logs" in by:
        columns.append("metrics_vs_logs_usd")
    if "account" in by and deck is not None:
        columns.append("untracked_usd")
    models = sorted({m for r in results for m in r.costs})
    rows: list[dict[str, Any]] = []
    for model in models:
        row: dict[str, Any] = {"model": model}
        for r in results:
            row[f"{r.source}_usd"] = r.costs.get(model, 0.0)
        if "metrics_vs_logs_usd" in columns:
            row["metrics_vs_logs_usd"] = _diff(by["metrics"], by["logs"], model)
        if "untracked_usd" in columns and deck is not None:
            row["untracked_usd"] = _diff(by["account"], deck, model)
        if marked and logs is not None and logs.unpriced is not None:
            row["logs_unpriced_calls"] = logs.unpriced.get(model, 0)
            row["logs_cost_is_lower_bound"] = logs.is_lower_bound(model)
        rows.append(row)
    if marked:
        columns.append("logs_cost_is_lower_bound")
    return columns, rows


def _diff(a: SourceResult, b: SourceResult, model: str) -> float | None:
    x, y = a.costs.get(model, 0.0), b.costs.get(model, 0.0)
    if x is None or y is None:
        return None
    return round(x - y, 10)


def logs_spend(rows: list[dict[str, Any]], unpriced: dict[str, int] | None = None) -> SourceResult:
    """The cost-by-model question's rows (model, total_cost_usd, calls) as a source result.

    Args:
        rows: The cost-by-model rows.
        unpriced: Unpriced calls per model (the unpriced-models question), or None when
            unknown. A model whose calls are all unpriced has an unknown cost (None).
    """
    result = SourceResult("logs", api_calls=0, unpriced=None if unpriced is None else {})
    for row in rows:
        model = row.get("model")
        if not model:
            continue
        cost = to_number(row.get("total_cost_usd"))
        calls = to_number(row.get("calls"))
        count = int(calls or 0)
        result.costs[str(model)] = None if cost is None else float(cost)
        result.calls[str(model)] = count
        if unpriced is not None and result.unpriced is not None:
            missing = min(unpriced.get(str(model), 0), count)
            result.unpriced[str(model)] = missing
            if count and missing >= count:
                result.costs[str(model)] = None
    return result


SOURCES = ("logs", "metrics", "account")
DEFAULT_NAMESPACE = "GenAI"
