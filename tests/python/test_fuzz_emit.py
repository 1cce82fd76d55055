"""Fuzzing the emit path: thousands of random calls, zero exceptions, every line strict JSON."""

from __future__ import annotations

import inspect
import io
import sys
from typing import Any

import genai_observability as obs
from genai_observability import _emit
from genai_observability._contract import FIELDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from line_corpus import Unprintable  # the hostile objects of the line's golden corpus
from support import strict_loads


class Sink:
    """A stdout that records writes, or fails the way real streams fail."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.writes: list[str] = []

    def write(self, s: str) -> int:
        if self.mode == "broken-pipe":
            raise BrokenPipeError(32, "Broken pipe")
        if self.mode == "closed":
            raise ValueError("I/O operation on closed file.")
        if self.mode == "encoding":
            s.encode("ascii")  # would fail on any non-ASCII character
        self.writes.append(s)
        return len(s)


text = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=40
) | st.integers(min_value=1000, max_value=6000).map(lambda n: "x" * n)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.builds(pow, st.just(10), st.just(5000))
    | st.floats(allow_nan=True, allow_infinity=True)
    | text
    | st.binary(max_size=8)
    | st.builds(Unprintable)
    | st.builds(object)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=5)
        | st.tuples(inner, inner)
        | st.frozensets(st.integers(), max_size=3)
    ),
    max_leaves=6,
)
counts = (
    st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.none()
    | st.booleans()
    | st.text(max_size=3)
)
models = (
    st.sampled_from(["amazon.nova-micro-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", ""])
    | text
    | st.integers()
    | st.none()
)
PARAMETERS = set(inspect.signature(obs.record_llm_call).parameters) - {"attributes"}
CONTRACT_PREFIX = [field.name for field in FIELDS[:14]]  # event ... status, always there
attribute_names = (
    st.sampled_from(
        ["team", "attempt", "event", "cost_usd", "pricing", "request_id", "usage_unknown"]
    )
    | st.text(alphabet="abcxyz_", min_size=1, max_size=6)
).filter(lambda k: k not in PARAMETERS)
sinks = st.sampled_from(["ok", "ok", "ok", "broken-pipe", "closed", "encoding", "none"])
optional = st.dictionaries(
    st.sampled_from(
        [
            "ttft_ms",
            "service_tier",
            "latency_mode",
            "region",
            "stop_reason",
            "trace_id",
            "cache_write_1h_tokens",
        ]
    ),
    counts | scalars,
    max_size=4,
)
bound = st.dictionaries(
    st.sampled_from(["tenant", "user", "Bad-Name", "cost_usd", "region"]) | st.text(max_size=4),
    values,
    max_size=3,
)


# Examples: the profile's (tests/conftest.py: a few locally, 3,000 under CI).
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(
    model=models,
    tokens=st.tuples(counts, counts, counts, counts),
    latency=counts,
    status=st.sampled_from(["ok", "error", "weird"]) | text,
    error_type=st.none() | text | st.integers(),
    service=st.none() | text,
    operation=st.sampled_from(["converse", "invoke_model"]) | scalars,
    attributes=st.dictionaries(attribute_names, values, max_size=4),
    metric=st.tuples(
        scalars,
        scalars,
        scalars,
        st.none()
        | st.dictionaries(st.text(max_size=5) | st.integers(), values, max_size=3)
        | scalars,
    ),
    sink=sinks,
    optional=optional,
    bound=bound,
)
def test_fuzz_emit_never_raises_and_every_line_is_strict_json(
    model: Any,
    tokens: tuple[Any, Any, Any, Any],
    latency: Any,
    status: Any,
    error_type: Any,
    service: Any,
    operation: Any,
    attributes: dict[str, Any],
    metric: tuple[Any, Any, Any, Any],
    sink: str,
    optional: dict[str, Any],
    bound: dict[str, Any],
) -> None:
    obs.set_attributes(**bound)
    out = None if sink == "none" else Sink(sink)
    saved = sys.stdout
    sys.stdout = out  # type: ignore[assignment]
    try:
        event = obs.record_llm_call(
            model,
            tokens[0],
            tokens[1],
            latency,
            cache_read_tokens=tokens[2],
            cache_write_tokens=tokens[3],
            operation=operation,
            status=status,
            error_type=error_type,
            service=service,
            **optional,
            **attributes,
        )
        metric_event = obs.log_metric(*metric)
    finally:
        sys.stdout = saved
    assert isinstance(event, dict) and event["event"] == "llm_call"
    assert isinstance(metric_event, dict) and "metric" in metric_event
    if isinstance(out, Sink) and sink == "ok":
        assert len(out.writes) == 2
        for chunk in out.writes:
            assert chunk.endswith("\n") and chunk.count("\n") == 1
            assert len(chunk) <= _emit.MAX_LINE
            chunk.encode("ascii")
        line, metric_line = (strict_loads(w) for w in out.writes)
        assert line == event
        assert metric_line == metric_event
        assert (line["cost_usd"] is None) == (line["pricing"] == "unknown")
        for key in ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"):
            assert type(line[key]) is int and line[key] >= 0
        assert line["status"] in ("ok", "error")
        assert ("error_type" in line) == (line["status"] == "error")
        assert list(line)[: len(CONTRACT_PREFIX)] == CONTRACT_PREFIX


def test_fuzz_sink_modes_are_exercised() -> None:
    """The broken sinks really fail, so the fuzz run really covers them."""
    for mode in ("broken-pipe", "closed"):
        try:
            Sink(mode).write("x")
        except (OSError, ValueError):
            continue
        raise AssertionError(mode)
    buf = io.StringIO()
    saved = sys.stdout
    sys.stdout = buf
    try:
        obs.record_llm_call("m", 1, 1, 1.0)
    finally:
        sys.stdout = saved
    assert strict_loads(buf.getvalue())["model"] == "m"
