"""capture(): the helper users call to test their own instrumentation."""

from __future__ import annotations

import threading

import genai_observability as obs
import pytest
from genai_observability import _emit


def test_capture_collects_llm_calls_and_metrics(capsys: pytest.CaptureFixture[str]) -> None:
    with obs.capture() as events:
        obs.record_llm_call("amazon.nova-micro-v1:0", 10, 5, 12.5, team="a")
        obs.log_metric("AICost", 0.1, "USD")
        obs.log_metric("Latency", 12.5, "Milliseconds")
    assert len(events) == 3
    assert [e["team"] for e in events.llm_calls] == ["a"]
    assert [m["metric"] for m in events.metrics()] == ["AICost", "Latency"]
    assert events.metrics("AICost")[0]["value"] == 0.1
    assert capsys.readouterr().out.count("\n") == 3  # lines still reach stdout


def test_capture_stops_collecting_after_the_block() -> None:
    with obs.capture() as events:
        obs.record_llm_call("m", 1, 1, 1.0)
    obs.record_llm_call("m", 1, 1, 1.0)
    assert len(events) == 1
    assert not _emit.sinks()


def test_capture_unregisters_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), obs.capture():
        raise RuntimeError("test failure")
    assert not _emit.sinks()


def test_capture_nests() -> None:
    with obs.capture() as outer:
        obs.record_llm_call("m", 1, 1, 1.0)
        with obs.capture() as inner:
            obs.record_llm_call("m", 2, 2, 1.0)
    assert len(outer) == 2 and len(inner) == 1


def test_capture_sees_other_threads() -> None:
    with obs.capture() as events:
        t = threading.Thread(target=obs.record_llm_call, args=("m", 1, 1, 1.0))
        t.start()
        t.join()
    assert len(events.llm_calls) == 1


def test_capture_matches_what_was_written(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    with obs.capture() as events:
        returned = obs.record_llm_call("m", 1, 1, float("nan"), odd=float("inf"))
    assert events == [json.loads(capsys.readouterr().out)] == [returned]
