"""The metric-math evaluator: the subset's semantics on hand-made series."""

from __future__ import annotations

import pytest
from support.cloudwatch.metric_math import (
    MetricMathError,
    evaluate,
    evaluate_expression,
    metric_key,
    run_queries,
)

T0 = 1_764_547_200  # 2025-12-01T00:00:00Z
HOUR = 3600


def stat(qid: str, name: str, period: int = HOUR, **extra: object) -> dict[str, object]:
    return {
        "Id": qid,
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/Bedrock",
                "MetricName": name,
                "Dimensions": [{"Name": "ModelId", "Value": "m"}],
            },
            "Period": period,
            "Stat": "Sum",
        },
        "ReturnData": False,
        **extra,
    }


def key(name: str, account: str = "") -> tuple:
    return metric_key("AWS/Bedrock", name, {"ModelId": "m"}, account)


DATA = {
    key("InputTokenCount"): [(T0 + 10, 100.0), (T0 + 20, 50.0), (T0 + 2 * HOUR + 5, 30.0)],
    key("OutputTokenCount"): [(T0 + 30, 10.0), (T0 + HOUR + 1, 7.0)],
}

# a + b at each hour, a missing value being 0 (a has no point at T0 + 1h, b none at T0 + 2h).
A_PLUS_B = {T0: 160.0, T0 + HOUR: 7.0, T0 + 2 * HOUR: 30.0}


def input_and_output(expression: str, hours: int = 3) -> dict[int, float]:
    """``expression`` over a (input tokens) and b (output tokens), ``hours`` from T0."""
    queries = [
        stat("a", "InputTokenCount"),
        stat("b", "OutputTokenCount"),
        {"Id": "e", "Expression": expression},
    ]
    return evaluate(queries, DATA, T0, T0 + hours * HOUR)["e"]


def test_metric_stat_sums_raw_points_per_period() -> None:
    values = evaluate([stat("a", "InputTokenCount")], DATA, T0, T0 + 3 * HOUR)
    assert values["a"] == {T0: 150.0, T0 + 2 * HOUR: 30.0}


def test_series_arithmetic_treats_a_missing_value_as_zero() -> None:
    # User Guide, "Basic arithmetic functions": "Missing values in a time series are
    # treated as 0." a has no point at T0 + 1h, b none at T0 + 2h.
    queries = [
        stat("a", "InputTokenCount"),
        stat("b", "OutputTokenCount"),
        {"Id": "e", "Expression": "a + b"},
        {"Id": "d", "Expression": "a - b"},
    ]
    values = evaluate(queries, DATA, T0, T0 + 3 * HOUR)
    assert values["e"] == A_PLUS_B
    assert values["d"] == {T0: 140.0, T0 + HOUR: -7.0, T0 + 2 * HOUR: 30.0}


def test_series_division_drops_where_the_divisor_is_missing() -> None:
    # The missing divisor is 0, and "the data point is dropped".
    assert input_and_output("a / b") == {T0: 15.0, T0 + HOUR: 0.0}


def test_a_timestamp_where_no_series_has_a_value_has_no_result() -> None:
    assert T0 + 3 * HOUR not in input_and_output("a + b", hours=4)


def test_evaluate_expression_on_aggregated_series() -> None:
    series = {"a": {0: 4.0, 60: 2.0}, "b": {60: 1.0}}
    assert evaluate_expression("a * b", series, [0, 60, 120]) == {0: 0.0, 60: 2.0}
    assert evaluate_expression("FILL(b, 3)", series, [0, 60, 120]) == {
        0: 3.0,
        60: 1.0,
        120: 3.0,
    }
    assert evaluate_expression("SUM(a)", series, [0, 60]) == 6.0
    with pytest.raises(MetricMathError, match="unknown id"):
        evaluate_expression("a + c", series, [0])
    with pytest.raises(MetricMathError, match="array"):
        evaluate_expression("[a, b]", series, [0])


def test_fill_gives_every_period_a_value() -> None:
    assert input_and_output("FILL(a, 0) + FILL(b, 0)") == A_PLUS_B


def test_precedence_parentheses_and_unary_minus() -> None:
    queries = [stat("a", "InputTokenCount"), {"Id": "e", "Expression": "-(a + 50) * 2 / 4 - 1"}]
    assert evaluate(queries, DATA, T0, T0 + HOUR)["e"] == {T0: -101.0}


def test_sum_of_an_array_adds_the_series_present_at_each_timestamp() -> None:
    assert input_and_output("SUM([a, b])") == A_PLUS_B


def test_sum_of_one_series_is_a_number() -> None:
    queries = [stat("a", "InputTokenCount"), {"Id": "s", "Expression": "SUM(a)"}]
    assert evaluate(queries, DATA, T0, T0 + 3 * HOUR)["s"] == 180.0


def test_division_by_zero_drops_the_point() -> None:
    assert input_and_output("FILL(a, 0) / FILL(b, 0)") == {T0: 15.0, T0 + HOUR: 0.0}


def test_account_id_selects_that_accounts_data() -> None:
    data = {
        key("InputTokenCount", "222222222222"): [(T0, 5.0)],
        key("InputTokenCount"): [(T0, 9.0)],
    }
    queries = [stat("a", "InputTokenCount", AccountId="222222222222")]
    assert evaluate(queries, data, T0, T0 + HOUR)["a"] == {T0: 5.0}


def test_run_queries_returns_only_return_data() -> None:
    queries = [stat("a", "InputTokenCount"), {"Id": "e", "Expression": "a * 2", "Label": "double"}]
    assert run_queries(queries, DATA, T0, T0 + HOUR) == {"e": ("double", {T0: 300.0})}


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("SEARCH('{AWS/Bedrock}', 'Sum', 300)", "unexpected character"),
        ("AVG([a])", "unsupported function"),
        ("a +", "expected more"),
        ("(a", r"expected \)"),
        ("1e-6 * a", "malformed number"),
        ("nope * 2", "unknown id"),
        ("FILL(a)", "FILL takes"),
        ("e * 1", "reference cycle"),
        ("[a] + 1", "array"),
    ],
)
def test_outside_the_subset_is_refused(expression: str, message: str) -> None:
    queries = [stat("a", "InputTokenCount"), {"Id": "e", "Expression": expression}]
    with pytest.raises(MetricMathError, match=message):
        evaluate(queries, DATA, T0, T0 + HOUR)


@pytest.mark.parametrize(
    "query",
    [
        {"Id": "Upper", "Expression": "1"},
        {"Id": "x", "Expression": "1", "MetricStat": {}},
        {"Id": "x"},
        {"Id": "x", "Expression": "1", "Extra": 1},
        {
            **stat("x", "InputTokenCount"),
            "MetricStat": {**stat("x", "InputTokenCount")["MetricStat"], "Stat": "p99"},
        },
        {
            **stat("x", "InputTokenCount"),
            "MetricStat": {**stat("x", "InputTokenCount")["MetricStat"], "Period": 90},
        },
    ],
)
def test_malformed_queries_are_refused(query: dict) -> None:
    with pytest.raises(MetricMathError):
        evaluate([query], DATA, T0, T0 + HOUR)


def test_mixed_periods_are_refused() -> None:
    queries = [
        stat("a", "InputTokenCount"),
        stat("b", "OutputTokenCount", period=300),
        {"Id": "e", "Expression": "a + b"},
    ]
    with pytest.raises(MetricMathError, match="mixes periods"):
        evaluate(queries, DATA, T0, T0 + HOUR)
