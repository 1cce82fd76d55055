"""The strict Logs Insights evaluator (support.cloudwatch.insights_eval): it reads every
saved question of the module and the command, and refuses what is outside its subset.
Over lines the payload really emits: tests/python/test_questions_over_lines.py."""

from __future__ import annotations

import pytest
from genai_observability.cli._questions import QUESTIONS
from genai_observability.cli._report import MODEL_COLUMNS
from support.cli import UNPRICED_QUERY, saved_queries
from support.cloudwatch import insights_eval as ie

# --------------------------------------------------------------------------- the subset


def test_evaluator_parses_every_saved_question_of_the_module() -> None:
    queries = saved_queries()
    assert set(QUESTIONS) | {"cost-by-tenant"} == set(queries)
    for name, query in queries.items():
        assert ie.parse(query).commands, name
    for question in QUESTIONS.values():
        ie.parse(question.query)


def test_evaluator_columns_of_the_spend_questions() -> None:
    # The saved question answers the first seven columns of the report's model table.
    assert ie.parse(QUESTIONS["cost-by-model"].query).columns == list(MODEL_COLUMNS[:7])
    assert MODEL_COLUMNS[:3] == ("model", "total_cost_usd", "calls")
    assert ie.parse(UNPRICED_QUERY).columns == [
        "model",
        "tier",
        "latency",
        "call_region",
        "calls",
        "total_input_tokens",
        "total_output_tokens",
    ]


@pytest.mark.parametrize(
    "query",
    [
        'filter event != "llm_call" | fields model',
        'filter event = "llm_call" or status = "error" | fields model',
        'filter event = "llm_call"',  # no fields, no stats
        "stats count(*) by model",  # no alias
        "stats stddev(latency_ms) as s by model",
        "stats count(*) as n by model | stats sum(cost_usd) as c",  # not defined by the first
        "stats count(*) as n by model | sort n desc | stats sum(n) as t",  # sort before
        "stats count(*) as n by model | stats sum(n) as t by bin(1d)",
        "stats count(*) as a | stats count(*) as b | stats count(*) as c",
        "fields model | parse @message 'x=*' as x",
        "fields model | sort latency_ms desc",  # the projection has no latency_ms
        "fields model | sort model",  # no direction
        "fields strlen(model) as n",
        'filter model >= "a" | fields model',
        "fields model | limit 0",
    ],
)
def test_evaluator_refuses_what_is_outside_the_subset(query: str) -> None:
    with pytest.raises(ie.InsightsEvalError):
        ie.parse(query)


def test_evaluator_sum_and_avg_skip_missing_and_null_count_counts_every_event() -> None:
    events = [
        {"model": "m", "cost_usd": 0.1, "n": 1},
        {"model": "m", "cost_usd": None, "n": 2},
        {"model": "m", "n": 3},
        {"model": "m", "cost_usd": 0.2, "n": True},
    ]
    rows = ie.run(
        "stats count(*) as calls, sum(cost_usd) as c, avg(cost_usd) as a, sum(n) as s by model",
        events,
    )
    assert rows == [{"model": "m", "calls": 4, "c": 0.3, "a": 0.15, "s": 6}]
    # No value at all: the field is left out of the row, never 0.
    assert ie.run("stats sum(cost_usd) as c, count(*) as n by model", [{"model": "x"}]) == [
        {"model": "x", "n": 1}
    ]


def test_evaluator_coalesce_fills_missing_and_null_and_grouping_on_missing_raises() -> None:
    events = [{"model": "m", "region": None}, {"model": "m"}, {"model": "m", "region": "r"}]
    rows = ie.run(
        'fields model, coalesce(region, "-") as r | stats count(*) as n by model, r | sort n desc',
        events,
    )
    assert rows == [{"model": "m", "r": "-", "n": 2}, {"model": "m", "r": "r", "n": 1}]
    with pytest.raises(ie.InsightsEvalError, match="undocumented"):
        ie.run("stats count(*) as n by region", events)


def test_evaluator_bins_by_day_and_filters_with_the_documented_comparisons() -> None:
    events = ie.events_from_lines(
        [
            '{"metric": "AICost", "value": 1.5, "timestamp": "2025-06-13T23:59:59.999Z"}',
            '{"metric": "AICost", "value": 2, "timestamp": "2025-06-14T00:00:00.000Z"}',
            '{"metric": "Other", "value": 7, "timestamp": "2025-06-14T01:00:00.000Z"}',
            "START RequestId: 1 Version: $LATEST",
        ]
    )
    rows = ie.run(QUESTIONS["log-metric-daily"].query, events)
    assert rows == [
        {"day": "2025-06-14 00:00:00.000", "total": 2},
        {"day": "2025-06-13 00:00:00.000", "total": 1.5},
    ]
    calls = [{"event": "llm_call", "cost_usd": c, "model": "m"} for c in (0, 0.5, None)]
    expensive = ie.run(QUESTIONS["most-expensive-calls"].query, calls)
    assert [r["cost_usd"] for r in expensive] == [0.5, 0]
