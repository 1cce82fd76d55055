"""The line writer: one write per line, a lock across threads, a broken stdout never raises."""

from __future__ import annotations

import inspect
import io
import sys
import threading
import time
from typing import Any

import genai_observability as obs
import pytest
from genai_observability import _emit, _events
from genai_observability._strict_json import dumps
from support import lines_of
from support.emitted import NOVA


class CountingStdout(io.StringIO):
    """A stdout that counts write calls."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, s: str) -> int:
        self.writes.append(s)
        return super().write(s)


class BrokenStdout:
    """A stdout whose every write fails like a closed pipe."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def write(self, s: str) -> int:
        raise self.exc

    def flush(self) -> None:
        raise self.exc


def test_record_llm_call_writes_one_line_in_one_write(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = CountingStdout()
    monkeypatch.setattr(sys, "stdout", fake)
    obs.record_llm_call(NOVA, 1, 2, 3.0, extra={"k": [1, 2]})
    assert len(fake.writes) == 1
    assert fake.writes[0].endswith("\n") and fake.writes[0].count("\n") == 1


@pytest.mark.parametrize(
    "stdout",
    [
        None,
        BrokenStdout(BrokenPipeError(32, "Broken pipe")),
        BrokenStdout(ValueError("I/O operation on closed file")),
        BrokenStdout(OSError(28, "No space left on device")),
    ],
    ids=["none", "broken-pipe", "closed", "disk-full"],
)
def test_record_llm_call_survives_a_broken_stdout(
    monkeypatch: pytest.MonkeyPatch, stdout: Any
) -> None:
    monkeypatch.setattr(sys, "stdout", stdout)
    event = obs.record_llm_call(NOVA, 1, 1, 1.0)
    assert event["event"] == "llm_call" and event["cost_usd"] is not None
    metric = obs.log_metric("AICost", 0.1, "USD")
    assert metric["metric"] == "AICost"


def test_record_llm_call_survives_a_closed_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stdout", closed)
    assert obs.record_llm_call(NOVA, 1, 1, 1.0)["status"] == "ok"


def test_record_llm_call_from_many_threads_never_interleaves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class SlowStdout(io.StringIO):
        def write(self, s: str) -> int:
            # Write in two halves with a thread switch in between: a writer without the
            # lock would interleave halves of lines.
            half = len(s) // 2
            super().write(s[:half])
            time.sleep(0)
            return super().write(s[half:])

    fake = SlowStdout()
    monkeypatch.setattr(sys, "stdout", fake)
    threads_n, calls_n = 8, 200
    barrier = threading.Barrier(threads_n)

    def worker(n: int) -> None:
        barrier.wait()
        for i in range(calls_n):
            obs.record_llm_call(NOVA, i, n, 1.0, thread=n, note="x" * (i % 50))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = lines_of(fake.getvalue())
    assert len(lines) == threads_n * calls_n
    for n in range(threads_n):
        mine = [ln["input_tokens"] for ln in lines if ln["thread"] == n]
        assert mine == list(range(calls_n))


def test_timestamp_is_iso_utc_with_milliseconds() -> None:
    assert _emit.timestamp(0.0) == "1970-01-01T00:00:00.000Z"
    assert _emit.timestamp(1784366400.9999) == "2026-07-18T09:20:00.999Z"
    assert _emit.timestamp(1784366401.5) == "2026-07-18T09:20:01.500Z"


def test_record_llm_call_writes_its_event_encoded_once_by_the_strict_encoder(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The line is the returned event, one dict, through one encoder: no second rendering.
    event = obs.record_llm_call(
        'a"b', 3, 4, 0.5, ttft_ms=0.25, stop_reason="end_turn", x=0.000084, note=None
    )
    out = capsys.readouterr().out
    assert out == dumps(event) + "\n"
    assert '"x":0.000084' in out and '"note":null' in out and '"model":"a\\"b"' in out
    assert list(event)[-4:] == ["ttft_ms", "stop_reason", "x", "note"]


def test_the_line_module_has_no_generated_code() -> None:
    # Was: the generated line writer refused field names it could not use as parameters;
    # there is no generated writer any more (no exec, no compile) to refuse anything.
    for module in (_emit, _events):
        source = inspect.getsource(module)
        assert "exec(" not in source and "compile(" not in source
