"""The metric filter pattern evaluator (support.cloudwatch.metric_filter) on the subset the
deck uses; the deck's own filters against emitted lines: tests/contract/test_deck_contract.py."""

from __future__ import annotations

import pytest
from support.cloudwatch.metric_filter import matches


def test_evaluator_implements_the_pattern_subset() -> None:
    line = '{"event": "llm_call", "cost_usd": null, "n": 3, "s": "x"}'
    assert matches('{ $.event = "llm_call" }', line)
    assert not matches('{ $.event = "other" }', line)
    assert not matches('{ $.event = "llm_call" && $.cost_usd >= 0 }', line)
    assert matches("{ $.n >= 0 && $.n < 4 }", line)
    assert not matches("{ $.s >= 0 }", line)
    assert not matches("{ $.missing = 1 }", line)
    assert not matches('{ $.event = "llm_call" }', "not json")
    with pytest.raises(AssertionError):
        matches('{ $.a = "x" || $.b = "y" }', line)
