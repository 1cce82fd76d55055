"""A small, strict model of CloudWatch metric alarm evaluation, for the alarms the deck ships.

Importable as ``support.cloudwatch.alarm_eval``. It answers one question offline: given the alarm as
Terraform renders it (``aws_cloudwatch_metric_alarm`` values from a plan) and the raw data
points a traffic pattern produces, which state does CloudWatch put the alarm in, minute by
minute? Anything outside the subset below raises :class:`Unsupported`, so an alarm the
model does not understand fails its test instead of passing by accident.

Semantics, from the Amazon CloudWatch User Guide, "Using Amazon CloudWatch alarms"
(doc_source/AlarmThatSendsEmail.md of awsdocs/amazon-cloudwatch-user-guide, sections
"Evaluating an alarm" and "How alarm state is evaluated when data is missing"):

* **Period**: each data point of the alarm aggregates the raw values of one period with
  the alarm's statistic (Sum, Average, Minimum, Maximum, SampleCount, or a percentile pNN,
  computed here by nearest rank). CloudWatch does not document how periods are aligned:
  :func:`simulate` ends them at the evaluation minute by default (a 1-day period is the
  last 24 hours) or aligns them to multiples of the period (``aligned=True``).
* **Evaluation periods (N) and datapoints to alarm (M)**: the alarm is ALARM when at least
  M of the N data points evaluated breach the threshold; they need not be consecutive.
  ``datapoints_to_alarm`` unset means M = N. N x period may not exceed one day.
* **Evaluation range**: CloudWatch retrieves more data points than N ("the 5 most recent
  data points" for N = 3 in the guide's tables); the model retrieves N + 2 periods.
  - With at least N real data points in the range, the N most recent real ones are
    evaluated and treat_missing_data plays no role.
  - With fewer, every real data point of the range is evaluated and missing ones are
    filled per treat_missing_data, as few as needed to reach N: ``notBreaching`` fills
    good points, ``breaching`` bad ones. With ``missing`` (the default) and ``ignore``,
    fills are neither: fewer than M breaching with at least one real good point is OK;
    no real point at all is INSUFFICIENT_DATA (``ignore``: the state is kept); only
    breaching real points, fewer than M, is ALARM when the oldest data point of the range
    is one of them and INSUFFICIENT_DATA otherwise (``ignore``: kept). Every row of the
    guide's two tables is checked in tests/support/cloudwatch/tests/test_alarm_eval.py.
* **Metric math**: the expression is evaluated by support.cloudwatch.metric_math (the one parser
  and evaluator of the tests, where the subset and the User Guide's passage on missing
  values are written down) over the metrics' data points of the evaluation range, whose
  periods are FILL's time range. An expression outside that subset, or one naming an id
  that is not one of the alarm's metrics, is :class:`Unsupported`.
* **Percentiles with few samples**: ``evaluate_low_sample_count_percentiles`` unset or
  ``evaluate`` evaluates whatever samples there are (``ignore`` is not modelled).
* The alarm is evaluated once a minute, on the periods that have ended.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from support.cloudwatch.metric_math import MetricMathError, evaluate_expression, references

__all__ = [
    "ALARM",
    "INSUFFICIENT_DATA",
    "OK",
    "Alarm",
    "MetricStat",
    "Sample",
    "Unsupported",
    "aggregate",
    "decide",
    "simulate",
]

OK = "OK"
ALARM = "ALARM"
INSUFFICIENT_DATA = "INSUFFICIENT_DATA"

EXTRA_PERIODS = 2  # the evaluation range holds N + 2 periods (5 for N = 3, as in the guide)
ONE_DAY = 86400

_COMPARISONS = {
    "GreaterThanThreshold": lambda v, t: v > t,
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}
_TREATMENTS = ("missing", "notBreaching", "breaching", "ignore")
_STATISTICS = ("Sum", "Average", "Minimum", "Maximum", "SampleCount")
_PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d+)?)$")


class Unsupported(ValueError):
    """The alarm uses something the model does not implement."""


@dataclass(frozen=True)
class Sample:
    """One raw value a metric received (a metric filter match, a PutMetricData value)."""

    time: float  # epoch seconds
    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    value: float

    @classmethod
    def of(
        cls, time: float, namespace: str, metric: str, dimensions: Mapping[str, str], value: float
    ) -> Sample:
        return cls(time, namespace, metric, tuple(sorted(dimensions.items())), float(value))


@dataclass(frozen=True)
class MetricStat:
    """One metric with its statistic and period."""

    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str
    period: int

    def datapoints(self, index: SampleIndex, starts: Iterable[int]) -> dict[int, float]:
        """Window start -> aggregated value, for the windows [start, start + period) with data."""
        out = {}
        for start in starts:
            values = index.values(
                self.namespace, self.metric, self.dimensions, start, start + self.period
            )
            if values:
                out[start] = aggregate(self.stat, values)
        return out


class SampleIndex:
    """The samples by metric, sorted by time, for fast window lookups."""

    def __init__(self, samples: Iterable[Sample]) -> None:
        self._times: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[float]] = {}
        self._values: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[float]] = {}
        for s in sorted(samples, key=lambda s: s.time):
            key = (s.namespace, s.metric, s.dimensions)
            self._times.setdefault(key, []).append(s.time)
            self._values.setdefault(key, []).append(s.value)

    def values(
        self,
        namespace: str,
        metric: str,
        dims: tuple[tuple[str, str], ...],
        start: float,
        end: float,
    ) -> list[float]:
        key = (namespace, metric, dims)
        times = self._times.get(key, [])
        lo, hi = bisect.bisect_left(times, start), bisect.bisect_left(times, end)
        return self._values.get(key, [])[lo:hi]


def aggregate(stat: str, values: list[float]) -> float:
    """One statistic over the raw values of a period."""
    if not values:
        raise ValueError("no values")
    if stat == "Sum":
        return math.fsum(values)
    if stat == "Average":
        return math.fsum(values) / len(values)
    if stat == "Minimum":
        return min(values)
    if stat == "Maximum":
        return max(values)
    if stat == "SampleCount":
        return float(len(values))
    match = _PERCENTILE.match(stat)
    if match:
        ordered = sorted(values)
        rank = max(1, math.ceil(float(match.group(1)) / 100 * len(ordered)))
        return ordered[rank - 1]
    raise Unsupported(f"statistic {stat!r}")


# --- the alarm -------------------------------------------------------------------------------


@dataclass
class Alarm:
    """A metric alarm as the model evaluates it (see :meth:`from_plan`)."""

    name: str
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    threshold: float
    comparison: str
    treat_missing_data: str
    metric: MetricStat | None = None
    queries: dict[str, MetricStat] = field(default_factory=dict)
    expression: str | None = None

    @classmethod
    def from_plan(cls, values: Mapping[str, Any]) -> Alarm:
        """Build the model from an ``aws_cloudwatch_metric_alarm``'s planned values.

        Raises:
            Unsupported: A setting outside the modelled subset.
        """
        name = values["alarm_name"]
        if values.get("threshold_metric_id"):
            raise Unsupported(f"{name}: threshold_metric_id (anomaly detection band)")
        if values.get("evaluate_low_sample_count_percentiles") not in (None, "", "evaluate"):
            raise Unsupported(f"{name}: evaluate_low_sample_count_percentiles")
        comparison = values["comparison_operator"]
        if comparison not in _COMPARISONS:
            raise Unsupported(f"{name}: comparison {comparison}")
        treat = values.get("treat_missing_data") or "missing"
        if treat not in _TREATMENTS:
            raise Unsupported(f"{name}: treat_missing_data {treat}")
        n = int(values["evaluation_periods"])
        m = int(values.get("datapoints_to_alarm") or n)
        queries = values.get("metric_query") or []
        if queries:
            stats: dict[str, MetricStat] = {}
            expression = None
            expression_period = None
            for q in queries:
                if q.get("metric"):
                    (metric,) = q["metric"]
                    stats[q["id"]] = MetricStat(
                        metric["namespace"],
                        metric["metric_name"],
                        tuple(sorted((metric.get("dimensions") or {}).items())),
                        metric["stat"],
                        int(metric["period"]),
                    )
                    if q.get("return_data"):
                        expression = q["id"]
                elif q.get("expression"):
                    if q.get("return_data") is False:
                        raise Unsupported(f"{name}: nested expressions")
                    expression = q["expression"]
                    expression_period = q.get("period")
                else:
                    raise Unsupported(f"{name}: query {q.get('id')}")
            periods = {s.period for s in stats.values()}
            if len(periods) != 1:
                raise Unsupported(f"{name}: metrics of one alarm must share one period")
            (period,) = periods
            if expression is None or (
                expression not in stats and expression_period not in (None, 0, period)
            ):
                raise Unsupported(f"{name}: no returned expression, or a second period")
            try:
                unknown = references(expression) - set(stats)
            except MetricMathError as exc:
                raise Unsupported(f"{name}: {exc}") from exc
            if unknown:
                raise Unsupported(f"{name}: the expression names no metric {sorted(unknown)}")
            alarm = cls(
                name, period, n, m, float(values["threshold"]), comparison, treat, None, stats,
                expression,
            )  # fmt: skip
        else:
            stat = values.get("extended_statistic") or values.get("statistic")
            if stat not in _STATISTICS and not _PERCENTILE.match(stat or ""):
                raise Unsupported(f"{name}: statistic {stat}")
            period = int(values["period"])
            metric = MetricStat(
                values["namespace"],
                values["metric_name"],
                tuple(sorted((values.get("dimensions") or {}).items())),
                stat,
                period,
            )
            alarm = cls(name, period, n, m, float(values["threshold"]), comparison, treat, metric)
        if not 1 <= alarm.datapoints_to_alarm <= alarm.evaluation_periods:
            raise Unsupported(f"{name}: datapoints_to_alarm outside 1..evaluation_periods")
        if alarm.period % 60 or alarm.period * alarm.evaluation_periods > ONE_DAY:
            raise Unsupported(
                f"{name}: period x evaluation_periods must be whole minutes, <= 1 day"
            )
        return alarm

    def datapoints(
        self, samples: list[Sample] | SampleIndex, starts: Iterable[int]
    ) -> dict[int, float]:
        """Window start -> the alarm's data point, for the windows starting at ``starts``."""
        index = samples if isinstance(samples, SampleIndex) else SampleIndex(samples)
        starts = list(starts)
        if self.metric is not None:
            return self.metric.datapoints(index, starts)
        series = {qid: stat.datapoints(index, starts) for qid, stat in self.queries.items()}
        try:
            result = evaluate_expression(self.expression or "", series, starts)
        except MetricMathError as exc:
            raise Unsupported(f"{self.name}: {exc}") from exc
        if not isinstance(result, dict):
            raise Unsupported(f"{self.name}: the expression yields a number, not a time series")
        return result

    def breaches(self, value: float) -> bool:
        return bool(_COMPARISONS[self.comparison](value, self.threshold))


def decide(points: list[float | None], alarm: Alarm, previous: str = INSUFFICIENT_DATA) -> str:
    """The state for one evaluation range (oldest first; None = missing data point)."""
    n, m = alarm.evaluation_periods, alarm.datapoints_to_alarm
    real = [p for p in points if p is not None]
    if len(real) >= n:
        bad = sum(alarm.breaches(p) for p in real[-n:])
        return ALARM if bad >= m else OK
    bad = sum(alarm.breaches(p) for p in real)
    good = len(real) - bad
    fills = n - len(real)
    treat = alarm.treat_missing_data
    if treat == "breaching":
        return ALARM if bad + fills >= m else OK
    if treat == "notBreaching":
        return ALARM if bad >= m else OK
    # missing / ignore: fills count neither way.
    if bad >= m:
        return ALARM
    if good > 0:
        return OK
    if not real:
        return previous if treat == "ignore" else INSUFFICIENT_DATA
    if points[0] is not None and alarm.breaches(points[0]):
        return ALARM if treat == "missing" else previous
    return previous if treat == "ignore" else INSUFFICIENT_DATA


def simulate(
    alarm: Alarm, samples: list[Sample], start: int, end: int, *, aligned: bool = False
) -> list[tuple[int, str]]:
    """Evaluate the alarm once a minute from ``start`` to ``end`` (epoch seconds).

    Args:
        alarm: The alarm.
        samples: Every raw value its metrics received.
        start: First evaluation (rounded down to the minute).
        end: End of the evaluations (exclusive).
        aligned: False (default): the evaluation range's periods end at the evaluation
            minute (a sliding window, as a 1-day period adds up the last 24 hours);
            True: they are aligned to multiples of the period since the epoch. CloudWatch
            does not document the alignment; tests that must hold either way run both.

    Returns:
        ``(minute, state)`` for every evaluation.
    """
    index = SampleIndex(samples)
    state = INSUFFICIENT_DATA
    out = []
    for now in range(start - start % 60, end, 60):
        last_end = now - now % alarm.period if aligned else now
        starts = [
            last_end - alarm.period * k
            for k in range(alarm.evaluation_periods + EXTRA_PERIODS, 0, -1)
        ]
        points = alarm.datapoints(index, starts)
        state = decide([points.get(t) for t in starts], alarm, state)
        out.append((now, state))
    return out
