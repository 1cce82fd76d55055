"""The sanitizer, seen through the lines: cut strings, capped containers, strict JSON numbers."""

from __future__ import annotations

import json
from typing import Any

import genai_observability as obs
import pytest
from genai_observability import _sanitize
from support.emitted import NOVA, one_line


def test_record_llm_call_sanitizes_attribute_values(capsys: pytest.CaptureFixture[str]) -> None:
    class Weird:
        def __str__(self) -> str:
            return "weird!"

    class Broken:
        def __str__(self) -> str:
            raise RuntimeError("no")

    obs.record_llm_call(
        NOVA,
        1,
        1,
        1.0,
        nan=float("nan"),
        inf=float("-inf"),
        obj=Weird(),
        broken=Broken(),
        raw=b"\x00\xff",
        nested={"a": [1, float("nan"), {2: 3}], "s": {1}},
        flag=True,
        big=10**5000,
        surrogate="x\ud800y",
    )
    line = one_line(capsys)
    assert line["nan"] is None and line["inf"] is None
    assert line["obj"] == "weird!" and line["broken"] == "<Broken>"
    assert line["raw"] == "<2 bytes>"
    assert line["nested"] == {"a": [1, None, {"2": 3}], "s": [1]}
    assert line["flag"] is True and line["big"] is None
    assert line["surrogate"] == "x?y"


def test_record_llm_call_truncates_huge_strings(capsys: pytest.CaptureFixture[str]) -> None:
    obs.record_llm_call("m" * 5000, 1, 1, 1.0, note="n" * 100_000)
    line = one_line(capsys)
    assert len(line["note"]) == _sanitize.MAX_STRING + 3 and line["note"].endswith("...")
    assert len(line["model"]) == _sanitize.MAX_STRING + 3


def test_record_llm_call_caps_nesting_and_items(capsys: pytest.CaptureFixture[str]) -> None:
    deep: Any = "leaf"
    for _ in range(10):
        deep = [deep]
    obs.record_llm_call(NOVA, 1, 1, 1.0, deep=deep, many=list(range(1000)))
    line = one_line(capsys)
    assert len(line["many"]) == _sanitize.MAX_ITEMS
    depth, node = 0, line["deep"]
    while isinstance(node, list):
        depth, node = depth + 1, node[0]
    assert depth == _sanitize.MAX_DEPTH and isinstance(node, str)


def test_record_llm_call_writes_small_costs_in_plain_decimal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 10 input + 10 output tokens of Nova Micro cost 0.00000175 USD: repr() would say 1.75e-06,
    # which metric filter value selectors are not documented to read.
    obs.record_llm_call(NOVA, 10, 10, 12.5)
    raw = capsys.readouterr().out
    assert '"cost_usd":0.00000175,' in raw
    assert "e-" not in raw
    assert json.loads(raw)["cost_usd"] == pytest.approx(1.75e-06)
