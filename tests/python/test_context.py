"""bind_request and observe_handler: the request id every line of an invocation carries."""

from __future__ import annotations

from typing import Any

import genai_observability as obs
import pytest
from genai_observability import _context
from support import FakeContext, lines_of, strict_loads
from support.emitted import NOVA, one_line


def test_bind_request_accepts_strings_and_ignores_bad_contexts() -> None:
    assert obs.bind_request("abc") == "abc"
    assert obs.current_request_id() == "abc"
    assert obs.bind_request(object()) is None
    assert obs.bind_request(FakeContext("")) is None
    assert obs.bind_request(None) is None


def test_observe_handler_binds_and_restores_the_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    @obs.observe_handler
    def handler(event: dict[str, Any], context: Any) -> str:
        obs.record_llm_call(NOVA, 1, 1, 1.0)
        return event["x"]

    obs.bind_request("outer")
    assert handler({"x": "y"}, FakeContext("inner")) == "y"
    assert one_line(capsys)["request_id"] == "inner"
    assert obs.current_request_id() == "outer"
    assert handler.__name__ == "handler"


# --------------------------------------------------------------------------- attribution


def test_bind_request_puts_attribution_keys_on_every_line_of_the_invocation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.bind_request(FakeContext("req-1"), tenant="acme", user="u-7")
    first = obs.record_llm_call(NOVA, 1, 1, 1.0)
    second = obs.record_llm_call(NOVA, 2, 2, 1.0, attempt=2)
    one, two = lines_of(capsys.readouterr().out)
    assert (one, two) == (first, second)
    assert list(one)[-3:] == ["request_id", "tenant", "user"]
    assert (one["tenant"], one["user"], one["request_id"]) == ("acme", "u-7", "req-1")
    # after the contract keys, before the per-call extra attributes
    assert list(two)[-3:] == ["tenant", "user", "attempt"]


def test_a_new_binding_starts_without_the_previous_attribution_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.bind_request("req-1", tenant="acme")
    obs.bind_request("req-2")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    line = one_line(capsys)
    assert line["request_id"] == "req-2" and "tenant" not in line


def test_set_attributes_outside_a_handler_keeps_the_request_id_and_clears_with_no_args(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.bind_request("req-1")
    assert obs.set_attributes(tenant="acme") == {"tenant": "acme"}
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    line = one_line(capsys)
    assert (line["request_id"], line["tenant"]) == ("req-1", "acme")
    assert obs.set_attributes(user="u-1") == {"user": "u-1"}  # replaces, not merges
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    line = one_line(capsys)
    assert line["user"] == "u-1" and "tenant" not in line
    assert obs.set_attributes() == {}
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert list(one_line(capsys))[-1] == "request_id"


@pytest.mark.parametrize(
    "name",
    ["Tenant", "1st", "_tenant", "tenant-id", "ténant", "t" * 65, "cost_usd", "region", "event"],
)
def test_a_bad_attribution_name_is_dropped_with_a_warning_once(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    for _ in range(2):
        obs.set_attributes(**{name: "x"}, tenant="acme")
        obs.record_llm_call(NOVA, 1, 1, 1.0)
    captured = capsys.readouterr()
    lines = lines_of(captured.out)
    assert all(line["tenant"] == "acme" for line in lines)
    if name in ("cost_usd", "region", "event"):
        assert all(line.get(name) != "x" for line in lines)
    else:
        assert all(name not in line for line in lines)
    assert captured.err.count("attribution key") == 1 and "dropped" in captured.err


def test_at_most_ten_attribution_keys_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    bound = obs.set_attributes(**{f"k{i}": i for i in range(12)})
    assert list(bound) == [f"k{i}" for i in range(10)]
    assert "attribution keys after the first 10 dropped" in capsys.readouterr().err


def test_attribution_values_are_cut_and_sanitized(capsys: pytest.CaptureFixture[str]) -> None:
    class Weird:
        def __str__(self) -> str:
            return "weird!"

    bound = obs.set_attributes(
        long="v" * 1000,
        nan=float("nan"),
        number=3,
        flag=True,
        obj=Weird(),
        items=["a", 1],
        surrogate="x\ud800y",
    )
    assert bound["long"] == "v" * 256 + "..."
    assert bound["nan"] is None and bound["number"] == 3 and bound["flag"] is True
    assert bound["obj"] == "weird!" and bound["items"] == "['a', 1]"
    assert bound["surrogate"] == "x?y"
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    line = one_line(capsys)
    assert {k: line[k] for k in bound} == bound


def test_extra_attributes_never_replace_attribution_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.bind_request("req-1", tenant="acme")
    event = obs.record_llm_call(NOVA, 1, 1, 1.0, tenant="other", team="search")
    raw = capsys.readouterr().out
    assert raw.count('"tenant"') == 1
    line = strict_loads(raw)
    assert line == event and line["tenant"] == "acme" and line["team"] == "search"


def test_attribution_keys_stay_when_extra_attributes_overflow_the_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obs.bind_request("req-1", tenant="acme")
    big = {f"k{i}": "v" * 1000 for i in range(64)}
    event = obs.record_llm_call(NOVA, 1, 1, 1.0, a=big, b=big)
    line = one_line(capsys)
    assert line == event
    assert line["tenant"] == "acme" and line["attributes_dropped"] is True and "a" not in line


def test_observe_handler_restores_the_previous_attribution_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    @obs.observe_handler
    def handler(event: dict[str, Any], context: Any) -> None:
        obs.set_attributes(tenant=event["tenant"])
        obs.record_llm_call(NOVA, 1, 1, 1.0)

    obs.bind_request("outer", tenant="outer-tenant")
    handler({"tenant": "inner-tenant"}, FakeContext("inner"))
    line = one_line(capsys)
    assert (line["request_id"], line["tenant"]) == ("inner", "inner-tenant")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    line = one_line(capsys)
    assert (line["request_id"], line["tenant"]) == ("outer", "outer-tenant")


def test_set_attributes_is_exported() -> None:
    assert "set_attributes" in obs.__all__ and obs.set_attributes is _context.set_attributes


# --------------------------------------------------------------------------- the layer


@pytest.fixture
def runtime() -> Any:
    """The module follows a stand-in runtime whose running invocation the test sets."""
    running: dict[str, Any] = {"id": None}
    _context.follow_runtime(lambda: running["id"])
    try:
        yield running
    finally:
        _context.follow_runtime(None)


def test_following_the_runtime_each_invocation_starts_clean_with_its_request_id(
    runtime: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    obs.record_llm_call(NOVA, 1, 1, 1.0)  # init: no invocation, no request id
    assert one_line(capsys)["request_id"] is None
    runtime["id"] = "req-1"
    obs.set_attributes(tenant="acme")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert (one_line(capsys)["request_id"], obs.current_request_id()) == ("req-1", "req-1")
    obs.bind_request(None)  # unbound by the function's code: it stays so in its invocation
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    line = one_line(capsys)
    assert line["request_id"] is None and "tenant" not in line
    runtime["id"] = "req-2"
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    line = one_line(capsys)
    assert line["request_id"] == "req-2" and "tenant" not in line


def test_following_the_runtime_keeps_what_the_invocation_bound(
    runtime: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    runtime["id"] = "req-1"
    obs.bind_request(FakeContext("req-1"), tenant="acme")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["tenant"] == "acme"
    runtime["id"] = "req-2"
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert "tenant" not in one_line(capsys)


def test_a_runtime_record_that_cannot_be_read_is_no_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken() -> str:
        raise RuntimeError("gone")

    _context.follow_runtime(broken)
    try:
        obs.record_llm_call(NOVA, 1, 1, 1.0)
        assert one_line(capsys)["request_id"] is None
    finally:
        _context.follow_runtime(None)
    obs.bind_request("after")
    obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert one_line(capsys)["request_id"] == "after"
