"""The alarm model (support.cloudwatch.alarm_eval) against the CloudWatch User Guide's examples.

The two tables of "How alarm state is evaluated when data is missing" (Amazon CloudWatch
User Guide, AlarmThatSendsEmail.md) are reproduced row by row for all four
treat_missing_data settings, plus the statistics and the metric-math subset.
"""

from __future__ import annotations

import pytest
from support.cloudwatch.alarm_eval import (
    ALARM,
    INSUFFICIENT_DATA,
    OK,
    Alarm,
    Sample,
    Unsupported,
    aggregate,
    decide,
    simulate,
)

KEEP = "retain"  # the guide's "Retain current state"
TREATMENTS = ("missing", "ignore", "breaching", "notBreaching")

# (datapoints to alarm, evaluation range oldest first, state per treatment in TREATMENTS)
GUIDE_ROWS = [
    # First table: 3 of 3.
    (3, "0 - X - X", (OK, OK, OK, OK)),
    (3, "0 - - - -", (OK, OK, OK, OK)),
    (3, "- - - - -", (INSUFFICIENT_DATA, KEEP, ALARM, OK)),
    (3, "0 X X - X", (ALARM, ALARM, ALARM, ALARM)),
    (3, "- - - - X", (INSUFFICIENT_DATA, KEEP, ALARM, OK)),
    (3, "X - - - -", (ALARM, KEEP, ALARM, OK)),
    # Second table: 2 of 3.
    (2, "0 - X - X", (ALARM, ALARM, ALARM, ALARM)),
    (2, "0 0 X 0 X", (ALARM, ALARM, ALARM, ALARM)),
    (2, "0 - X - -", (OK, OK, ALARM, OK)),
    (2, "- - - - 0", (OK, OK, ALARM, OK)),
    (2, "- - - - X", (INSUFFICIENT_DATA, KEEP, ALARM, OK)),
]


def alarm(m: int, n: int = 3, treat: str = "missing", **extra: object) -> Alarm:
    values = {
        "alarm_name": "guide",
        "namespace": "N",
        "metric_name": "M",
        "statistic": "Maximum",
        "period": 300,
        "evaluation_periods": n,
        "datapoints_to_alarm": m,
        "threshold": 0.5,
        "comparison_operator": "GreaterThanThreshold",
        "treat_missing_data": treat,
    }
    values.update(extra)
    return Alarm.from_plan(values)


@pytest.mark.parametrize(("m", "row", "states"), GUIDE_ROWS)
@pytest.mark.parametrize("treat", TREATMENTS)
def test_decide_matches_the_user_guide_tables(
    m: int, row: str, states: tuple[str, ...], treat: str
) -> None:
    points = [None if c == "-" else (1.0 if c == "X" else 0.0) for c in row.split()]
    want = states[TREATMENTS.index(treat)]
    for previous in (OK, ALARM):
        got = decide(points, alarm(m, treat=treat), previous)
        assert got == (previous if want == KEEP else want), (row, treat, previous)


def test_aggregate_statistics() -> None:
    values = [float(v) for v in range(1, 101)]
    assert aggregate("Sum", values) == 5050
    assert aggregate("Average", values) == 50.5
    assert aggregate("SampleCount", values) == 100
    assert (aggregate("Minimum", values), aggregate("Maximum", values)) == (1, 100)
    assert aggregate("p99", values) == 99 and aggregate("p50", values) == 50
    assert aggregate("p99", [7.0]) == 7  # one sample is its own percentile
    with pytest.raises(Unsupported):
        aggregate("tm99", values)


def error_rate_alarm(expression: str = "100 * FILL(errors, 0) / calls", **extra: object) -> Alarm:
    def metric(name: str) -> dict[str, object]:
        return {
            "namespace": "GenAI",
            "metric_name": name,
            "dimensions": {"Service": "s"},
            "stat": "Sum",
            "period": 300,
        }

    values = {
        "alarm_name": "rate",
        "evaluation_periods": 1,
        "datapoints_to_alarm": 1,
        "threshold": 5,
        "comparison_operator": "GreaterThanThreshold",
        "treat_missing_data": "notBreaching",
        "metric_query": [
            {"id": "rate", "expression": expression, "return_data": True},
            {"id": "errors", "return_data": False, "metric": [metric("Errors")]},
            {"id": "calls", "return_data": False, "metric": [metric("Calls")]},
        ],
    }
    values.update(extra)
    return Alarm.from_plan(values)


def test_metric_math_fill_and_dropped_division() -> None:
    rate = error_rate_alarm()
    dims = {"Service": "s"}
    samples = [
        Sample.of(10, "GenAI", "Calls", dims, 1),
        Sample.of(20, "GenAI", "Calls", dims, 1),
        Sample.of(20, "GenAI", "Errors", dims, 1),  # 1 of 2 failed in [0, 300)
        Sample.of(310, "GenAI", "Calls", dims, 1),  # no errors in [300, 600): FILL gives 0
        # [600, 900): no calls at all, so no data point (0 / 0 is dropped)
    ]
    assert rate.datapoints(samples, [0, 300, 600]) == {0: 50.0, 300: 0.0}


def test_metric_math_treats_a_missing_value_as_zero() -> None:
    # support.cloudwatch.metric_math's semantics (User Guide, "Basic arithmetic functions"): errors
    # has no point in [300, 600), so it counts 0 there; [600, 900) has no data at all.
    ok_calls = error_rate_alarm("calls - errors")
    dims = {"Service": "s"}
    samples = [
        Sample.of(10, "GenAI", "Calls", dims, 3),
        Sample.of(20, "GenAI", "Errors", dims, 1),
        Sample.of(310, "GenAI", "Calls", dims, 2),
    ]
    assert ok_calls.datapoints(samples, [0, 300, 600]) == {0: 2.0, 300: 2.0}


def test_metric_math_fill_gives_every_period_of_the_range_a_value() -> None:
    # "FILL replaces that missing data point with the requested value": with no data at
    # all the alarm still sees a 0 in every period, so treat_missing_data plays no role.
    filled = error_rate_alarm("FILL(errors, 0)")
    assert filled.datapoints([], [0, 300, 600]) == {0: 0.0, 300: 0.0, 600: 0.0}
    assert {state for _, state in simulate(filled, [], 0, 1200)} == {OK}


@pytest.mark.parametrize(
    ("expression", "message"),
    [("AVG([errors])", "unsupported function"), ("errors + other", "names no metric")],
)
def test_metric_math_outside_the_subset_is_refused(expression: str, message: str) -> None:
    with pytest.raises(Unsupported, match=message):
        error_rate_alarm(expression)


def test_simulate_aligned_periods_wait_for_the_period_to_end() -> None:
    slow = alarm(1, n=1, treat="notBreaching", period=300)
    samples = [Sample.of(1000, "N", "M", {}, 1.0)]  # a breaching value in [900, 1200)
    states = dict(simulate(slow, samples, 0, 2400, aligned=True))
    assert states[1140] == OK  # the period has not ended yet
    assert states[1200] == ALARM  # evaluated when [900, 1200) ends
    assert states[1500] == ALARM  # it stays the most recent real point for a while...
    assert states[2400 - 60] == OK  # ...until it leaves the evaluation range


def test_simulate_sliding_windows_end_at_the_evaluation_minute() -> None:
    slow = alarm(1, n=1, treat="notBreaching", period=300)
    samples = [Sample.of(1000, "N", "M", {}, 1.0)]
    states = dict(simulate(slow, samples, 0, 2400))
    assert states[960] == OK and states[1020] == ALARM  # [720, 1020) holds the value
    assert states[1020 + 3 * 300 - 60] == ALARM and states[1020 + 3 * 300] == OK


def test_simulate_a_one_day_sum_is_the_last_24_hours() -> None:
    daily = alarm(1, n=1, treat="notBreaching", period=86400, statistic="Sum", threshold=5)
    late_monday, early_tuesday = 86400 - 3600, 86400 + 3600
    samples = [Sample.of(t, "N", "M", {}, 3.0) for t in (late_monday, early_tuesday)]
    sliding = dict(simulate(daily, samples, 86400, 2 * 86400))
    assert sliding[early_tuesday + 60] == ALARM  # 3 + 3 over the last 24 hours
    aligned = dict(simulate(daily, samples, 86400, 2 * 86400, aligned=True))
    assert all(state != ALARM for state in aligned.values())  # 3 and 3 on two days


@pytest.mark.parametrize(
    "extra",
    [
        {"threshold_metric_id": "band"},
        {"comparison_operator": "LessThanLowerOrGreaterThanUpperThreshold"},
        {"evaluate_low_sample_count_percentiles": "ignore"},
        {"period": 3600, "evaluation_periods": 25},
        {"datapoints_to_alarm": 4},
        {"statistic": "IQM"},
    ],
)
def test_unmodelled_settings_are_refused(extra: dict[str, object]) -> None:
    with pytest.raises(Unsupported):
        alarm(3, **extra)
