"""bind_request and observe_handler: the request id every line of an invocation carries."""

from __future__ import annotations

from typing import Any

import genai_observability as obs
import pytest
from support import FakeContext
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
