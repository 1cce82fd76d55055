"""The one encoder: strict JSON, plain decimals, json.dumps's layout otherwise; never raises."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from genai_observability._strict_json import dumps, plain_number
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (812.4, "812.4"),
        (1.0, "1.0"),
        (-0.0, "-0.0"),
        (8.4e-05, "0.000084"),
        (1e-07, "0.0000001"),
        (-2.5e-06, "-0.0000025"),
        (1e16, "10000000000000000"),
        (1.2345678901234567e20, "123456789012345667584"),
        (-1e17, "-100000000000000000"),
    ],
)
def test_plain_number_never_writes_an_exponent(number: float, text: str) -> None:
    assert plain_number(number) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_plain_number_reads_back_as_the_same_float(number: float) -> None:
    text = plain_number(number)
    assert "e" not in text and "E" not in text
    assert float(text) == number and math.copysign(1, float(text)) == math.copysign(1, number)


def test_dumps_writes_null_for_nan_and_infinities() -> None:
    assert dumps([math.nan, math.inf, -math.inf, 1.5]) == "[null,null,null,1.5]"
    assert dumps({"a": math.nan}, indent=2) == '{\n  "a": null\n}'


def test_dumps_stringifies_what_json_has_no_form_for() -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no")

    assert dumps({"s": frozenset(), "b": b"x", "u": Unprintable()}) == (
        '{"s":"frozenset()","b":"b\'x\'","u":"<Unprintable>"}'
    )


def test_dumps_never_raises_on_a_cycle_or_a_huge_int() -> None:
    loop: list[Any] = []
    loop.append(loop)
    assert dumps(loop) == "null"
    assert dumps({"n": 10**5000}) == '{"n":null}'


def test_dumps_ascii_by_default_and_utf8_on_request() -> None:
    assert dumps({"k": "é"}) == '{"k":"\\u00e9"}'
    assert dumps({"k": "é"}, ensure_ascii=False) == '{"k":"é"}'


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.sampled_from([0.5, 812.4, -1.0, 3.25])  # floats whose repr has no exponent
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=4) | st.integers() | st.booleans(), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(documents, st.sampled_from([None, 2, 4]), st.booleans())
def test_dumps_matches_json_dumps_where_json_dumps_is_strict(
    document: Any, indent: int | None, ensure_ascii: bool
) -> None:
    expected = (
        json.dumps(document, indent=indent, ensure_ascii=ensure_ascii)
        if indent
        else json.dumps(document, separators=(",", ":"), ensure_ascii=ensure_ascii)
    )
    assert dumps(document, indent=indent, ensure_ascii=ensure_ascii) == expected
